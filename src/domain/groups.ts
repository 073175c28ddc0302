import {
  GroupExistsException, InvalidParameterException, LimitExceededException, ResourceNotFoundException, UserNotFoundException,
} from '../errors/catalog.js';
import { UniqueViolation, type GroupRecord, type PoolRecord, type Store, type UserRecord } from '../store/store.js';
import type { DomainDeps } from './deps.js';
import { findUser, requireUser } from './users.js';

/**
 * User pool groups (COGNITO_REFERENCE §4): names unique in the pool, compared exactly; membership by
 * the user's internal username. Cognito's quotas: 10,000 groups per pool, 100 groups per user.
 */
export const MAX_GROUPS_PER_POOL = 10_000;
export const MAX_GROUPS_PER_USER = 100;
const MAX_PRECEDENCE = 2 ** 31 - 1;

const NOT_FOUND = 'Group not found.';

export interface GroupFields {
  description?: string;
  roleArn?: string;
  precedence?: number;
}

export interface Page<T> {
  items: T[];
  /** The key to continue after, when there is more. */
  next?: string;
}

/** The model only bounds Precedence below; Cognito stores a Java int, so it is bounded above too (in the validator's wording). */
function checkPrecedence(precedence: number | undefined): void {
  if (precedence !== undefined && precedence > MAX_PRECEDENCE) {
    throw new InvalidParameterException(
      `1 validation error detected: Value '${precedence}' at 'precedence' failed to satisfy constraint: Member must have value less than or equal to ${MAX_PRECEDENCE}`,
    );
  }
}

async function getGroup(store: Store, pool: PoolRecord, name: string): Promise<GroupRecord> {
  const group = await store.groups.get(pool.id, name);
  if (!group) throw new ResourceNotFoundException(NOT_FOUND);
  return group;
}

export const requireGroup = (deps: DomainDeps, pool: PoolRecord, name: string) => getGroup(deps.store, pool, name);

export async function createGroup(deps: DomainDeps, pool: PoolRecord, name: string, fields: GroupFields): Promise<GroupRecord> {
  checkPrecedence(fields.precedence);
  const now = deps.now();
  const group: GroupRecord = {
    poolId: pool.id, name, description: fields.description ?? null, roleArn: fields.roleArn ?? null, precedence: fields.precedence ?? null,
    createdAt: now, updatedAt: now,
  };
  const exists = () => new GroupExistsException('A group with the name already exists.');
  try {
    await deps.store.transaction(async (tx) => {
      if (await tx.groups.get(pool.id, name)) throw exists();
      if ((await tx.groups.count(pool.id)) >= MAX_GROUPS_PER_POOL) {
        throw new LimitExceededException(`The user pool has reached the limit of ${MAX_GROUPS_PER_POOL} groups.`);
      }
      await tx.groups.create(group);
    });
  } catch (err) {
    if (err instanceof UniqueViolation) throw exists();
    throw err;
  }
  deps.log.info({ poolId: pool.id, group: name }, 'group created');
  return group;
}

/** UpdateGroup changes only what it is given (Description, RoleArn, Precedence); the rest stays. */
export async function updateGroup(deps: DomainDeps, pool: PoolRecord, name: string, fields: GroupFields): Promise<GroupRecord> {
  checkPrecedence(fields.precedence);
  const group = await requireGroup(deps, pool, name);
  const updated: GroupRecord = {
    ...group,
    description: fields.description ?? group.description,
    roleArn: fields.roleArn ?? group.roleArn,
    precedence: fields.precedence ?? group.precedence,
    updatedAt: deps.now(),
  };
  await deps.store.groups.update(updated);
  return updated;
}

export async function deleteGroup(deps: DomainDeps, pool: PoolRecord, name: string): Promise<void> {
  const deleted = await deps.store.transaction((tx) => tx.groups.delete(pool.id, name));
  if (!deleted) throw new ResourceNotFoundException(NOT_FOUND);
  deps.log.info({ poolId: pool.id, group: name }, 'group deleted');
}

async function memberOf(tx: Store, deps: DomainDeps, pool: PoolRecord, groupName: string, typed: string): Promise<UserRecord> {
  await getGroup(tx, pool, groupName);
  const user = await findUser(deps, pool, typed, tx);
  if (!user) throw new UserNotFoundException('User does not exist.');
  return user;
}

/**
 * AdminAddUserToGroup: adding a member again is no error. The 101st group is refused with
 * InvalidParameterException: Cognito's LimitExceededException is not among the operation's modeled errors.
 */
export async function addUserToGroup(deps: DomainDeps, pool: PoolRecord, groupName: string, typed: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const user = await memberOf(tx, deps, pool, groupName, typed);
    const added = await tx.groups.addMember(pool.id, groupName, user.username, deps.now());
    if (added && (await tx.groups.countForUser(pool.id, user.username)) > MAX_GROUPS_PER_USER) {
      throw new InvalidParameterException(`A user cannot be a member of more than ${MAX_GROUPS_PER_USER} groups.`);
    }
  });
}

/** AdminRemoveUserFromGroup: removing a user who is not a member is no error. */
export async function removeUserFromGroup(deps: DomainDeps, pool: PoolRecord, groupName: string, typed: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const user = await memberOf(tx, deps, pool, groupName, typed);
    await tx.groups.removeMember(pool.id, groupName, user.username);
  });
}

async function page<T>(limit: number, load: (limit: number) => Promise<T[]>, key: (item: T) => string): Promise<Page<T>> {
  const rows = await load(limit + 1);
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? key(items.at(-1)!) : undefined };
}

export const listGroups = (deps: DomainDeps, pool: PoolRecord, after: string | undefined, limit: number) =>
  page(limit, (n) => deps.store.groups.list(pool.id, after, n), (g) => g.name);

export async function listGroupsForUser(deps: DomainDeps, pool: PoolRecord, typed: string, after: string | undefined, limit: number): Promise<Page<GroupRecord>> {
  const user = await requireUser(deps, pool, typed);
  return page(limit, (n) => deps.store.groups.listForUser(pool.id, user.username, after, n), (g) => g.name);
}

export async function listUsersInGroup(deps: DomainDeps, pool: PoolRecord, groupName: string, after: string | undefined, limit: number): Promise<Page<UserRecord>> {
  await requireGroup(deps, pool, groupName);
  return page(limit, (n) => deps.store.groups.listMembers(pool.id, groupName, after, n), (u) => u.username);
}

export interface GroupClaims {
  groups: string[];
  roles: string[];
  /** Absent when no group has a role, or when the best-ranked groups with roles disagree. */
  preferredRole?: string;
}

const rank = (g: GroupRecord) => g.precedence ?? Number.POSITIVE_INFINITY;

/**
 * The token claims of a user's groups, ordered by precedence (lowest first, null last, then by
 * name). The preferred role comes from the best-ranked groups that have a role; groups of equal
 * precedence with different roles leave it unset, as Cognito documents. Undefined for no groups.
 */
export function groupClaims(groups: GroupRecord[]): GroupClaims | undefined {
  if (groups.length === 0) return undefined;
  const ordered = [...groups].sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const withRole = ordered.filter((g) => g.roleArn !== null);
  const roles = [...new Set(withRole.map((g) => g.roleArn!))];
  const top = withRole[0];
  const bestRoles = new Set(withRole.filter((g) => top !== undefined && rank(g) === rank(top)).map((g) => g.roleArn!));
  return { groups: ordered.map((g) => g.name), roles, preferredRole: bestRoles.size === 1 ? [...bestRoles][0] : undefined };
}

/** The claims as the tokens carry them: cognito:groups in both; the roles and the preferred role in the ID token only. */
export function groupTokenClaims(groups: GroupRecord[]): { access: Record<string, unknown>; id: Record<string, unknown> } {
  const c = groupClaims(groups);
  if (!c) return { access: {}, id: {} };
  const id: Record<string, unknown> = { 'cognito:groups': c.groups };
  if (c.roles.length > 0) id['cognito:roles'] = c.roles;
  if (c.preferredRole !== undefined) id['cognito:preferred_role'] = c.preferredRole;
  return { access: { 'cognito:groups': c.groups }, id };
}
