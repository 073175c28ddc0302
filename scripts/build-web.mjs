// npm run build: builds the browser code into dist/web/ — the demo site (esbuild, scripts/build-demo.mjs)
// and the admin console (Vite, web/console/vite.config.ts). `npm start` and `npm test` run it first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const steps = [
  ['demo site', ['scripts/build-demo.mjs']],
  ['console', ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/console/vite.config.ts', '--logLevel', 'warn']],
];
for (const [name, args] of steps) {
  if (!existsSync(args[0]) || (args[0].includes('vite') && !existsSync('web/console/vite.config.ts'))) {
    console.log(`build: skipping the ${name} (not there yet)`);
    continue;
  }
  const started = Date.now();
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  console.log(`build: ${name} in ${Date.now() - started} ms`);
}
