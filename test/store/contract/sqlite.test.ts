import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openStore } from '../../../src/store/open-store.js';
import { withReadCache } from '../../../src/store/read-cache.js';
import { storeContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'cognate-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storeContract('sqlite (file)', () => openStore(`sqlite:${join(dir, 'contract.db')}`));

// The server wraps its store in a short-lived read cache for pools and clients; the wrapped store must
// keep the same contract.
storeContract('sqlite (file) behind the read cache', async () => withReadCache(await openStore(`sqlite:${join(dir, 'contract-cached.db')}`)));
