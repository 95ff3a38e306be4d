/**
 * @trainkit/core/config: working with config objects beyond loading them (`Config` is in the main
 * entry): merging, `--cfg-options` overrides, validation and the top-level keys plugins declare.
 */
export { mergeConfig, isPlainObject } from '../config/merge.js';
export { mergeFromDict, parseCfgOption, parseOptionValue } from '../config/cfg-options.js';
export { validateConfig, assertValidConfig, declareTopLevelKey, knownTopLevelKeys, type SectionCheck, type ValidateOptions } from '../config/validate.js';
export { ConfigErrorList, throwConfigErrors } from '../config/config-error-list.js';
export { randomnessOptions, envCfgOptions } from '../config/sections.js';
