import { ConfigError } from '../errors.js';

/** Several config problems reported at once (`trainkit check`, or a run refused before it starts). */
export class ConfigErrorList extends ConfigError {
  override name = 'ConfigErrorList';

  constructor(readonly errors: ConfigError[]) {
    super(`${errors.length} problems in the config:\n\n${errors.map((e) => e.message).join('\n\n')}`);
  }
}

/** Throws nothing for no errors, the error itself for one, a ConfigErrorList for several. */
export function throwConfigErrors(errors: ConfigError[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ConfigErrorList(errors);
}
