import { randomBytes, randomInt } from 'node:crypto';
import { computeX, deriveKey, formatTimestamp, hexToBigInt, claimSignature, k, modExp, N, scramble } from '../src/crypto/srp.js';
import { BENCH_PASSWORD, benchEmail, cognitoCall } from './cognito-client.js';

/**
 * The sign-in load generator, a child process of bench/sign-in.ts (forked with `--import tsx`, its
 * arguments as one JSON string in argv[2], talking back over IPC). A sign-in is a full SRP sign-in
 * (InitiateAuth USER_SRP_AUTH, then RespondToAuthChallenge PASSWORD_VERIFIER) of a random user
 * bench-user-<0..users-1>.
 *
 * Closed loop (no `rate`): `concurrency` workers each loop sign-in after sign-in — the most the setup
 * does on this machine. Open loop (`rate`): sign-ins start at random (Poisson) times, `rate` a second
 * on average, whether or not earlier ones have finished, and a sign-in's latency counts from the moment
 * it was due, so a stalled server cannot hide its queue (no coordinated omission).
 *
 * After `warmupSeconds` it reports `window-start`, after `seconds` more `window-end` (the parent reads
 * CPU times at both), then drains and sends the results of the window.
 */
export interface LoadArgs {
  url: string;
  poolId: string;
  clientId: string;
  users: number;
  concurrency: number;
  warmupSeconds: number;
  seconds: number;
  /** Open loop: sign-ins started per second. */
  rate?: number;
}

export interface LoadResult {
  /** Length of the measured window, ms. */
  windowMs: number;
  /** Sign-ins that completed inside the window. */
  signIns: number;
  /** Per sign-in, ms: both requests plus the client's SRP math between them (open loop: from when it was due). */
  latencies: number[];
  /** Per sign-in, ms: the two HTTP round trips only. */
  httpLatencies: number[];
  /** Sign-ins during warm-up (not counted). */
  warmupSignIns: number;
  /** Open loop: sign-ins due in the window. */
  offered: number;
  /** Open loop: most sign-ins in flight at once. */
  maxInFlight: number;
  errors: number;
  errorSamples: string[];
}

export type LoadMessage = { type: 'window-start' } | { type: 'window-end' } | ({ type: 'result' } & LoadResult);

interface ChallengeAnswer {
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  AuthenticationResult?: { AccessToken?: string };
}

const mod = (a: bigint) => ((a % N) + N) % N;

/** x and g^x of a user: fixed by their salt and password, so computed once per user (the server never sees the difference). */
const userSecrets = new Map<string, { salt: string; x: bigint; gx: bigint }>();

/**
 * One SRP sign-in as amazon-cognito-identity-js does it, except that `a` is 256 random bits (not 1024)
 * and g^x is remembered per user, to spare the CPU that the server shares with this process.
 */
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
  let secret = userSecrets.get(userId);
  if (secret?.salt !== p.SALT) {
    const x = computeX(poolName, userId, BENCH_PASSWORD, hexToBigInt(p.SALT));
    secret = { salt: p.SALT, x, gx: me.gPow(x) };
    userSecrets.set(userId, secret);
  }
  // K = HKDF((B − k·g^x)^(a + u·x)), as clientKey() in src/crypto/srp.ts.
  const B = hexToBigInt(p.SRP_B);
  const u = scramble(A, B);
  const key = deriveKey(me.pow(mod(B - k * secret.gx), a + u * secret.x), u);
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

/** Open loop: never more than this many in flight (a server that stopped answering would otherwise pile them up without end). */
const MAX_IN_FLIGHT = 1000;

async function run(args: LoadArgs, send: (m: LoadMessage) => Promise<void>): Promise<void> {
  const poolName = args.poolId.split('_')[1] ?? args.poolId;
  let phase: 'warmup' | 'measure' | 'drain' = 'warmup';
  let windowStart = 0;
  let windowEnd = 0;
  const result: LoadResult = {
    windowMs: 0, signIns: 0, latencies: [], httpLatencies: [], warmupSignIns: 0, offered: 0, maxInFlight: 0, errors: 0, errorSamples: [],
  };

  /** One sign-in, due at `due` (performance.now()); counted when it was due in the window (latency) and when it ended in it (throughput). */
  const one = async (due: number) => {
    const dueInWindow = phase === 'measure';
    try {
      const { httpMs } = await signIn(args, poolName, benchEmail(randomInt(args.users)));
      const ended = performance.now();
      if (phase === 'warmup') result.warmupSignIns++;
      else if (phase === 'measure') result.signIns++;
      if (args.rate ? dueInWindow : phase === 'measure') {
        result.latencies.push(ended - due);
        result.httpLatencies.push(httpMs);
      }
    } catch (err) {
      result.errors++;
      if (result.errorSamples.length < 5) result.errorSamples.push(err instanceof Error ? err.message : String(err));
      await new Promise((resolve) => setTimeout(resolve, 10)); // no busy loop against a server that is down
    }
  };

  const closedLoop = async () => {
    while (phase !== 'drain') await one(performance.now());
  };

  /** A function, so that the compiler does not assume `phase` unchanged across an await. */
  const draining = () => phase === 'drain';

  const openLoop = async (rate: number) => {
    const inFlight = new Set<Promise<void>>();
    let due = performance.now();
    while (phase !== 'drain') {
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      if (draining()) break;
      if (phase === 'measure') result.offered++;
      if (inFlight.size >= MAX_IN_FLIGHT) {
        result.errors++;
        if (result.errorSamples.length < 5) result.errorSamples.push(`more than ${MAX_IN_FLIGHT} sign-ins in flight: dropped`);
      } else {
        const p = one(due).finally(() => inFlight.delete(p));
        inFlight.add(p);
        result.maxInFlight = Math.max(result.maxInFlight, inFlight.size);
      }
      due += (-Math.log(1 - Math.random()) * 1000) / rate; // exponential gaps: Poisson arrivals
    }
    await Promise.all(inFlight);
  };

  const load = args.rate ? [openLoop(args.rate)] : Array.from({ length: args.concurrency }, closedLoop);
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
  await Promise.all(load);
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
