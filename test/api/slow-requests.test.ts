import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkshopPool, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Slow requests (slowloris): a client that trickles its headers or body in holds a connection and a
 * parser. COGNATE_REQUEST_TIMEOUT bounds the whole request; here 2 s, so that the test is short.
 */
const TIMEOUT_S = 2;
let server: TestServer;
let clientId: string;

beforeAll(async () => {
  server = await startTestServer({ requestTimeout: TIMEOUT_S });
  ({ clientId } = await createWorkshopPool(server));
});
afterAll(async () => server?.stop());

interface Trickle {
  /** What the server sent back before it closed the connection. */
  answer: string;
  /** From the first byte sent to the close, ms. */
  heldMs: number;
}

/** Sends `head` at once, then `rest` one byte every 200 ms, until the server closes the connection. */
function trickle(head: string, rest: string): Promise<Trickle> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket: Socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    let i = 0;
    const timer = setInterval(() => {
      if (i < rest.length && !socket.destroyed) socket.write(rest[i++]!);
    }, 200);
    socket.on('connect', () => socket.write(head));
    socket.on('data', (d) => (answer += d.toString('utf8')));
    socket.on('error', () => {}); // a reset after the 408 is a close like any other
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, heldMs: performance.now() - started });
    });
    setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`the server kept a trickled request open for 20 s; got: ${answer}`));
    }, 20_000);
  });
}

describe('COGNATE_REQUEST_TIMEOUT', () => {
  it('answers a trickled body 408 and closes the connection, without running the operation; other clients are served meanwhile', async () => {
    const email = 'slow-body@example.com';
    const body = JSON.stringify({ ClientId: clientId, Username: email, Password: 'Slow-Body-Passw0rd!' });
    const head =
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n` +
      `X-Amz-Target: AWSCognitoIdentityProviderService.SignUp\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    const slow = trickle(head, body); // 200 ms a byte: the body would take over 15 s

    // Meanwhile an ordinary request is answered at once.
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);

    const { answer, heldMs } = await slow;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    // Cut after the timeout (checked every second), long before the body could have arrived.
    expect(heldMs).toBeGreaterThanOrEqual(TIMEOUT_S * 1000 - 100);
    expect(heldMs).toBeLessThan(TIMEOUT_S * 1000 + 3000);
    expect(await server.store.users.getByEmailKey((await server.store.clients.get(clientId))!.poolId, email)).toBeUndefined();
  });

  it('answers trickled headers 408 too', async () => {
    const { answer, heldMs } = await trickle('POST / HTTP/1.1\r\n', 'Host: 127.0.0.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.SignUp\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(heldMs).toBeLessThan(TIMEOUT_S * 1000 + 3000);
  });

  it('leaves a request that is slow but within the limit alone', async () => {
    const body = JSON.stringify({ ClientId: 'x' });
    const head =
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/x-amz-json-1.1\r\n` +
      `X-Amz-Target: AWSCognitoIdentityProviderService.SignUp\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    // 3 bytes at 200 ms: 0.6 s, well inside 2 s; the rest of the body at once after them.
    const { answer } = await trickle(head + body.slice(0, -3), body.slice(-3));
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('InvalidParameterException');
  });
});
