import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { Sealer } from '../../../src/crypto/seal.js';
import { openStore } from '../../../src/store/open-store.js';
import { withReadCache } from '../../../src/store/read-cache.js';
import { withSealedSecrets } from '../../../src/store/sealed-secrets.js';
import { storeContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'cognate-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storeContract('sqlite (file)', () => openStore(`sqlite:${join(dir, 'contract.db')}`));

// The server wraps its store in a short-lived read cache for pools and clients; the wrapped store must
// keep the same contract.
storeContract('sqlite (file) behind the read cache', async () => withReadCache(await openStore(`sqlite:${join(dir, 'contract-cached.db')}`)));

// …and seals users' SRP salt and verifier, signing keys and kv secrets at rest (store/sealed-secrets.ts), behind the
// read cache as the server stacks them: the contract holds through it.
storeContract('sqlite (file) with sealed secrets', async () => withSealedSecrets(withReadCache(await openStore(`sqlite:${join(dir, 'contract-sealed.db')}`)), new Sealer(randomBytes(32))));
