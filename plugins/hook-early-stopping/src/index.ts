/** @trainkit/hook-early-stopping: EarlyStoppingHook, which ends training when a validation metric stops improving. */
import { HOOKS } from '@trainkit/core';
import { EarlyStoppingHook } from './early-stopping-hook.js';
import { type EarlyStoppingHookOptions, earlyStoppingHookOptions } from './options.js';

export { EarlyStoppingHook } from './early-stopping-hook.js';
export { type EarlyStoppingHookOptions, earlyStoppingHookOptions } from './options.js';
export { inferRule, type Rule } from './rule.js';

HOOKS.register('EarlyStoppingHook', EarlyStoppingHook, { options: earlyStoppingHookOptions, from: '@trainkit/hook-early-stopping' });

declare module '@trainkit/core' {
  interface HookOptionsMap {
    EarlyStoppingHook: EarlyStoppingHookOptions;
  }
}
