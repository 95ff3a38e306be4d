import { Writable } from 'node:stream';

/**
 * A stand-in for a terminal: a TTY-looking stream that records what is written and can replay
 * it onto a screen (the cursor moves and erases that readline and cli-progress use), so a test
 * sees what a user would see.
 */
export class FakeTerminal extends Writable {
  readonly isTTY = true;
  readonly columns = 200;
  output = '';

  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.output += String(chunk);
    done();
  }

  /** Writes a log line the way the logger's console does. */
  println = (line: string) => {
    this.write(`${line}\n`);
  };

  /** The screen after replaying the output: rows with trailing blanks removed. */
  screen(): string[] {
    const rows: string[][] = [[]];
    let row = 0;
    let col = 0;
    const text = this.output;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\x1b') {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences start with ESC
        const m = /^\x1b\[(\d*)([A-Za-z])/.exec(text.slice(i));
        if (!m) throw new Error(`unexpected escape at ${i}: ${JSON.stringify(text.slice(i, i + 8))}`);
        i += m[0].length - 1;
        const n = m[1] === '' ? undefined : Number(m[1]);
        const line = rows[row];
        switch (m[2]) {
          case 'G':
            col = (n ?? 1) - 1;
            break;
          case 'A':
            row = Math.max(0, row - (n ?? 1));
            break;
          case 'K':
            if (n === 2) line.length = 0;
            else if (!n) line.length = Math.min(line.length, col);
            else line.fill(' ', 0, col);
            break;
          case 'J':
            line.length = Math.min(line.length, col);
            rows.length = row + 1;
            break;
          case 'm':
            break;
          default:
            throw new Error(`escape ${m[0]} is not emulated`);
        }
        continue;
      }
      if (ch === '\n') {
        // a terminal in cooked mode turns \n into \r\n
        row++;
        col = 0;
        rows[row] ??= [];
        continue;
      }
      if (ch === '\r') {
        col = 0;
        continue;
      }
      const line = rows[row];
      while (line.length < col) line.push(' ');
      line[col++] = ch;
    }
    const out = rows.map((r) => r.join('').trimEnd());
    while (out.length && out[out.length - 1] === '') out.pop();
    return out;
  }
}
