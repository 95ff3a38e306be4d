/**
 * A JSON parser for the stand-in server that, like W&B's backend, accepts the bare tokens `NaN`,
 * `Infinity` and `-Infinity`. Written separately from the client's code on purpose: the tests
 * should not share a parser with what they test.
 */
export function parseLenientJson(text: string): unknown {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`lenient JSON: ${what} at ${i} in ${text.slice(0, 80)}`);
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        const k = value();
        if (typeof k !== 'string') fail('object key');
        ws();
        if (text[i++] !== ':') fail('":"');
        obj[k as string] = value();
        ws();
        const d = text[i++];
        if (d === '}') return obj;
        if (d !== ',') fail('"," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        const d = text[i++];
        if (d === ']') return arr;
        if (d !== ',') fail('"," or "]"');
      }
    }
    if (c === '"') {
      const start = i;
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      return JSON.parse(text.slice(start, i));
    }
    for (const [tok, v] of [
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['-Infinity', Number.NEGATIVE_INFINITY],
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(tok, i)) {
        i += tok.length;
        return v;
      }
    }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail('a value');
    i += (m as RegExpExecArray)[0].length;
    return Number((m as RegExpExecArray)[0]);
  };
  const v = value();
  ws();
  if (i !== text.length) fail('end of input');
  return v;
}
