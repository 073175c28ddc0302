import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { Sealer } from '../../../src/crypto/seal.js';
import { openStore } from '../../../src/store/open-store.js';
import { withReadCache } from '../../../src/store/read-cache.js';
import { withSealedSecrets } from '../../../src/store/sealed-secrets.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres-database.js';
import { storeContract } from './store-contract.js';

// One database for this file; every store shares it (the suite only looks at what each test wrote).
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

storeContract('postgres', () => openStore(database.url));

// The server wraps its store in a short-lived read cache for pools and clients; the wrapped store must
// keep the same contract.
storeContract('postgres behind the read cache', async () => withReadCache(await openStore(database.url)));

// …and seals users' SRP salt and verifier, signing keys and kv secrets at rest (store/sealed-secrets.ts), behind the
// read cache as the server stacks them: the contract holds through it.
storeContract('postgres with sealed secrets', async () => withSealedSecrets(withReadCache(await openStore(database.url)), new Sealer(randomBytes(32))));
