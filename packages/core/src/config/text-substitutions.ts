import { ConfigError } from '../errors.js';

const BASE_REF_TEXT = /\{\{\s*_base_\.([\w.]+)\s*\}\}/g;
// MMEngine's form, quotes inside the braces included: {{$NUM_CLASSES:80}}, {{'$NUM_CLASSES:80'}}
const ENV_TEXT = /\{\{['"]?\s*\$(\w+)\s*(?::\s*(\S*?))?\s*['"]?\}\}/g;

/**
 * An unquoted `{{$VAR:default}}` standing as a whole value is replaced in the text, as MMEngine
 * does, so it takes the type the value reads as (`num_classes: {{$NUM_CLASSES:80}}` is a number).
 * In JSON a value that is not a JSON literal is written as a string. Quoted references are left
 * to the substitution of string values.
 */
export function substituteEnvInText(text: string, env: NodeJS.ProcessEnv, json: boolean, file: string): string {
  return text.replace(ENV_TEXT, (match, name: string, fallback: string | undefined, offset: number) => {
    if (insideQuotes(text, offset) || !standsAlone(text, offset, offset + match.length)) return match;
    const value = env[name] ?? fallback;
    if (value === undefined || value === '') {
      throw new ConfigError(`environment variable ${name} is not set and has no default`, { file, fix: `set ${name}, or write {{$${name}:default}}` });
    }
    return json && !isJsonLiteral(value) ? JSON.stringify(value) : value;
  });
}

function isJsonLiteral(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

/**
 * MMEngine substitutes `{{ _base_.x }}` in the text of a config file before parsing it, so in
 * JSON and YAML the reference is written unquoted (`"item": {{ _base_.item2 }}`) and takes the
 * base value with its type. Here such an unquoted reference, standing as a whole value, becomes
 * the quoted string `"{{_base_.x}}"`, which substitution then replaces by the value. References
 * inside quoted strings are left alone (a whole quoted reference is typed too; one inside other
 * text is interpolated).
 */
export function quoteBaseRefs(text: string): string {
  return text.replace(BASE_REF_TEXT, (match, key: string, offset: number) => {
    if (insideQuotes(text, offset) || !standsAlone(text, offset, offset + match.length)) return match;
    return `"{{_base_.${key}}}"`;
  });
}

/** Whether `offset` is inside a '...' or "..." string that starts on the same line. */
function insideQuotes(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let quote: string | undefined;
  for (let i = lineStart; i < offset; i++) {
    const ch = text[i];
    if (quote === '"' && ch === '\\') i++;
    else if (quote && ch === quote) quote = undefined;
    else if (!quote && (ch === '"' || ch === "'") && (ch === '"' || /[\s:[{,-]/.test(text[i - 1] ?? ' '))) quote = ch;
    else if (!quote && ch === '#') return false; // a YAML comment
  }
  return quote !== undefined;
}

/** Whether the reference is a whole value: after `:`, `[`, `,`, `-` or a line start, before `,`, `]`, `}` or a line end. */
function standsAlone(text: string, start: number, end: number): boolean {
  let i = start - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  const before = i < 0 ? '\n' : text[i];
  let j = end;
  while (j < text.length && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r')) j++;
  const after = j >= text.length ? '\n' : text[j];
  return ':[,-\n{'.includes(before) && ',]}\n#'.includes(after);
}
