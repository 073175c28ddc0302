import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSiteRoutes } from '../../src/http/demo-site.js';
import type { PoolAndClient } from '../../src/runtime.js';

/** The site plugin alone (fastify inject): what it says when the build or the site pool is missing. */
describe('demo site before the build and without a site pool', () => {
  let webRoot: string;
  let app: FastifyInstance;
  let site: PoolAndClient | undefined;

  beforeAll(async () => {
    webRoot = mkdtempSync(join(tmpdir(), 'cognate-web-'));
    app = Fastify();
    await app.register(demoSiteRoutes({ webRoot, publicUrl: () => 'http://127.0.0.1:9229', siteIds: async () => site }));
  });
  afterAll(async () => {
    await app?.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('answers 503 at / telling to run npm run build, under the site headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain('npm run build');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await app.inject({ method: 'GET', url: '/register.html' })).statusCode).toBe(503);
  });

  it('answers 503 for /js/config.js while there is no site pool, then the config once there is one', async () => {
    const none = await app.inject({ method: 'GET', url: '/js/config.js' });
    expect(none.statusCode).toBe(503);
    expect(none.body).toMatch(/no user pool.*COGNATE_SITE_USER_POOL_ID/s);
    site = { poolId: 'us-east-1_Demo1234', clientId: 'democlient123' };
    const config = await app.inject({ method: 'GET', url: '/js/config.js' });
    expect(config.statusCode).toBe(200);
    expect(config.body).toContain("userPoolId: 'us-east-1_Demo1234'");
    expect(config.body).toContain("endpoint: 'http://127.0.0.1:9229/'");
    expect(config.body).toContain("invokeUrl: 'http://127.0.0.1:9229/demo/api'");
  });

  it('serves the pages as soon as the build writes them, without a restart; GET and HEAD only', async () => {
    mkdirSync(join(webRoot, 'demo'));
    writeFileSync(join(webRoot, 'demo', 'index.html'), '<!doctype html><title>built</title>');
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('built');
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'self';script-src 'self';connect-src 'self' http://127.0.0.1:9229;style-src 'self';img-src 'self' data:;" +
        "frame-ancestors 'none';base-uri 'self';form-action 'self';object-src 'none'",
    );
    expect((await app.inject({ method: 'HEAD', url: '/' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/' })).statusCode).toBe(404);
  });
});
