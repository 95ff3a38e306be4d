const BASE_REF_TEXT = /\{\{\s*_base_\.([\w.]+)\s*\}\}/g;

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
