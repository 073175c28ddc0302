// The admin console: React + Vite, built by `npm run build` (scripts/build-web.mjs) into dist/web/console,
// which the server serves at /console/ with an SPA fallback. No inline scripts or styles (the CSP allows
// only 'self'), no web fonts, nothing fetched from the internet.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// React's production build and JSX runtime, even when the build runs inside a test process (vitest
// sets NODE_ENV=test, which would otherwise give a development bundle).
process.env.NODE_ENV = 'production';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [react()],
  define: {
    'process.env.NODE_ENV': JSON.stringify('production'),
    // amazon-cognito-identity-js's `buffer` polyfill reads Node's `global`.
    global: 'globalThis',
  },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web/console', import.meta.url)),
    emptyOutDir: true,
    // Everything as files: no data: URIs for the CSP to weigh.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
