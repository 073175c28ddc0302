import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MODEL } from '../../src/api/model/model.js';
import { OPERATIONS } from '../../src/api/operations/index.js';
import { PROTOCOL_ERRORS } from '../../src/errors/catalog.js';
import { uncompilablePatterns } from '../../src/api/model/validate.js';
import { DOCS } from '../../scripts/gen-docs.js';
import { extractModel, MODEL_SOURCE } from '../../scripts/gen-model.js';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
/** GetCSVHeader → get-csv-header: an acronym is one word. */
const kebab = (name: string) => name.replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

describe('the operation registry', () => {
  it('has one file per operation, named after it, and the folder holds nothing else', () => {
    const files = readdirSync(root('src/api/operations')).filter((f) => f !== 'index.ts').sort();
    expect(files).toEqual(OPERATIONS.map((op) => `${kebab(op.name)}.ts`).sort());
  });

  it('serves only operations of the official model, with the model’s auth mode', () => {
    for (const op of OPERATIONS) {
      const model = MODEL.operations[op.name];
      expect(model, op.name).toBeDefined();
      expect(op.auth, op.name).toBe(model!.auth);
    }
  });

  it('declares only errors that the model declares for the operation', () => {
    const protocol = new Set<string>(PROTOCOL_ERRORS.map((e) => e.type));
    for (const op of OPERATIONS) {
      const allowed = new Set(MODEL.operations[op.name]!.errors);
      for (const e of op.errors) expect(allowed.has(e.type) || protocol.has(e.type), `${op.name} declares ${e.type}`).toBe(true);
    }
  });

  it('can compile every pattern of the model', () => {
    const patterns = Object.values(MODEL.shapes).flatMap((s) => (s.pattern ? [s.pattern] : []));
    expect(uncompilablePatterns(new Set(patterns))).toEqual([]);
  });
});

describe('generated files are fresh', () => {
  for (const [path, make] of Object.entries(DOCS)) {
    it(`${path} matches its generator (npm run docs)`, () => {
      expect(readFileSync(root(path), 'utf8')).toBe(make());
    });
  }

  it('docs/operations.md lists every operation of the model with the registry’s status', () => {
    const doc = readFileSync(root('docs/operations.md'), 'utf8');
    for (const name of Object.keys(MODEL.operations)) expect(doc).toMatch(new RegExp(`^\\| ${name} \\|`, 'm'));
    for (const op of OPERATIONS) expect(doc).toMatch(new RegExp(`^\\| ${op.name} \\| \\w+ \\| (supported|partial)`, 'm'));
  });

  it('src/api/model/cognito-model.json matches the official model it was extracted from', () => {
    const fresh = extractModel(JSON.parse(readFileSync(MODEL_SOURCE, 'utf8')));
    expect(JSON.parse(readFileSync(root('src/api/model/cognito-model.json'), 'utf8'))).toEqual(fresh);
  });
});
