import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Builds the demo site (scripts/build-demo.mjs) if dist/web/demo is missing, as when vitest runs a
 * file directly without `npm test` (whose pretest builds). An existing build is used as it is.
 */
export function ensureDemoBuilt(): void {
  if (existsSync(`${ROOT}dist/web/demo/app.js`) && existsSync(`${ROOT}dist/web/demo/index.html`)) return;
  execFileSync(process.execPath, ['scripts/build-demo.mjs'], { cwd: ROOT, stdio: 'inherit' });
}
