/**
 * Preload (`node --import tsx --import ./test/helpers/warm-start.ts bin/cognate.js serve`) for tests that
 * restart the server many times: it loads the server's modules, prints `warm`, and holds the start until
 * a line arrives on stdin. Loading (transpiling) takes seconds on a busy machine; opening the database,
 * recovering it, migrating and listening — what a restart is about — happen only after the line, exactly
 * as in a cold `cognate serve`. A test warms the next process while the current one is under load, so
 * a kill -9 is followed by a restart within a fraction of a second.
 */
import '../../src/main.js';
import '@aws-sdk/client-cognito-identity-provider';
import 'commander';

process.stdout.write('warm\n');
// A spare whose test went away (stdin closed without a line) leaves instead of waiting forever.
process.stdin.once('end', () => process.exit(1));
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.removeAllListeners('end');
process.stdin.pause();
