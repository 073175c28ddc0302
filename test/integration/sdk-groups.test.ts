import {
  AdminAddUserToGroupCommand, AdminConfirmSignUpCommand, AdminCreateUserCommand, AdminDeleteUserCommand, AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand, CreateGroupCommand, CreateUserPoolCommand, DeleteGroupCommand, DeleteUserPoolCommand, GetGroupCommand,
  InitiateAuthCommand, ListGroupsCommand, ListUsersInGroupCommand, RespondToAuthChallengeCommand, SignUpCommand, UpdateGroupCommand,
  type GroupType,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordClaim, srpClient } from '../helpers/sdk-srp.js';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * The groups of a user pool through the AWS SDK v3: CreateGroup, GetGroup, UpdateGroup, DeleteGroup,
 * ListGroups, ListUsersInGroup, AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser,
 * and the cognito:groups / cognito:roles / cognito:preferred_role claims, checked with aws-jwt-verify.
 * The server uses AWS-style issuers so that CognitoJwtVerifier (and its `groups` option) applies as is.
 */
let server: TestServer;
/** A pool with plain usernames. */
let poolId: string;

const MISSING_POOL = 'us-east-1_NoSuchPol';
const ROLE_A = 'arn:aws:iam::123456789012:role/Editors';
const ROLE_B = 'arn:aws:iam::123456789012:role/Readers';
const ROLE_C = 'arn:aws:iam::123456789012:role/Auditors';

beforeAll(async () => {
  server = await startTestServer({ issuerStyle: 'aws' });
  poolId = await plainPool('Groups');
});
afterAll(async () => server?.stop());

async function plainPool(name: string): Promise<string> {
  return (await server.admin.send(new CreateUserPoolCommand({ PoolName: name }))).UserPool!.Id!;
}

const create = (input: { GroupName: string; Description?: string; RoleArn?: string; Precedence?: number }, pool = poolId) =>
  server.admin.send(new CreateGroupCommand({ UserPoolId: pool, ...input }));
const get = (GroupName: string, pool = poolId) => server.admin.send(new GetGroupCommand({ UserPoolId: pool, GroupName }));
const add = (Username: string, GroupName: string, pool = poolId) => server.admin.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, Username, GroupName }));
const remove = (Username: string, GroupName: string, pool = poolId) =>
  server.admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: pool, Username, GroupName }));
const groupsOf = async (Username: string, pool = poolId) =>
  (await server.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: pool, Username }))).Groups!.map((g) => g.GroupName);
const membersOf = async (GroupName: string, pool = poolId) =>
  (await server.admin.send(new ListUsersInGroupCommand({ UserPoolId: pool, GroupName }))).Users!.map((u) => u.Username);

/** Every group of the pool, through ListGroups page by page. */
async function allGroups(pool = poolId, Limit?: number): Promise<GroupType[]> {
  const out: GroupType[] = [];
  let NextToken: string | undefined;
  do {
    const page = await server.admin.send(new ListGroupsCommand({ UserPoolId: pool, Limit, NextToken }));
    out.push(...page.Groups!);
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

async function newUser(pool = poolId): Promise<string> {
  const Username = `user-${Math.random().toString(36).slice(2, 10)}`;
  await server.admin.send(new AdminCreateUserCommand({ UserPoolId: pool, Username, MessageAction: 'SUPPRESS' }));
  return Username;
}

let n = 0;
const fresh = (label: string) => `${label}-${++n}`;

/** The 128-character limit, the pattern (no spaces) and the validator's wording. */
const BAD_NAMES: [string, string][] = [
  ['x'.repeat(129), `1 validation error detected: Value '${'x'.repeat(129)}' at 'groupName' failed to satisfy constraint: Member must have length less than or equal to 128`],
  ['has space', "1 validation error detected: Value 'has space' at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"],
  ['', "1 validation error detected: Value '' at 'groupName' failed to satisfy constraint: Member must have length greater than or equal to 1"],
];

describe('CreateGroup', () => {
  it('creates a group with every field, and GetGroup returns the same', async () => {
    const before = Date.now();
    const out = await create({ GroupName: 'Editors', Description: 'Can edit – ✓', RoleArn: ROLE_A, Precedence: 1 });
    const g = out.Group!;
    expect(g).toMatchObject({ GroupName: 'Editors', UserPoolId: poolId, Description: 'Can edit – ✓', RoleArn: ROLE_A, Precedence: 1 });
    expect(g.CreationDate).toBeInstanceOf(Date);
    expect(g.CreationDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(g.LastModifiedDate).toEqual(g.CreationDate);
    expect((await get('Editors')).Group).toEqual(g);
  });

  it('creates a group with only a name: no description, role or precedence', async () => {
    const g = (await create({ GroupName: 'Bare' })).Group!;
    expect(Object.keys(g).sort()).toEqual(['CreationDate', 'GroupName', 'LastModifiedDate', 'UserPoolId']);
    expect((await get('Bare')).Group).toEqual(g);
  });

  it('names are exact: another case is another group; the same name again is GroupExistsException and changes nothing', async () => {
    await create({ GroupName: 'Readers', Description: 'first' });
    await create({ GroupName: 'readers', Precedence: 9 });
    expect((await get('readers')).Group!.Precedence).toBe(9);
    await expect(create({ GroupName: 'Readers', Description: 'second' })).rejects.toMatchObject({
      name: 'GroupExistsException', message: 'A group with the name already exists.',
    });
    expect((await get('Readers')).Group!.Description).toBe('first');
    // Another pool may use the name.
    const other = await plainPool('Other');
    expect((await create({ GroupName: 'Readers' }, other)).Group!.UserPoolId).toBe(other);
  });

  it('refuses an unknown pool', async () => {
    await expect(create({ GroupName: 'x' }, MISSING_POOL)).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: `User pool ${MISSING_POOL} does not exist.`,
    });
  });

  it('refuses bad input with InvalidParameterException and creates nothing', async () => {
    const pool = await plainPool('Bad input');
    await create({ GroupName: 'keep' }, pool);
    for (const [GroupName, message] of BAD_NAMES) {
      await expect(create({ GroupName }, pool)).rejects.toMatchObject({ name: 'InvalidParameterException', message });
    }
    const refused: [Record<string, unknown>, string][] = [
      [{ Precedence: -1 }, "Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0"],
      [{ Precedence: 2 ** 31 }, "Value '2147483648' at 'precedence' failed to satisfy constraint: Member must have value less than or equal to 2147483647"],
      [{ RoleArn: 'not-an-arn-at-all-but-long' }, "at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern"],
      [{ RoleArn: 'arn:aws:iam::1:r' }, "at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20"],
      [{ Description: 'd'.repeat(2049) }, "at 'description' failed to satisfy constraint: Member must have length less than or equal to 2048"],
      [{ Precedence: 1.5 }, "at 'precedence' failed to satisfy constraint: Member must be an integer"],
    ];
    for (const [extra, message] of refused) {
      await expect(create({ GroupName: 'refused', ...extra }, pool)).rejects.toMatchObject({
        name: 'InvalidParameterException', message: expect.stringContaining(message),
      });
    }
    expect((await allGroups(pool)).map((g) => g.GroupName)).toEqual(['keep']);
  });

  it('refuses the 10,001st group of a pool with LimitExceededException', async () => {
    const pool = await plainPool('Full');
    const now = Date.now();
    await server.store.transaction(async (tx) => {
      for (let i = 0; i < 9_999; i++) {
        await tx.groups.create({ poolId: pool, name: `seeded-${i}`, description: null, roleArn: null, precedence: null, createdAt: now, updatedAt: now });
      }
    });
    await create({ GroupName: 'the-10000th' }, pool);
    await expect(create({ GroupName: 'one-too-many' }, pool)).rejects.toMatchObject({
      name: 'LimitExceededException', message: 'The user pool has reached the limit of 10000 groups.',
    });
    await expect(get('one-too-many', pool)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await server.store.groups.count(pool)).toBe(10_000);
    // A duplicate is still a duplicate, full or not.
    await expect(create({ GroupName: 'the-10000th' }, pool)).rejects.toMatchObject({ name: 'GroupExistsException' });
    await server.admin.send(new DeleteUserPoolCommand({ UserPoolId: pool }));
    expect(await server.store.groups.count(pool)).toBe(0);
  });
});

describe('GetGroup', () => {
  it('refuses an unknown group (names are exact) and an unknown pool', async () => {
    await create({ GroupName: 'Exact' });
    expect((await get('Exact')).Group!.GroupName).toBe('Exact');
    for (const name of ['exact', 'EXACT', 'Nope']) {
      await expect(get(name)).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Group not found.' });
    }
    await expect(get('Exact', MISSING_POOL)).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: `User pool ${MISSING_POOL} does not exist.` });
    await expect(get('has space')).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('UpdateGroup', () => {
  it('changes what it is given and keeps the rest; LastModifiedDate moves, CreationDate stays', async () => {
    const created = (await create({ GroupName: 'Updatable', Description: 'old', RoleArn: ROLE_A, Precedence: 3 })).Group!;
    server.advance(1500);
    try {
      const out = await server.admin.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'Updatable', Description: 'new' }));
      expect(out.Group).toMatchObject({ GroupName: 'Updatable', Description: 'new', RoleArn: ROLE_A, Precedence: 3, CreationDate: created.CreationDate });
      expect(out.Group!.LastModifiedDate!.getTime()).toBeGreaterThan(created.LastModifiedDate!.getTime());
      const again = await server.admin.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'Updatable', RoleArn: ROLE_B, Precedence: 0 }));
      expect(again.Group).toMatchObject({ Description: 'new', RoleArn: ROLE_B, Precedence: 0 });
      expect((await get('Updatable')).Group).toEqual(again.Group);
    } finally {
      server.advance(-1500);
    }
  });

  it('refuses an unknown group or pool, and bad input, changing nothing', async () => {
    await expect(server.admin.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'Nope', Description: 'x' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'Group not found.',
    });
    await expect(server.admin.send(new UpdateGroupCommand({ UserPoolId: MISSING_POOL, GroupName: 'x' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: `User pool ${MISSING_POOL} does not exist.`,
    });
    const before = (await create({ GroupName: 'Steady', Description: 'same', Precedence: 4 })).Group!;
    for (const bad of [{ Precedence: -5 }, { Precedence: 2 ** 31 }, { RoleArn: 'arn:but:not:quite:right' }, { Description: 'd'.repeat(2049) }]) {
      await expect(server.admin.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'Steady', ...bad }))).rejects.toMatchObject({
        name: 'InvalidParameterException',
      });
    }
    expect((await allGroups()).find((g) => g.GroupName === 'Steady')).toEqual(before);
  });
});

describe('DeleteGroup', () => {
  it('deletes the group and its memberships; a new group of that name starts empty', async () => {
    const user = await newUser();
    await create({ GroupName: 'Doomed' });
    await create({ GroupName: 'Kept' });
    await add(user, 'Doomed');
    await add(user, 'Kept');
    const out = await server.admin.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'Doomed' }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    await expect(get('Doomed')).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Group not found.' });
    expect(await groupsOf(user)).toEqual(['Kept']);
    expect((await allGroups()).map((g) => g.GroupName)).not.toContain('Doomed');
    await create({ GroupName: 'Doomed' });
    expect(await membersOf('Doomed')).toEqual([]);
  });

  it('refuses an unknown group or pool', async () => {
    await expect(server.admin.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'Never-Was' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'Group not found.',
    });
    await expect(server.admin.send(new DeleteGroupCommand({ UserPoolId: MISSING_POOL, GroupName: 'x' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: `User pool ${MISSING_POOL} does not exist.`,
    });
  });
});

describe('ListGroups', () => {
  it('pages through the groups by name with Limit and NextToken', async () => {
    const pool = await plainPool('Listing');
    for (const name of ['delta', 'alpha', 'echo', 'charlie', 'bravo']) await create({ GroupName: name, Precedence: name.length }, pool);
    const first = await server.admin.send(new ListGroupsCommand({ UserPoolId: pool, Limit: 2 }));
    expect(first.Groups!.map((g) => g.GroupName)).toEqual(['alpha', 'bravo']);
    expect(first.Groups![0]).toMatchObject({ UserPoolId: pool, Precedence: 5, CreationDate: expect.any(Date) });
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await server.admin.send(new ListGroupsCommand({ UserPoolId: pool, Limit: 2, NextToken: first.NextToken }));
    expect(second.Groups!.map((g) => g.GroupName)).toEqual(['charlie', 'delta']);
    const last = await server.admin.send(new ListGroupsCommand({ UserPoolId: pool, Limit: 2, NextToken: second.NextToken }));
    expect(last.Groups!.map((g) => g.GroupName)).toEqual(['echo']);
    expect(last.NextToken).toBeUndefined();
    const all = await server.admin.send(new ListGroupsCommand({ UserPoolId: pool }));
    expect(all.Groups!.map((g) => g.GroupName)).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    expect(all.NextToken).toBeUndefined();
    expect((await allGroups(pool, 1)).map((g) => g.GroupName)).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    expect((await server.admin.send(new ListGroupsCommand({ UserPoolId: await plainPool('Empty') }))).Groups).toEqual([]);
  });

  it('refuses an unknown pool, a bad NextToken and a Limit over 60', async () => {
    await expect(server.admin.send(new ListGroupsCommand({ UserPoolId: MISSING_POOL }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: `User pool ${MISSING_POOL} does not exist.`,
    });
    await expect(server.admin.send(new ListGroupsCommand({ UserPoolId: poolId, NextToken: 'not/a=token' }))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Invalid NextToken.',
    });
    await expect(server.admin.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 61 }))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
    });
  });
});

describe('AdminAddUserToGroup', () => {
  it('adds the user; adding again is no error and no duplicate', async () => {
    const user = await newUser();
    await create({ GroupName: 'Joinable' });
    const out = await add(user, 'Joinable');
    expect(out.$metadata.httpStatusCode).toBe(200);
    await add(user, 'Joinable');
    expect(await groupsOf(user)).toEqual(['Joinable']);
    expect(await membersOf('Joinable')).toEqual([user]);
  });

  it('finds the user by what signs in: an email in an email-as-username pool', async () => {
    const { poolId: pool } = await createWorkshopPool(server);
    await server.admin.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'rider@example.com', MessageAction: 'SUPPRESS' }));
    await create({ GroupName: 'riders' }, pool);
    await add('Rider@Example.com', 'riders', pool);
    const [member] = (await server.admin.send(new ListUsersInGroupCommand({ UserPoolId: pool, GroupName: 'riders' }))).Users!;
    expect(member!.Username).toMatch(/^[0-9a-f-]{36}$/);
    expect(member!.Attributes).toContainEqual({ Name: 'email', Value: 'rider@example.com' });
    expect(await groupsOf('RIDER@EXAMPLE.COM', pool)).toEqual(['riders']);
    expect(await groupsOf(member!.Username!, pool)).toEqual(['riders']);
  });

  it('refuses an unknown group (exact name), user or pool, adding nothing', async () => {
    const user = await newUser();
    await create({ GroupName: 'CaseMatters' });
    await expect(add(user, 'casematters')).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Group not found.' });
    await expect(add('nobody', 'CaseMatters')).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
    await expect(add(user, 'CaseMatters', MISSING_POOL)).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: `User pool ${MISSING_POOL} does not exist.`,
    });
    await expect(add(user, 'has space')).rejects.toMatchObject({ name: 'InvalidParameterException' });
    expect(await groupsOf(user)).toEqual([]);
    expect(await membersOf('CaseMatters')).toEqual([]);
  });

  it('refuses a 101st group with InvalidParameterException (Cognito allows 100 groups per user)', async () => {
    const pool = await plainPool('Joiner');
    const user = await newUser(pool);
    const now = Date.now();
    await server.store.transaction(async (tx) => {
      for (let i = 0; i < 101; i++) {
        const name = `g${String(i).padStart(3, '0')}`;
        await tx.groups.create({ poolId: pool, name, description: null, roleArn: null, precedence: null, createdAt: now, updatedAt: now });
        if (i < 99) await tx.groups.addMember(pool, name, user, now);
      }
    });
    await add(user, 'g099', pool);
    await expect(add(user, 'g100', pool)).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'A user cannot be a member of more than 100 groups.',
    });
    expect(await server.store.groups.countForUser(pool, user)).toBe(100);
    expect(await membersOf('g100', pool)).toEqual([]);
    // A group the user is in already is still no error.
    await add(user, 'g000', pool);
  });
});

describe('AdminRemoveUserFromGroup', () => {
  it('removes the user; removing a non-member is no error', async () => {
    const [u1, u2] = [await newUser(), await newUser()];
    await create({ GroupName: 'Leavable' });
    await add(u1, 'Leavable');
    await add(u2, 'Leavable');
    const out = await remove(u1, 'Leavable');
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(await membersOf('Leavable')).toEqual([u2]);
    await remove(u1, 'Leavable');
    expect(await groupsOf(u1)).toEqual([]);
    expect(await groupsOf(u2)).toEqual(['Leavable']);
  });

  it('refuses an unknown group, user or pool, removing nothing', async () => {
    const user = await newUser();
    await create({ GroupName: 'Sticky' });
    await add(user, 'Sticky');
    await expect(remove(user, 'sticky')).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Group not found.' });
    await expect(remove('nobody', 'Sticky')).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
    await expect(remove(user, 'Sticky', MISSING_POOL)).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: `User pool ${MISSING_POOL} does not exist.`,
    });
    await expect(remove(user, 'x'.repeat(129))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    expect(await groupsOf(user)).toEqual(['Sticky']);
  });
});

describe('AdminListGroupsForUser', () => {
  it('pages through the user’s groups by name, as GroupType', async () => {
    const user = await newUser();
    for (const name of ['u-c', 'u-a', 'u-b']) {
      await create({ GroupName: name, Description: `group ${name}`, RoleArn: ROLE_C, Precedence: 2 });
      await add(user, name);
    }
    const first = await server.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: user, Limit: 2 }));
    expect(first.Groups!.map((g) => g.GroupName)).toEqual(['u-a', 'u-b']);
    expect(first.Groups![0]).toEqual({ ...(await get('u-a')).Group });
    const rest = await server.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: user, Limit: 2, NextToken: first.NextToken }));
    expect(rest.Groups!.map((g) => g.GroupName)).toEqual(['u-c']);
    expect(rest.NextToken).toBeUndefined();
    expect(await groupsOf(await newUser())).toEqual([]);
  });

  it('refuses an unknown user or pool and a bad NextToken', async () => {
    await expect(server.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'nobody' }))).rejects.toMatchObject({
      name: 'UserNotFoundException', message: 'User does not exist.',
    });
    await expect(server.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: MISSING_POOL, Username: 'x' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: `User pool ${MISSING_POOL} does not exist.`,
    });
    await expect(server.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: await newUser(), NextToken: '%%%' }))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Invalid NextToken.',
    });
  });

  it('forgets a deleted user: a new user of the same name starts in no group', async () => {
    const user = await newUser();
    const group = fresh('Transient');
    await create({ GroupName: group });
    await add(user, group);
    await server.admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: user }));
    expect(await membersOf(group)).toEqual([]);
    await server.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: user, MessageAction: 'SUPPRESS' }));
    expect(await groupsOf(user)).toEqual([]);
  });
});

describe('ListUsersInGroup', () => {
  it('pages through the members by username, as ListUsers shows them', async () => {
    const pool = await plainPool('Members');
    await create({ GroupName: 'crew' }, pool);
    const users = [await newUser(pool), await newUser(pool), await newUser(pool)].sort();
    for (const u of users) await add(u, 'crew', pool);
    const outsider = await newUser(pool);
    const first = await server.admin.send(new ListUsersInGroupCommand({ UserPoolId: pool, GroupName: 'crew', Limit: 2 }));
    expect(first.Users!.map((u) => u.Username)).toEqual(users.slice(0, 2));
    expect(first.Users![0]).toMatchObject({
      Username: users[0], Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD', UserCreateDate: expect.any(Date), UserLastModifiedDate: expect.any(Date),
      Attributes: [{ Name: 'sub', Value: expect.stringMatching(/^[0-9a-f-]{36}$/) }],
    });
    const rest = await server.admin.send(new ListUsersInGroupCommand({ UserPoolId: pool, GroupName: 'crew', Limit: 2, NextToken: first.NextToken }));
    expect(rest.Users!.map((u) => u.Username)).toEqual(users.slice(2));
    expect(rest.NextToken).toBeUndefined();
    expect(await membersOf('crew', pool)).not.toContain(outsider);
  });

  it('refuses an unknown group (exact name) or pool and a bad NextToken', async () => {
    await create({ GroupName: 'Listed' });
    await expect(server.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'LISTED' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'Group not found.',
    });
    await expect(server.admin.send(new ListUsersInGroupCommand({ UserPoolId: MISSING_POOL, GroupName: 'Listed' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: `User pool ${MISSING_POOL} does not exist.`,
    });
    await expect(server.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'Listed', NextToken: 'a b' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });
});

describe('tokens carry the groups', () => {
  const PASSWORD = 'Group-Rider-1';
  let pool: string;
  let clientId: string;
  let jwks: Jwks;

  beforeAll(async () => {
    ({ poolId: pool, clientId } = await createWorkshopPool(server));
    const res = await fetch(`${server.url}/${pool}/.well-known/jwks.json`);
    jwks = (await res.json()) as Jwks;
    await create({ GroupName: 'readers', RoleArn: ROLE_B, Precedence: 5 }, pool);
    await create({ GroupName: 'editors', RoleArn: ROLE_A, Precedence: 1 }, pool);
    await create({ GroupName: 'staff' }, pool);
    await create({ GroupName: 'auditors', RoleArn: ROLE_C, Precedence: 1 }, pool);
  });

  async function rider(email: string): Promise<void> {
    await server.sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }));
    await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: pool, Username: email }));
  }

  const passwordSignIn = async (email: string) =>
    (await server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } })))
      .AuthenticationResult!;

  async function srpSignIn(email: string) {
    const srp = srpClient();
    const start = await server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: email, SRP_A: srp.srpA } }));
    const out = await server.sdk.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: passwordClaim(srp, pool, PASSWORD, start.ChallengeParameters!),
      }),
    );
    return out.AuthenticationResult!;
  }

  const refresh = async (token: string) =>
    (await server.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } })))
      .AuthenticationResult!;

  function verifier(tokenUse: 'id' | 'access', groups?: string | string[]) {
    const v = CognitoJwtVerifier.create({ userPoolId: pool, tokenUse, clientId, groups });
    v.cacheJwks(jwks);
    return v;
  }

  it('a user in no group gets no group claims', async () => {
    await rider('loner@example.com');
    const t = await passwordSignIn('loner@example.com');
    const id = await verifier('id').verify(t.IdToken!);
    const access = await verifier('access').verify(t.AccessToken!);
    for (const claims of [id, access]) {
      expect(claims).not.toHaveProperty('cognito:groups');
      expect(claims).not.toHaveProperty('cognito:roles');
      expect(claims).not.toHaveProperty('cognito:preferred_role');
    }
    await expect(verifier('access', 'editors').verify(t.AccessToken!)).rejects.toThrow(/Missing Cognito group/);
  });

  it('USER_PASSWORD_AUTH: groups by precedence in both tokens, roles and the preferred role in the ID token, verified by aws-jwt-verify', async () => {
    await rider('editor@example.com');
    // The top-ranked group has no role: the preferred role comes from the best-ranked group that has one.
    await create({ GroupName: 'writers', Precedence: 0 }, pool);
    for (const g of ['staff', 'readers', 'writers', 'editors']) await add('editor@example.com', g, pool);
    const t = await passwordSignIn('editor@example.com');

    const id = await verifier('id', 'editors').verify(t.IdToken!);
    expect(id['cognito:groups']).toEqual(['writers', 'editors', 'readers', 'staff']);
    expect(id['cognito:roles']).toEqual([ROLE_A, ROLE_B]);
    expect(id['cognito:preferred_role']).toBe(ROLE_A);

    const access = await verifier('access', ['admins', 'readers']).verify(t.AccessToken!);
    expect(access['cognito:groups']).toEqual(['writers', 'editors', 'readers', 'staff']);
    expect(access).not.toHaveProperty('cognito:roles');
    expect(access).not.toHaveProperty('cognito:preferred_role');

    await expect(verifier('access', 'admins').verify(t.AccessToken!)).rejects.toThrow(/Cognito group not allowed/);
    await expect(verifier('id', ['auditors', 'Editors']).verify(t.IdToken!)).rejects.toThrow(/Cognito group not allowed/);
  });

  it('SRP sign-in carries them too; membership and group changes show in tokens issued after, refresh included', async () => {
    await rider('auditor@example.com');
    await add('auditor@example.com', 'readers', pool);
    const t = await srpSignIn('auditor@example.com');
    const first = await verifier('id', 'readers').verify(t.IdToken!);
    expect(first['cognito:groups']).toEqual(['readers']);
    expect(first['cognito:roles']).toEqual([ROLE_B]);
    expect(first['cognito:preferred_role']).toBe(ROLE_B);

    // Two groups of equal precedence with different roles: both roles, no preferred role.
    await add('auditor@example.com', 'editors', pool);
    await add('auditor@example.com', 'auditors', pool);
    const tied = await refresh(t.RefreshToken!);
    const tiedId = await verifier('id').verify(tied.IdToken!);
    expect(tiedId['cognito:groups']).toEqual(['auditors', 'editors', 'readers']);
    expect(tiedId['cognito:roles']).toEqual([ROLE_C, ROLE_A, ROLE_B]);
    expect(tiedId).not.toHaveProperty('cognito:preferred_role');
    expect((await verifier('access', 'auditors').verify(tied.AccessToken!))['cognito:groups']).toEqual(['auditors', 'editors', 'readers']);

    // Removed from one, the tie is gone; the token issued before keeps what it said.
    await remove('auditor@example.com', 'auditors', pool);
    const after = await verifier('id').verify((await refresh(t.RefreshToken!)).IdToken!);
    expect(after['cognito:groups']).toEqual(['editors', 'readers']);
    expect(after['cognito:preferred_role']).toBe(ROLE_A);
    expect((await verifier('id').verify(tied.IdToken!))['cognito:groups']).toEqual(['auditors', 'editors', 'readers']);

    // UpdateGroup reorders: readers now outranks editors.
    await server.admin.send(new UpdateGroupCommand({ UserPoolId: pool, GroupName: 'readers', Precedence: 0 }));
    const reordered = await verifier('id').verify((await srpSignIn('auditor@example.com')).IdToken!);
    expect(reordered['cognito:groups']).toEqual(['readers', 'editors']);
    expect(reordered['cognito:preferred_role']).toBe(ROLE_B);
    await server.admin.send(new UpdateGroupCommand({ UserPoolId: pool, GroupName: 'readers', Precedence: 5 }));

    // A deleted group leaves the next tokens.
    await create({ GroupName: 'temporary', Precedence: 0 }, pool);
    await add('auditor@example.com', 'temporary', pool);
    expect((await verifier('access').verify((await refresh(t.RefreshToken!)).AccessToken!))['cognito:groups']).toEqual(['temporary', 'editors', 'readers']);
    await server.admin.send(new DeleteGroupCommand({ UserPoolId: pool, GroupName: 'temporary' }));
    const last = await refresh(t.RefreshToken!);
    expect((await verifier('access').verify(last.AccessToken!))['cognito:groups']).toEqual(['editors', 'readers']);
    await expect(verifier('access', 'temporary').verify(last.AccessToken!)).rejects.toThrow(/Cognito group not allowed/);
  });
});
