import { describe, expect, it } from 'vitest';
import { UniqueViolation, type GroupRecord, type PoolRecord, type Store, type UserRecord } from '../../../src/store/store.js';

/** What the groups section borrows from the enclosing contract suite (its store and fixtures). */
export interface GroupsContractContext {
  store: () => Store;
  freshPool: () => Promise<PoolRecord>;
  user: (poolId: string, over?: Partial<UserRecord>) => UserRecord;
  uid: (label: string) => string;
  T0: number;
}

/**
 * The `groups` section of the store contract (called from storeContract): groups and memberships,
 * scoped by pool, names compared exactly, and removed with their group, their user or their pool.
 */
export function groupsContract({ store: s, freshPool, user, uid, T0 }: GroupsContractContext): void {
  const group = (poolId: string, over: Partial<GroupRecord> = {}): GroupRecord => ({
    poolId, name: uid('group'), description: 'Böse Buben 😀 "quoted"', roleArn: 'arn:aws:iam::123456789012:role/Admins', precedence: 7,
    createdAt: T0 + 30, updatedAt: T0 + 40, ...over,
  });

  async function withUsers(poolId: string, n: number): Promise<UserRecord[]> {
    const users = Array.from({ length: n }, () => user(poolId));
    for (const u of users) await s().users.create(u);
    return users;
  }

  const names = (groups: GroupRecord[]) => groups.map((g) => g.name);

  describe('groups', () => {
    it('create / get round-trip every field, numbers as numbers and nulls as null', async () => {
      const p = await freshPool();
      const full = group(p.id, { precedence: 2 ** 31 - 1 });
      const bare = group(p.id, { description: null, roleArn: null, precedence: null });
      await s().groups.create(full);
      await s().groups.create(bare);
      const got = await s().groups.get(p.id, full.name);
      expect(got).toEqual(full);
      for (const f of ['createdAt', 'updatedAt', 'precedence'] as const) expect(typeof got![f]).toBe('number');
      expect(await s().groups.get(p.id, bare.name)).toEqual(bare);
      expect(await s().groups.get(p.id, uid('missing'))).toBeUndefined();
      expect(await s().groups.get(uid('us-east-1_other'), full.name)).toBeUndefined();
    });

    it('names are exact: another case is another group; a duplicate in the pool is a UniqueViolation, in another pool fine', async () => {
      const p = await freshPool();
      const other = await freshPool();
      const name = `Admins-${uid('g')}`;
      await s().groups.create(group(p.id, { name }));
      await s().groups.create(group(p.id, { name: name.toUpperCase(), precedence: 1 }));
      expect((await s().groups.get(p.id, name.toUpperCase()))?.precedence).toBe(1);
      expect(await s().groups.get(p.id, name.toLowerCase())).toBeUndefined();
      await expect(s().groups.create(group(p.id, { name, description: 'again' }))).rejects.toBeInstanceOf(UniqueViolation);
      expect((await s().groups.get(p.id, name))?.description).toBe(group(p.id).description);
      await s().groups.create(group(other.id, { name }));
      expect(await s().groups.count(p.id)).toBe(2);
      expect(await s().groups.count(other.id)).toBe(1);
    });

    it('lists the pool’s groups by name with keyset pagination and a limit; count counts them', async () => {
      const p = await freshPool();
      const other = await freshPool();
      for (const n of ['c', 'a', 'e', 'b', 'd']) await s().groups.create(group(p.id, { name: n }));
      await s().groups.create(group(other.id, { name: 'a0' }));
      expect(names(await s().groups.list(p.id, undefined, 100))).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(names(await s().groups.list(p.id, undefined, 2))).toEqual(['a', 'b']);
      expect(names(await s().groups.list(p.id, 'b', 2))).toEqual(['c', 'd']);
      expect(names(await s().groups.list(p.id, 'd', 2))).toEqual(['e']);
      expect(await s().groups.list(p.id, 'e', 2)).toEqual([]);
      expect(await s().groups.count(p.id)).toBe(5);
      expect(await s().groups.count(uid('us-east-1_empty'))).toBe(0);
      expect(typeof (await s().groups.list(p.id, undefined, 1))[0]!.createdAt).toBe('number');
    });

    it('update replaces description, role, precedence and updatedAt; createdAt stays; nulls clear', async () => {
      const p = await freshPool();
      const g = group(p.id);
      await s().groups.create(g);
      const changed = { ...g, description: 'new', roleArn: 'arn:aws:iam::123456789012:role/Other', precedence: 0, updatedAt: T0 + 5000, createdAt: 1 };
      await s().groups.update(changed);
      expect(await s().groups.get(p.id, g.name)).toEqual({ ...changed, createdAt: g.createdAt });
      await s().groups.update({ ...changed, description: null, roleArn: null, precedence: null });
      expect(await s().groups.get(p.id, g.name)).toMatchObject({ description: null, roleArn: null, precedence: null });
    });

    it('addMember / removeMember say whether anything changed; listForUser and listMembers page by name', async () => {
      const p = await freshPool();
      const [alice, bob, carol] = await withUsers(p.id, 3);
      const groups = ['g3', 'g1', 'g2'].map((name) => group(p.id, { name }));
      for (const g of groups) await s().groups.create(g);
      for (const g of groups) expect(await s().groups.addMember(p.id, g.name, alice!.username, T0 + 1)).toBe(true);
      expect(await s().groups.addMember(p.id, 'g1', alice!.username, T0 + 2)).toBe(false);
      expect(await s().groups.addMember(p.id, 'g1', carol!.username, T0 + 2)).toBe(true);
      expect(await s().groups.addMember(p.id, 'g1', bob!.username, T0 + 2)).toBe(true);

      expect(await s().groups.listForUser(p.id, alice!.username, undefined, 100)).toEqual([...groups].sort((a, b) => (a.name < b.name ? -1 : 1)));
      expect(names(await s().groups.listForUser(p.id, alice!.username, undefined, 2))).toEqual(['g1', 'g2']);
      expect(names(await s().groups.listForUser(p.id, alice!.username, 'g2', 2))).toEqual(['g3']);
      expect(await s().groups.countForUser(p.id, alice!.username)).toBe(3);
      expect(await s().groups.countForUser(p.id, bob!.username)).toBe(1);
      expect(await s().groups.listForUser(p.id, uid('nobody'), undefined, 100)).toEqual([]);

      const members = [alice!, bob!, carol!].sort((a, b) => (a.username < b.username ? -1 : 1));
      expect(await s().groups.listMembers(p.id, 'g1', undefined, 100)).toEqual(members);
      const first = await s().groups.listMembers(p.id, 'g1', undefined, 2);
      expect(first).toEqual(members.slice(0, 2));
      expect(await s().groups.listMembers(p.id, 'g1', first.at(-1)!.username, 2)).toEqual(members.slice(2));
      expect(await s().groups.listMembers(p.id, 'g2', undefined, 100)).toEqual([alice]);

      expect(await s().groups.removeMember(p.id, 'g1', alice!.username)).toBe(true);
      expect(await s().groups.removeMember(p.id, 'g1', alice!.username)).toBe(false);
      expect(names(await s().groups.listForUser(p.id, alice!.username, undefined, 100))).toEqual(['g2', 'g3']);
      expect((await s().groups.listMembers(p.id, 'g1', undefined, 100)).map((u) => u.username)).not.toContain(alice!.username);
    });

    it('memberships are scoped by pool: the same group name and username elsewhere are separate', async () => {
      const p = await freshPool();
      const other = await freshPool();
      const [u] = await withUsers(p.id, 1);
      const twin = user(other.id, { username: u!.username, usernameKey: u!.usernameKey, sub: u!.sub });
      await s().users.create(twin);
      await s().groups.create(group(p.id, { name: 'team' }));
      await s().groups.create(group(other.id, { name: 'team' }));
      await s().groups.addMember(p.id, 'team', u!.username, T0);
      expect(await s().groups.listForUser(other.id, u!.username, undefined, 10)).toEqual([]);
      expect(await s().groups.listMembers(other.id, 'team', undefined, 10)).toEqual([]);
      expect(await s().groups.listMembers(p.id, 'team', undefined, 10)).toEqual([u]);
    });

    it('deleting a group removes its memberships (a new group of that name starts empty), and nothing else', async () => {
      const p = await freshPool();
      const [u] = await withUsers(p.id, 1);
      const doomed = group(p.id);
      const kept = group(p.id);
      await s().groups.create(doomed);
      await s().groups.create(kept);
      await s().groups.addMember(p.id, doomed.name, u!.username, T0);
      await s().groups.addMember(p.id, kept.name, u!.username, T0);
      expect(await s().groups.delete(p.id, doomed.name)).toBe(true);
      expect(await s().groups.get(p.id, doomed.name)).toBeUndefined();
      expect(names(await s().groups.listForUser(p.id, u!.username, undefined, 10))).toEqual([kept.name]);
      await s().groups.create(doomed);
      expect(await s().groups.listMembers(p.id, doomed.name, undefined, 10)).toEqual([]);
      expect(await s().groups.delete(p.id, uid('missing'))).toBe(false);
      expect(await s().users.getByKey(p.id, u!.usernameKey)).toBeDefined();
    });

    it('deleting a user removes their memberships; the groups stay', async () => {
      const p = await freshPool();
      const [gone, stays] = await withUsers(p.id, 2);
      const g = group(p.id);
      await s().groups.create(g);
      await s().groups.addMember(p.id, g.name, gone!.username, T0);
      await s().groups.addMember(p.id, g.name, stays!.username, T0);
      expect(await s().users.delete(p.id, gone!.username)).toBe(true);
      expect(await s().groups.listMembers(p.id, g.name, undefined, 10)).toEqual([stays]);
      expect(await s().groups.countForUser(p.id, gone!.username)).toBe(0);
      // A new user of the same name starts in no group.
      await s().users.create(user(p.id, { username: gone!.username, usernameKey: gone!.usernameKey }));
      expect(await s().groups.listForUser(p.id, gone!.username, undefined, 10)).toEqual([]);
      expect(await s().groups.get(p.id, g.name)).toEqual(g);
    });

    it('deleting a pool removes its groups and memberships, and nothing of other pools', async () => {
      const p = await freshPool();
      const other = await freshPool();
      const [u] = await withUsers(p.id, 1);
      const [v] = await withUsers(other.id, 1);
      await s().groups.create(group(p.id, { name: 'team' }));
      await s().groups.create(group(other.id, { name: 'team' }));
      await s().groups.addMember(p.id, 'team', u!.username, T0);
      await s().groups.addMember(other.id, 'team', v!.username, T0);
      expect(await s().pools.delete(p.id)).toBe(true);
      expect(await s().groups.count(p.id)).toBe(0);
      expect(await s().groups.countForUser(p.id, u!.username)).toBe(0);
      expect(await s().groups.listMembers(other.id, 'team', undefined, 10)).toEqual([v]);
      // The pool id, group name and username can be used again, starting empty.
      await s().pools.create(p);
      await s().users.create(u!);
      await s().groups.create(group(p.id, { name: 'team' }));
      expect(await s().groups.listMembers(p.id, 'team', undefined, 10)).toEqual([]);
    });

    it('a throw inside a transaction rolls back group and membership writes', async () => {
      const p = await freshPool();
      const [u] = await withUsers(p.id, 1);
      const existing = group(p.id);
      await s().groups.create(existing);
      await s().groups.addMember(p.id, existing.name, u!.username, T0);
      const fresh = group(p.id);
      const boom = new Error('boom');
      await expect(
        s().transaction(async (tx) => {
          await tx.groups.create(fresh);
          await tx.groups.addMember(p.id, fresh.name, u!.username, T0);
          await tx.groups.update({ ...existing, description: 'changed in tx' });
          await tx.groups.removeMember(p.id, existing.name, u!.username);
          expect(await tx.groups.countForUser(p.id, u!.username)).toBe(1);
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await s().groups.get(p.id, fresh.name)).toBeUndefined();
      expect(await s().groups.get(p.id, existing.name)).toEqual(existing);
      expect(names(await s().groups.listForUser(p.id, u!.username, undefined, 10))).toEqual([existing.name]);
    });
  });
}
