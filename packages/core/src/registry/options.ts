import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { didYouMean } from '../utils/did-you-mean.js';

/**
 * Every registered module declares its options as a zod object. The same schema gives the TS
 * type a config file is checked against (`z.input<typeof schema>`) and the run-time validation
 * that rejects unknown or mistyped options with the config path and a hint.
 */
export type OptionsSchema = z.ZodObject<z.ZodRawShape>;

/** `strict` object schema: unknown keys are errors, so typos never pass silently. */
export function defineOptions<S extends z.ZodRawShape>(shape: S) {
  return z.strictObject(shape);
}

/** Parses `value` against `schema`, turning the first problem into a ConfigError at `path`. */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, path: string, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw optionsErrors(result.error, value, path, what, schema)[0];
}

/** Every problem of `value` against `schema`, one ConfigError each (for `trainkit check`). */
export function optionIssues(schema: z.ZodType, value: unknown, path: string, what: string): ConfigError[] {
  const result = schema.safeParse(value);
  return result.success ? [] : optionsErrors(result.error, value, path, what, schema);
}

function optionsErrors(error: z.ZodError, value: unknown, path: string, what: string, schema: z.ZodType): ConfigError[] {
  // An unknown key usually explains the other issues (a typo leaves a required key missing), so
  // unknown keys come first, and a missing key next to an unknown one at the same place is left out.
  const unknown = error.issues.filter((i) => i.code === 'unrecognized_keys');
  const unknownAt = new Set(unknown.map((i) => i.path.map(String).join('.')));
  const others = error.issues.filter(
    (i) => i.code !== 'unrecognized_keys' && !(isMissing(i, value) && unknownAt.has(i.path.slice(0, -1).map(String).join('.'))),
  );
  const out: ConfigError[] = [];
  for (const issue of unknown) for (const key of (issue as { keys: string[] }).keys) out.push(unknownKeyError(issue, key, path, what, schema));
  for (const issue of others) out.push(valueError(issue, value, path, what));
  return out;
}

function isMissing(issue: z.core.$ZodIssue, value: unknown): boolean {
  return valueAt(value, issue.path) === undefined;
}

function joinPath(path: string, issuePath: PropertyKey[]): string {
  return [path, ...issuePath.map(String)].filter((p) => p !== '').join('.');
}

function unknownKeyError(issue: z.core.$ZodIssue, key: string, path: string, what: string, schema: z.ZodType): ConfigError {
  const known = knownKeys(schema, issue.path.map(String));
  const keyPath = joinPath(path, [...issue.path, key]);
  return new ConfigError(`unknown option "${key}" for ${what}.${didYouMean(key, known)}`, {
    path: keyPath,
    fix: known.length ? `use one of: ${known.join(', ')}` : `remove "${key}"`,
  });
}

function valueError(issue: z.core.$ZodIssue, value: unknown, path: string, what: string): ConfigError {
  const found = valueAt(value, issue.path);
  return new ConfigError(`invalid value for ${what}: ${issue.message}`, {
    path: joinPath(path, issue.path),
    found: found === undefined ? 'nothing (the option is required)' : found,
    fix: describeExpected(issue),
  });
}

function describeExpected(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `give a ${issue.expected}`;
    case 'too_small':
      return `give a value ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return `give a value ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`;
    case 'invalid_value':
      return `use one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let v: unknown = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** The option names a schema (or one of its nested objects) accepts. */
export function knownKeys(schema: z.ZodType, path: string[] = []): string[] {
  let s: unknown = schema;
  for (const key of path) {
    const shape = shapeOf(s);
    if (!shape) return [];
    s = shape[key];
  }
  const shape = shapeOf(s);
  return shape ? Object.keys(shape) : [];
}

function shapeOf(schema: unknown): Record<string, z.ZodType> | undefined {
  let s = schema as { def?: { type?: string; innerType?: unknown; shape?: Record<string, z.ZodType> } } | undefined;
  // unwrap optional/default/nullable wrappers
  for (let i = 0; i < 5 && s?.def?.innerType; i++) s = s.def.innerType as typeof s;
  return s?.def?.type === 'object' ? s.def.shape : undefined;
}

export { z };
