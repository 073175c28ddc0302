// Builds the Wild Rydes demo site (web/demo) into dist/web/demo: one esbuild bundle (app.js, with
// amazon-cognito-identity-js inside) and the static pages, styles and images copied beside it.
// Run by `npm run build` (scripts/build-web.mjs). Type-check the browser code with `npx tsc -p web/demo`.
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'web/demo');
const out = join(root, 'dist/web/demo');
const STATIC = /\.(html|css|svg|png|ico|txt)$/;

await mkdir(out, { recursive: true });
// Stale files of an earlier build go; the new ones are written over the old in place (a server
// running from dist/ keeps serving while this runs).
const wanted = new Set(['app.js', 'app.js.map', ...(await readdir(src)).filter((f) => STATIC.test(f))]);
for (const f of await readdir(out)) if (!wanted.has(f)) await rm(join(out, f), { recursive: true, force: true });

await esbuild.build({
  entryPoints: [join(src, 'src/main.ts')],
  outfile: join(out, 'app.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  // amazon-cognito-identity-js and its `buffer` polyfill expect a Node-ish global.
  define: { global: 'globalThis', 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
  tsconfig: join(src, 'tsconfig.json'),
});
for (const f of await readdir(src)) if (STATIC.test(f)) await copyFile(join(src, f), join(out, f));
