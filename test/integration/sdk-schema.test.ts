import {
  AddCustomAttributesCommand, AdminCreateUserCommand, AdminGetUserCommand, AdminInitiateAuthCommand, AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand, CreateUserPoolCommand, DescribeUserPoolClientCommand, DescribeUserPoolCommand, GetUserCommand,
  ListUserPoolClientsCommand, ListUserPoolsCommand, SignUpCommand, UpdateUserPoolClientCommand,
  type AttributeType, type ExplicitAuthFlowsType, type SchemaAttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * The attribute schema through the AWS SDK v3: custom and developer-only attributes in CreateUserPool
 * and AddCustomAttributes, writes checked against them, app clients' ReadAttributes / WriteAttributes
 * on SignUp, GetUser and the ID token (verified with aws-jwt-verify).
 */
let server: TestServer;
let poolId: string;
/** The pool's client with Cognito's defaults: reads and writes everything a client may. */
let openClientId: string;

const PASSWORD = 'Schema-pass-1';
const FLOWS: ExplicitAuthFlowsType[] = ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

const SCHEMA: SchemaAttributeType[] = [
  { Name: 'email', AttributeDataType: 'String', Required: true },
  { Name: 'team', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: '2', MaxLength: '5' } },
  { Name: 'plain', AttributeDataType: 'String' },
  { Name: 'level', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '1', MaxValue: '10' } },
  { Name: 'count', AttributeDataType: 'Number' },
  { Name: 'member', AttributeDataType: 'Boolean' },
  { Name: 'tier', AttributeDataType: 'String', Mutable: false },
  { Name: 'score', AttributeDataType: 'Number', DeveloperOnlyAttribute: true },
];

const attrs = (o: Record<string, string>): AttributeType[] => Object.entries(o).map(([Name, Value]) => ({ Name, Value }));
const asMap = (list: AttributeType[] | undefined) => Object.fromEntries((list ?? []).map((a) => [a.Name!, a.Value!]));
const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
const describePool = async (UserPoolId = poolId) => (await server.admin.send(new DescribeUserPoolCommand({ UserPoolId }))).UserPool!;
const schemaOf = async (UserPoolId = poolId) => (await describePool(UserPoolId)).SchemaAttributes!;
const adminGet = (Username: string) => server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username }));
const signUp = (ClientId: string, Username: string, attributes: Record<string, string>) =>
  server.sdk.send(new SignUpCommand({ ClientId, Username, Password: PASSWORD, UserAttributes: attrs(attributes) }));

async function createClient(input: { ReadAttributes?: string[]; WriteAttributes?: string[] } = {}): Promise<string> {
  const out = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c', ExplicitAuthFlows: FLOWS, ...input }));
  return out.UserPoolClient!.ClientId!;
}

/** An administrator-created user with a permanent password. */
async function createUser(Username: string, attributes: Record<string, string>): Promise<void> {
  await server.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username, UserAttributes: attrs(attributes), MessageAction: 'SUPPRESS' }));
  await server.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username, Password: PASSWORD, Permanent: true }));
}

async function signIn(ClientId: string, USERNAME: string): Promise<{ access: string; id: string }> {
  const out = await server.admin.send(new AdminInitiateAuthCommand({
    UserPoolId: poolId, ClientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD },
  }));
  return { access: out.AuthenticationResult!.AccessToken!, id: out.AuthenticationResult!.IdToken! };
}

/** The ID token's payload as aws-jwt-verify accepts it (signature, issuer, audience, token use). */
async function verifiedId(token: string, clientId: string): Promise<Record<string, unknown>> {
  const verifier = JwtVerifier.create({ issuer: `${server.url}/${poolId}`, audience: clientId, customJwtCheck: ({ payload }) => {
    if (payload.token_use !== 'id') throw new Error('not an ID token');
  } });
  verifier.cacheJwks((await (await fetch(`${server.url}/${poolId}/.well-known/jwks.json`)).json()) as Jwks);
  return (await verifier.verify(token)) as Record<string, unknown>;
}

beforeAll(async () => {
  server = await startTestServer();
  poolId = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'schema', Schema: SCHEMA }))).UserPool!.Id!;
  openClientId = await createClient();
});
afterAll(async () => server?.stop());

describe('CreateUserPool and DescribeUserPool', () => {
  it('describe custom attributes with their prefixes and constraints as Cognito does', async () => {
    const created = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'echo', Schema: SCHEMA }));
    for (const schema of [created.UserPool!.SchemaAttributes!, await schemaOf()]) {
      const byName = Object.fromEntries(schema.map((a) => [a.Name!, a]));
      const custom = (Name: string, rest: object) => ({ Name, DeveloperOnlyAttribute: false, Mutable: true, Required: false, ...rest });
      expect(byName['custom:team']).toEqual(custom('custom:team', { AttributeDataType: 'String', StringAttributeConstraints: { MinLength: '2', MaxLength: '5' } }));
      expect(byName['custom:plain']).toEqual(custom('custom:plain', { AttributeDataType: 'String', StringAttributeConstraints: {} }));
      expect(byName['custom:level']).toEqual(custom('custom:level', { AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '1', MaxValue: '10' } }));
      expect(byName['custom:count']).toEqual(custom('custom:count', { AttributeDataType: 'Number' }));
      expect(byName['custom:member']).toEqual(custom('custom:member', { AttributeDataType: 'Boolean' }));
      expect(byName['custom:tier']).toMatchObject({ Mutable: false });
      expect(byName['dev:custom:score']).toEqual({ Name: 'dev:custom:score', AttributeDataType: 'Number', DeveloperOnlyAttribute: true, Mutable: true, Required: false });
      expect(byName.email).toEqual({
        Name: 'email', AttributeDataType: 'String', DeveloperOnlyAttribute: false, Mutable: true, Required: true, StringAttributeConstraints: { MinLength: '0', MaxLength: '2048' },
      });
      expect(byName.sub).toMatchObject({ Mutable: false, Required: true, StringAttributeConstraints: { MinLength: '1', MaxLength: '2048' } });
      expect(byName.updated_at).toMatchObject({ AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '0' } });
      expect(byName.email_verified).toEqual({ Name: 'email_verified', AttributeDataType: 'Boolean', DeveloperOnlyAttribute: false, Mutable: true, Required: false });
    }
  });

  it('refuse a bad schema in Cognito’s words and create nothing', async () => {
    const before = (await server.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!.length;
    const cases: [SchemaAttributeType[], string][] = [
      [[{ Name: 'x' }], 'Invalid AttributeDataType input, consider using the provided AttributeDataType enum.'],
      [[{ Name: 'x', AttributeDataType: 'String', Required: true }], 'Required custom attributes are not supported currently.'],
      [[{ Name: 'email', AttributeDataType: 'Number' }], 'You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email'],
      [[{ Name: 'x', AttributeDataType: 'String', StringAttributeConstraints: { MaxLength: '2049' } }], 'user.custom:x: String attributes cannot have a length of more than 2048'],
      [[{ Name: 'x', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: '3', MaxLength: '1' } }], 'user.custom:x: Max length cannot be less than min length.'],
      [[{ Name: 'x', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: 'low' } }], 'Invalid NumberAttributeConstraints for schema attribute custom:x'],
      [[{ Name: 'x', AttributeDataType: 'String' }, { Name: 'x', AttributeDataType: 'Number' }], 'custom:x: Existing attribute already has name custom:x.'],
    ];
    for (const [Schema, message] of cases) {
      await expect(server.admin.send(new CreateUserPoolCommand({ PoolName: 'bad', Schema }))).rejects.toMatchObject({ name: 'InvalidParameterException', message });
    }
    await expect(server.admin.send(new CreateUserPoolCommand({ PoolName: 'bad', Schema: [{ Name: 'n'.repeat(21), AttributeDataType: 'String' }] }))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: expect.stringContaining('Member must have length less than or equal to 20'),
    });
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ Name: `a${i}`, AttributeDataType: 'String' as const }));
    await expect(server.admin.send(new CreateUserPoolCommand({ PoolName: 'bad', Schema: tooMany }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    expect((await server.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools).toHaveLength(before);
  });
});

describe('AddCustomAttributes', () => {
  it('adds attributes that a write can use at once', async () => {
    await server.admin.send(new AddCustomAttributesCommand({
      UserPoolId: poolId,
      CustomAttributes: [
        { Name: 'dept', AttributeDataType: 'String', StringAttributeConstraints: { MaxLength: '8' } },
        { Name: 'badge', AttributeDataType: 'Number', DeveloperOnlyAttribute: true, NumberAttributeConstraints: { MinValue: '0' } },
      ],
    }));
    const schema = await schemaOf();
    expect(schema.find((a) => a.Name === 'custom:dept')).toEqual({
      Name: 'custom:dept', AttributeDataType: 'String', DeveloperOnlyAttribute: false, Mutable: true, Required: false, StringAttributeConstraints: { MaxLength: '8' },
    });
    expect(schema.find((a) => a.Name === 'dev:custom:badge')).toMatchObject({ DeveloperOnlyAttribute: true, NumberAttributeConstraints: { MinValue: '0' } });
    const out = await signUp(openClientId, 'dept-user', { email: 'dept@example.com', 'custom:dept': 'sales' });
    expect(out.UserConfirmed).toBe(false);
    await server.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'badge-user', UserAttributes: attrs({ email: 'b@example.com', 'dev:custom:badge': '4' }), MessageAction: 'SUPPRESS' }));
    expect(asMap((await adminGet('dept-user')).UserAttributes)['custom:dept']).toBe('sales');
    expect(asMap((await adminGet('badge-user')).UserAttributes)['dev:custom:badge']).toBe('4');
  });

  it('refuses the whole request for any bad attribute, leaving the schema as it was', async () => {
    const before = await schemaOf();
    const add = (CustomAttributes: SchemaAttributeType[], UserPoolId = poolId) => server.admin.send(new AddCustomAttributesCommand({ UserPoolId, CustomAttributes }));
    const cases: [SchemaAttributeType[], string][] = [
      [[{ Name: 'team', AttributeDataType: 'String' }], 'custom:team: Existing attribute already has name custom:team.'],
      [[{ Name: 'score', AttributeDataType: 'Number', DeveloperOnlyAttribute: true }], 'custom:score: Existing attribute already has name dev:custom:score.'],
      [[{ Name: 'fresh', AttributeDataType: 'String' }, { Name: 'flag', AttributeDataType: 'Boolean', Required: true }], 'Required custom attributes are not supported currently.'],
      [[{ Name: 'fresh' }], 'Invalid AttributeDataType input, consider using the provided AttributeDataType enum.'],
      [[{ Name: 'fresh', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: '-1' } }], 'Invalid StringAttributeConstraints for schema attribute custom:fresh'],
    ];
    for (const [attributes, message] of cases) await expect(add(attributes)).rejects.toMatchObject({ name: 'InvalidParameterException', message });
    const customs = before.filter((a) => a.Name!.includes(':')).length;
    const filler = Array.from({ length: 25 }, (_, i) => ({ Name: `f${i}`, AttributeDataType: 'String' as const }));
    await add(filler);
    const over = Array.from({ length: 50 - customs - 25 + 1 }, (_, i) => ({ Name: `g${i}`, AttributeDataType: 'String' as const }));
    await expect(add(over)).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'A user pool can have at most 50 custom attributes.' });
    await expect(add([])).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('customAttributes') });
    await expect(add([{ Name: 'x', AttributeDataType: 'String' }], 'us-east-1_nope')).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: 'User pool us-east-1_nope does not exist.',
    });
    expect(await schemaOf()).toEqual([...before, ...filler.map((f) => expect.objectContaining({ Name: `custom:${f.Name}` }))]);
  });
});

describe('writes against the schema', () => {
  it('are refused when they break a constraint, and nothing is stored', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ 'custom:team': 'abcdef' }, 'custom:team: String must be no longer than 5 characters'],
      [{ 'custom:team': 'a' }, 'custom:team: String must be no shorter than 2 characters'],
      [{ 'custom:level': '11' }, 'custom:level: Number must be no greater than 10'],
      [{ 'custom:level': 'many' }, 'custom:level: Value must be a number'],
      [{ 'custom:member': 'yes' }, 'custom:member: Attribute value must be true or false'],
      [{ 'custom:unknown': 'x' }, 'custom:unknown: Attribute does not exist in the schema.'],
      [{ 'custom:score': '1' }, 'custom:score: Attribute does not exist in the schema.'],
    ];
    for (const [attributes, problem] of cases) {
      const message = `Attributes did not conform to the schema: ${problem}\n`;
      await expect(signUp(openClientId, 'refused', { email: 'r@example.com', ...attributes })).rejects.toMatchObject({ name: 'InvalidParameterException', message });
      await expect(server.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'refused', UserAttributes: attrs({ email: 'r@example.com', ...attributes }) })))
        .rejects.toMatchObject({ name: 'InvalidParameterException', message });
      await expect(adminGet('refused')).rejects.toMatchObject({ name: 'UserNotFoundException' });
    }
    await expect(signUp(openClientId, 'refused', { 'custom:team': 'abc' })).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Attributes did not conform to the schema: email: The attribute is required\n',
    });
    await expect(adminGet('refused')).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });

  it('keep developer-only attributes for administrators: hidden from GetUser and tokens, shown by AdminGetUser', async () => {
    await expect(signUp(openClientId, 'dev-writer', { email: 'd@example.com', 'dev:custom:score': '1' })).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute',
    });
    await expect(adminGet('dev-writer')).rejects.toMatchObject({ name: 'UserNotFoundException' });
    await createUser('dev-user', { email: 'dev@example.com', 'dev:custom:score': '7', 'custom:team': 'ops' });
    expect(asMap((await adminGet('dev-user')).UserAttributes)).toMatchObject({ 'dev:custom:score': '7', 'custom:team': 'ops' });
    const tokens = await signIn(openClientId, 'dev-user');
    const user = asMap((await server.sdk.send(new GetUserCommand({ AccessToken: tokens.access }))).UserAttributes);
    expect(user).toMatchObject({ 'custom:team': 'ops', email: 'dev@example.com' });
    expect(user).not.toHaveProperty('dev:custom:score');
    const id = await verifiedId(tokens.id, openClientId);
    expect(id['custom:team']).toBe('ops');
    expect(Object.keys(id).filter((k) => k.startsWith('dev:'))).toEqual([]);
    expect(Object.keys(claims(tokens.access)).filter((k) => k.startsWith('dev:') || k.startsWith('custom:'))).toEqual([]);
  });
});

describe('app clients’ ReadAttributes and WriteAttributes', () => {
  it('are checked against the schema when a client is created or updated, changing nothing when refused', async () => {
    const create = (input: { ReadAttributes?: string[]; WriteAttributes?: string[] }) => createClient(input);
    const before = (await server.admin.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }))).UserPoolClients!.length;
    const read = 'Invalid read attributes specified while creating a client';
    const write = 'Invalid write attributes specified while creating a client';
    const cases: [{ ReadAttributes?: string[]; WriteAttributes?: string[] }, string][] = [
      [{ ReadAttributes: ['email', 'custom:nope'] }, read],
      [{ ReadAttributes: ['score'] }, read],
      [{ WriteAttributes: ['email', 'email_verified'] }, write],
      [{ WriteAttributes: ['email', 'sub'] }, write],
      [{ WriteAttributes: ['email', 'dev:custom:score'] }, write],
      [{ WriteAttributes: ['email', 'custom:nope'] }, write],
      [{ WriteAttributes: ['name'] }, write],
    ];
    for (const [input, message] of cases) await expect(create(input)).rejects.toMatchObject({ name: 'InvalidParameterException', message });
    expect((await server.admin.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }))).UserPoolClients).toHaveLength(before);

    const id = await createClient({ ReadAttributes: ['email', 'email_verified', 'dev:custom:score'], WriteAttributes: ['email', 'custom:tier'] });
    const update = (WriteAttributes: string[]) => server.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: id, WriteAttributes }));
    await expect(update(['email', 'phone_number_verified'])).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Invalid write attributes specified while updating a client',
    });
    const described = (await server.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: id }))).UserPoolClient!;
    expect(described.ReadAttributes).toEqual(['email', 'email_verified', 'dev:custom:score']);
    expect(described.WriteAttributes).toEqual(['email', 'custom:tier']);
    const open = (await server.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: openClientId }))).UserPoolClient!;
    expect(open.ReadAttributes).toBeUndefined();
    expect(open.WriteAttributes).toBeUndefined();
  });

  it('limit what SignUp may write, and what GetUser and the ID token show', async () => {
    const limited = await createClient({ ReadAttributes: ['email', 'custom:team', 'dev:custom:score'], WriteAttributes: ['email', 'name', 'custom:team'] });
    await expect(signUp(limited, 'too-much', { email: 'tm@example.com', given_name: 'Tom' })).rejects.toMatchObject({
      name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute',
    });
    await expect(adminGet('too-much')).rejects.toMatchObject({ name: 'UserNotFoundException' });
    await signUp(limited, 'limited-user', { email: 'lu@example.com', name: 'Lu', 'custom:team': 'dev' });
    expect(asMap((await adminGet('limited-user')).UserAttributes)).toMatchObject({ name: 'Lu', 'custom:team': 'dev' });
    await server.admin.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: 'scored', UserAttributes: attrs({ email: 's@example.com', email_verified: 'true', 'custom:team': 'qa', 'dev:custom:score': '9', name: 'Sc' }),
      MessageAction: 'SUPPRESS',
    }));
    await server.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'scored', Password: PASSWORD, Permanent: true }));

    const through = await signIn(limited, 'scored');
    const shown = asMap((await server.sdk.send(new GetUserCommand({ AccessToken: through.access }))).UserAttributes);
    expect(Object.keys(shown).sort()).toEqual(['custom:team', 'email', 'sub']);
    const id = await verifiedId(through.id, limited);
    expect(id).toMatchObject({ email: 's@example.com', 'custom:team': 'qa', 'cognito:username': 'scored', aud: limited });
    for (const hidden of ['name', 'email_verified', 'dev:custom:score']) expect(id).not.toHaveProperty(hidden);

    const open = await signIn(openClientId, 'scored');
    const all = asMap((await server.sdk.send(new GetUserCommand({ AccessToken: open.access }))).UserAttributes);
    expect(Object.keys(all).sort()).toEqual(['custom:team', 'email', 'email_verified', 'name', 'sub']);
    expect(await verifiedId(open.id, openClientId)).toMatchObject({ name: 'Sc', email_verified: true, 'custom:team': 'qa' });
  });
});

describe('the ID token', () => {
  it('carries every standard attribute the user has with Cognito’s JSON types, custom ones as strings', async () => {
    const standard = {
      name: 'Ada Lovelace', given_name: 'Ada', family_name: 'Lovelace', middle_name: 'King', nickname: 'ada', preferred_username: 'countess',
      profile: 'https://example.com/ada', picture: 'https://example.com/ada.png', website: 'https://example.com', email: 'ada@example.com',
      gender: 'female', birthdate: '1815-12-10', zoneinfo: 'Europe/London', locale: 'en-GB', phone_number: '+15555550100',
    };
    await createUser('ada', {
      ...standard, email_verified: 'true', phone_number_verified: 'false', address: '12 St James Square, London', updated_at: '1700000000',
      'custom:level': '5', 'custom:member': 'true', 'custom:count': '12',
    });
    const { id } = await signIn(openClientId, 'ada');
    const payload = await verifiedId(id, openClientId);
    expect(payload).toMatchObject({
      ...standard, email_verified: true, phone_number_verified: false, updated_at: 1700000000, address: { formatted: '12 St James Square, London' },
      'custom:level': '5', 'custom:member': 'true', 'custom:count': '12',
    });
    for (const key of Object.keys(standard)) expect(typeof payload[key]).toBe('string');
  });
});
