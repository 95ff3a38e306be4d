/**
 * Breaks lines wider than `maxWidth` at spaces (greedily, as many words per line as fit), for
 * images too narrow for the label even at the smallest legible font: a label spread over more
 * lines stays readable, a clipped one does not. A word wider than `maxWidth` stays whole.
 */
export function wrapLines(lines: readonly string[], maxWidth: number, measure: (text: string) => number): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (measure(line) <= maxWidth) {
      out.push(line);
      continue;
    }
    // the alignment indent of multi-label lines is worth less than the width it takes
    let current = '';
    for (const word of line.trim().split(/ +/)) {
      const candidate = current === '' ? word : `${current} ${word}`;
      if (current !== '' && measure(candidate) > maxWidth) {
        out.push(current);
        current = word;
      } else {
        current = candidate;
      }
    }
    if (current !== '') out.push(current);
  }
  return out;
}
