import { ConfigError } from '../errors.js';
import type { ConfigObject } from './merge.js';

/** Names MMEngine's Config keeps for itself (`cfg.filename`, `cfg.text`, ...): refused as keys. */
export const RESERVED_KEYS = ['filename', 'text', 'pretty_text', 'env_variables'];

export function checkReservedKeys(data: ConfigObject, file?: string): void {
  for (const key of RESERVED_KEYS) {
    if (key in data) {
      throw new ConfigError(`${key} is reserved for config file: a config cannot set it (as in MMEngine)`, {
        file,
        path: key,
        found: data[key],
        fix: `rename the key${key === 'filename' ? "; the file's own name is {{ fileBasename }}" : ''}`,
      });
    }
  }
}
