import { afterAll, beforeAll } from 'vitest';
import { openStore } from '../../../src/store/open-store.js';
import { withReadCache } from '../../../src/store/read-cache.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres-database.js';
import { storeContract } from './store-contract.js';

// One database for this file; both stores share it (the suite only looks at what each test wrote).
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

storeContract('postgres', () => openStore(database.url));

// The server wraps its store in a short-lived read cache for pools and clients; the wrapped store must
// keep the same contract.
storeContract('postgres behind the read cache', async () => withReadCache(await openStore(database.url)));
