/**
 * Extracts the facts Cognate validates against from the official operation model
 * (../shared/reference/service-2.json): for every operation its auth mode, input shape and declared
 * errors; for every shape reachable from an input or output its type and constraints. Documentation is dropped.
 * Output: src/api/model/cognito-model.json (committed; a test checks it is fresh when the model is at hand).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface RawShape {
  type: string; required?: string[]; members?: Record<string, { shape: string }>; member?: { shape: string };
  key?: { shape: string }; value?: { shape: string }; min?: number; max?: number; pattern?: string;
  enum?: string[]; sensitive?: boolean;
}
interface RawOp { name: string; input?: { shape: string }; output?: { shape: string }; errors?: { shape: string }[]; authtype?: string; auth?: string[] }

export const MODEL_SOURCE = fileURLToPath(new URL('../../shared/reference/service-2.json', import.meta.url));
export const MODEL_OUTPUT = fileURLToPath(new URL('../src/api/model/cognito-model.json', import.meta.url));

export function extractModel(raw: { operations: Record<string, RawOp>; shapes: Record<string, RawShape> }): unknown {
  const shapes: Record<string, RawShape> = {};
  const visit = (name: string): void => {
    if (shapes[name]) return;
    const s = raw.shapes[name];
    if (!s) throw new Error(`unknown shape ${name}`);
    const keep: RawShape = { type: s.type };
    for (const f of ['required', 'min', 'max', 'pattern', 'enum', 'sensitive'] as const) {
      if (s[f] !== undefined) (keep as unknown as Record<string, unknown>)[f] = s[f];
    }
    if (s.members) keep.members = Object.fromEntries(Object.entries(s.members).map(([k, v]) => [k, { shape: v.shape }]));
    if (s.member) keep.member = { shape: s.member.shape };
    if (s.key) keep.key = { shape: s.key.shape };
    if (s.value) keep.value = { shape: s.value.shape };
    shapes[name] = keep;
    for (const ref of [...Object.values(s.members ?? {}), s.member, s.key, s.value]) if (ref) visit(ref.shape);
  };
  const operations = Object.fromEntries(
    Object.values(raw.operations)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((op) => {
        if (op.input) visit(op.input.shape);
        if (op.output) visit(op.output.shape);
        const isPublic = op.authtype === 'none' || (op.auth ?? []).includes('smithy.api#noAuth');
        return [op.name, { auth: isPublic ? 'public' : 'sigv4', input: op.input?.shape ?? null, output: op.output?.shape ?? null, errors: (op.errors ?? []).map((e) => e.shape).sort() }];
      }),
  );
  const sorted = Object.fromEntries(Object.keys(shapes).sort().map((k) => [k, shapes[k]]));
  return { source: 'cognito-idp 2016-04-18 service model (constraints only)', operations, shapes: sorted };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const model = extractModel(JSON.parse(readFileSync(MODEL_SOURCE, 'utf8')));
  writeFileSync(MODEL_OUTPUT, `${JSON.stringify(model, null, 1)}\n`);
  console.log(`wrote ${MODEL_OUTPUT}`);
}
