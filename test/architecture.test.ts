import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Imports go down the layers (docs in README, "Layout"): api → domain → store interfaces; errors,
 * config and crypto are leaves; the CLI never reaches into the domain or the store's implementation.
 */
const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const edges = files(SRC).flatMap((file) => {
  const from = relative(SRC, file);
  return [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => ({
    from,
    to: relative(SRC, resolve(dirname(file), m[1]!)).replace(/\.js$/, '.ts'),
  }));
});

const RULES: { layer: string; mayImport: RegExp }[] = [
  { layer: 'errors/', mayImport: /^errors\// },
  { layer: 'config/', mayImport: /^config\// },
  { layer: 'crypto/', mayImport: /^crypto\// },
  { layer: 'domain/', mayImport: /^(domain|errors|crypto)\/|^store\/store\.ts$|^mail\/mailer\.ts$/ },
  { layer: 'store/', mayImport: /^store\/|^domain\/settings\.ts$/ },
  { layer: 'mail/', mayImport: /^(mail|crypto)\/|^store\/store\.ts$|^domain\/(deps|settings)\.ts$/ },
  { layer: 'api/', mayImport: /^(api|domain|errors|crypto)\/|^store\/store\.ts$/ },
  // The console reaches Cognito semantics only through the dispatcher; config-js.ts is a leaf (a file format).
  { layer: 'http/console/', mayImport: /^http\/console\/|^api\/dispatch\.ts$|^crypto\/|^runtime\.ts$|^errors\/|^demo\/config-js\.ts$/ },
  { layer: 'http/', mayImport: /^(http|domain|errors|crypto)\/|^store\/store\.ts$|^mail\/mailer\.ts$|^runtime\.ts$|^api\/dispatch\.ts$|^demo\/config-js\.ts$/ },
  // Bulk import/export runs in the CLI process against the database (like migrate), on the domain's rules.
  // …and opens the database's secrets with the master key as the server does (sealed-secrets.ts).
  { layer: 'bulk/', mayImport: /^(bulk|domain|crypto|errors|config)\/|^store\/(store|open-store|sealed-secrets)\.ts$/ },
  { layer: 'cli/', mayImport: /^(cli|config|demo|bulk)\/|^store\/open-store\.ts$|^main\.ts$/ },
];

describe('layering', () => {
  it('sees the import graph (guards the rules below against reading nothing)', () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(edges).toContainEqual({ from: 'api/dispatch.ts', to: 'api/auth/sigv4.ts' });
  });
  for (const rule of RULES) {
    it(`${rule.layer} imports only what its layer may`, () => {
      const bad = edges.filter((e) => e.from.startsWith(rule.layer) && !rule.mayImport.test(e.to));
      expect(bad).toEqual([]);
    });
  }
  it('reads process.env only in config/ (and the CLI entry in bin/)', () => {
    const readers = files(SRC).filter((f) => /process\.env/.test(readFileSync(f, 'utf8'))).map((f) => relative(SRC, f));
    expect(readers.filter((f) => !f.startsWith('config/'))).toEqual([]);
  });
});
