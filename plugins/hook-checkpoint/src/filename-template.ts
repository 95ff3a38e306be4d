import { ConfigError } from '@trainkit/core';

/** `{}` or `{:spec}` with Python's format-spec mini-language for integers. */
const FIELD = /\{(?::([^{}]*))?\}/g;
const SPEC = /^(?:(.)?([<>^=]))?([+\- ])?(0)?(\d+)?(d)?$/;

/**
 * A checkpoint file name template as MMEngine's `filename_tmpl` (Python `str.format` with one
 * field): `epoch_{}.safetensors`, `ckpt_{:03d}.safetensors`, `iter_{:>6}.safetensors`.
 */
export class FilenameTemplate {
  private readonly before: string;
  private readonly after: string;
  private readonly spec: RegExpExecArray;

  constructor(readonly template: string) {
    const fields = [...template.matchAll(FIELD)];
    if (fields.length !== 1) {
      throw new ConfigError(`filename_tmpl must contain exactly one "{}" field, found ${fields.length}`, {
        path: 'filename_tmpl',
        found: template,
        fix: "e.g. 'epoch_{}.safetensors' or 'ckpt_{:03d}.safetensors'",
      });
    }
    const f = fields[0];
    const spec = SPEC.exec(f[1] ?? '');
    if (!spec) {
      throw new ConfigError(`filename_tmpl has a format spec trainkit does not support: "${f[0]}"`, {
        path: 'filename_tmpl',
        found: template,
        fix: 'use {} or an integer spec such as {:03d} or {:>5}',
      });
    }
    this.spec = spec;
    this.before = unescapeBraces(template.slice(0, f.index));
    this.after = unescapeBraces(template.slice(f.index + f[0].length));
  }

  format(n: number): string {
    const [, fillChar, align, sign, zero, widthText] = this.spec;
    const digits = String(Math.abs(n));
    const signText = n < 0 ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
    const width = Number(widthText ?? 0);
    let text = signText + digits;
    if (text.length < width) {
      const pad = width - text.length;
      const fill = fillChar ?? (zero && !align ? '0' : ' ');
      const how = align ?? (zero ? '=' : '>');
      if (how === '=') text = signText + fill.repeat(pad) + digits;
      else if (how === '<') text += fill.repeat(pad);
      else if (how === '^') text = fill.repeat(Math.floor(pad / 2)) + text + fill.repeat(Math.ceil(pad / 2));
      else text = fill.repeat(pad) + text;
    }
    return this.before + text + this.after;
  }
}

function unescapeBraces(s: string): string {
  return s.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
}
