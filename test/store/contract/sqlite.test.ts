import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openStore } from '../../../src/store/open-store.js';
import { storeContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'cognate-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storeContract('sqlite (file)', () => openStore(`sqlite:${join(dir, 'contract.db')}`));
