import { z } from 'zod';
import { SETTINGS, type Config } from './settings.js';

export class ConfigError extends Error {}

/**
 * Reads every setting from the environment (the only place process.env is read), validates it once
 * and returns a frozen object. `overrides` wins over the environment (tests, the CLI).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, spec] of Object.entries(SETTINGS)) {
    if (key in overrides) {
      out[key] = (overrides as Record<string, unknown>)[key];
      continue;
    }
    const raw = env[spec.env];
    const parsed = (spec.schema as z.ZodType).safeParse(raw === '' ? undefined : raw);
    if (parsed.success) out[key] = parsed.data;
    else problems.push(`${spec.env}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  if ((out.adminAccessKeyId === undefined) !== (out.adminSecretAccessKey === undefined)) {
    problems.push('COGNATE_ADMIN_ACCESS_KEY_ID and COGNATE_ADMIN_SECRET_ACCESS_KEY must be set together');
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return Object.freeze(out) as Config;
}

/** The base URL that clients use, derived from the listen address when not configured. */
export function publicUrlOf(config: Config, listeningPort: number): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, '');
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${listeningPort}`;
}
