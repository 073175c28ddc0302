import { createRequire } from 'node:module';

/** One shape of the official operation model, constraints only (see scripts/gen-model.ts). */
export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'boolean' | 'timestamp' | 'blob';
  required?: string[];
  members?: Record<string, { shape: string }>;
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
}

export interface ModelOperation {
  auth: 'public' | 'sigv4';
  input: string | null;
  output: string | null;
  errors: string[];
}

export interface CognitoModel {
  operations: Record<string, ModelOperation>;
  shapes: Record<string, Shape>;
}

export const MODEL = createRequire(import.meta.url)('./cognito-model.json') as CognitoModel;

export function shapeOf(name: string): Shape {
  const s = MODEL.shapes[name];
  if (!s) throw new Error(`shape ${name} is not in the model`);
  return s;
}
