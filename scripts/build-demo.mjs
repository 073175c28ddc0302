// Builds the Wild Rydes demo site (web/demo) into dist/web/demo: one esbuild bundle (app.js, with
// amazon-cognito-identity-js inside), each page of web/demo/pages set in the shared frame
// web/demo/layout.html, and the styles and images copied beside them.
// Run by `npm run build` (scripts/build-web.mjs). Type-check the browser code with `npx tsc -p web/demo`.
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'web/demo');
const out = join(root, 'dist/web/demo');
const STATIC = /\.(css|svg|png|ico|txt)$/;

await mkdir(out, { recursive: true });
// Stale files of an earlier build go; the new ones are written over the old in place (a server
// running from dist/ keeps serving while this runs).
const pages = (await readdir(join(src, 'pages'))).filter((f) => f.endsWith('.html'));
const wanted = new Set(['app.js', 'app.js.map', ...pages, ...(await readdir(src)).filter((f) => STATIC.test(f))]);
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

// A page file starts with `<!-- title: … | page: … -->` and holds its <main>; the frame gives every page
// the same head, header and footer, and marks the page's own link in the navigation.
const layout = (await readFile(join(src, 'layout.html'), 'utf8')).replace(/^<!--.*?-->\n/, '');
for (const file of pages) {
  const text = await readFile(join(src, 'pages', file), 'utf8');
  const meta = /^<!-- title: (.+?) \| page: ([\w-]+) -->\n/.exec(text);
  if (!meta) throw new Error(`web/demo/pages/${file}: the first line must be <!-- title: … | page: … -->`);
  const html = layout
    .replace('{{title}}', meta[1])
    .replace('{{page}}', meta[2])
    .replace('{{main}}', text.slice(meta[0].length).trimEnd())
    .replace(`<a href="/${file}">`, `<a href="/${file}" aria-current="page">`);
  await writeFile(join(out, file), html);
}
