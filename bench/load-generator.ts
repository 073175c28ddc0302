import { randomBytes, randomInt } from 'node:crypto';
import { claimSignature, clientKey, computeX, formatTimestamp, hexToBigInt, modExp } from '../src/crypto/srp.js';
import { BENCH_PASSWORD, benchEmail, cognitoCall } from './cognito-client.js';

/**
 * The sign-in load generator, a child process of bench/sign-in.ts (forked with `--import tsx`, its
 * arguments as one JSON string in argv[2], talking back over IPC). Each of `concurrency` workers
 * loops: full SRP sign-in (InitiateAuth USER_SRP_AUTH, then RespondToAuthChallenge PASSWORD_VERIFIER)
 * of a random user bench-user-<0..users-1>. After `warmupSeconds` it reports `window-start`, after
 * `seconds` more `window-end` (the parent reads the server's CPU time at both), then drains and sends
 * the sign-ins that completed inside the window.
 */
export interface LoadArgs {
  url: string;
  poolId: string;
  clientId: string;
  users: number;
  concurrency: number;
  warmupSeconds: number;
  seconds: number;
}

export interface LoadResult {
  /** Length of the measured window, ms. */
  windowMs: number;
  /** Sign-ins that completed inside the window. */
  signIns: number;
  /** Per sign-in, ms: both requests plus the client's SRP math between them. */
  latencies: number[];
  /** Per sign-in, ms: the two HTTP round trips only. */
  httpLatencies: number[];
  /** Sign-ins during warm-up (not counted). */
  warmupSignIns: number;
  errors: number;
  errorSamples: string[];
}

export type LoadMessage = { type: 'window-start' } | { type: 'window-end' } | ({ type: 'result' } & LoadResult);

interface ChallengeAnswer {
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  AuthenticationResult?: { AccessToken?: string };
}

/** One SRP sign-in as amazon-cognito-identity-js does it, except that `a` is 256 random bits (not 1024) to spare our CPU. */
async function signIn(args: LoadArgs, poolName: string, email: string): Promise<{ httpMs: number }> {
  const me = modExp();
  const a = hexToBigInt(randomBytes(32).toString('hex'));
  const A = me.gPow(a);
  let t = performance.now();
  const challenge = await cognitoCall<ChallengeAnswer>(args.url, 'InitiateAuth', {
    AuthFlow: 'USER_SRP_AUTH', ClientId: args.clientId, AuthParameters: { USERNAME: email, SRP_A: A.toString(16) },
  });
  let httpMs = performance.now() - t;
  const p = challenge.ChallengeParameters ?? {};
  if (challenge.ChallengeName !== 'PASSWORD_VERIFIER' || !p.SALT || !p.SRP_B || !p.SECRET_BLOCK || !p.USER_ID_FOR_SRP) {
    throw new Error(`unexpected InitiateAuth answer: ${JSON.stringify(challenge).slice(0, 200)}`);
  }
  const userId = p.USER_ID_FOR_SRP;
  const x = computeX(poolName, userId, BENCH_PASSWORD, hexToBigInt(p.SALT));
  const key = clientKey(a, A, hexToBigInt(p.SRP_B), x);
  const timestamp = formatTimestamp(new Date());
  const signature = claimSignature(key, poolName, userId, Buffer.from(p.SECRET_BLOCK, 'base64'), timestamp).toString('base64');
  t = performance.now();
  const result = await cognitoCall<ChallengeAnswer>(args.url, 'RespondToAuthChallenge', {
    ChallengeName: 'PASSWORD_VERIFIER', ClientId: args.clientId,
    ChallengeResponses: { USERNAME: userId, PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE: signature, TIMESTAMP: timestamp },
  });
  httpMs += performance.now() - t;
  if (!result.AuthenticationResult?.AccessToken) throw new Error(`no tokens: ${JSON.stringify(result).slice(0, 200)}`);
  return { httpMs };
}

async function run(args: LoadArgs, send: (m: LoadMessage) => Promise<void>): Promise<void> {
  const poolName = args.poolId.split('_')[1] ?? args.poolId;
  let phase: 'warmup' | 'measure' | 'drain' = 'warmup';
  let windowStart = 0;
  let windowEnd = 0;
  const result: LoadResult = { windowMs: 0, signIns: 0, latencies: [], httpLatencies: [], warmupSignIns: 0, errors: 0, errorSamples: [] };

  const worker = async () => {
    while (phase !== 'drain') {
      const started = performance.now();
      try {
        const { httpMs } = await signIn(args, poolName, benchEmail(randomInt(args.users)));
        const ended = performance.now();
        if (phase === 'warmup') result.warmupSignIns++;
        else if (phase === 'measure') {
          result.signIns++;
          result.latencies.push(ended - started);
          result.httpLatencies.push(httpMs);
        }
      } catch (err) {
        result.errors++;
        if (result.errorSamples.length < 5) result.errorSamples.push(err instanceof Error ? err.message : String(err));
        await new Promise((resolve) => setTimeout(resolve, 10)); // no busy loop against a server that is down
      }
    }
  };

  const workers = Array.from({ length: args.concurrency }, worker);
  setTimeout(() => {
    phase = 'measure';
    windowStart = performance.now();
    void send({ type: 'window-start' });
    setTimeout(() => {
      phase = 'drain';
      windowEnd = performance.now();
      void send({ type: 'window-end' });
    }, args.seconds * 1000);
  }, args.warmupSeconds * 1000);
  await Promise.all(workers);
  result.windowMs = windowEnd - windowStart;
  await send({ type: 'result', ...result });
}

/** Resolves once the message is handed to the IPC channel, so that disconnecting after it loses nothing. */
const send = (m: LoadMessage) =>
  new Promise<void>((resolve, reject) => {
    if (!process.send) throw new Error('bench/load-generator.ts is run by bench/sign-in.ts (it needs an IPC channel)');
    process.send(m, undefined, {}, (err) => (err ? reject(err) : resolve()));
  });

run(JSON.parse(process.argv[2] ?? '{}') as LoadArgs, send)
  .then(() => process.disconnect?.())
  .catch((err: unknown) => {
    process.stderr.write(`load generator failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
