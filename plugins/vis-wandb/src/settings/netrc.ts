import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where `wandb login` keeps the key: a `.netrc` entry whose `machine` is the API host (password =
 * key). `NETRC` overrides the file, as for curl and the W&B SDK; Windows uses `_netrc`.
 */
export function netrcPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NETRC) return env.NETRC;
  const home = env.HOME || env.USERPROFILE || os.homedir();
  const unix = path.join(home, '.netrc');
  if (process.platform === 'win32' && !fs.existsSync(unix)) return path.join(home, '_netrc');
  return unix;
}

/** The password stored for `host` (or the `default` entry), if any. */
export function netrcPassword(file: string, host: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const tokens = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join(' ')
    .split(/\s+/)
    .filter(Boolean);
  let fallback: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t !== 'machine' && t !== 'default') continue;
    const machine = t === 'machine' ? tokens[++i] : undefined;
    let password: string | undefined;
    // read this entry's key/value pairs up to the next entry
    while (i + 1 < tokens.length && tokens[i + 1] !== 'machine' && tokens[i + 1] !== 'default') {
      const key = tokens[++i];
      const value = tokens[++i];
      if (key === 'password') password = value;
      if (key === 'macdef') break;
    }
    if (machine === host && password) return password;
    if (t === 'default' && password) fallback = password;
  }
  return fallback;
}
