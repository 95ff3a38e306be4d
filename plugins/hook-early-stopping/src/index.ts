/** @trainkit/hook-early-stopping: EarlyStoppingHook, which ends training when a validation metric stops improving. */
import { definePlugin } from '@trainkit/core/plugin';
import { EarlyStoppingHook } from './early-stopping-hook.js';
import { type EarlyStoppingHookOptions, earlyStoppingHookOptions } from './options.js';

export { EarlyStoppingHook } from './early-stopping-hook.js';
export { type EarlyStoppingHookOptions, earlyStoppingHookOptions } from './options.js';
export { inferRule, type Rule } from './rule.js';

export const plugin = definePlugin({
  name: '@trainkit/hook-early-stopping',
  provides: { HOOKS: { EarlyStoppingHook: { cls: EarlyStoppingHook, options: earlyStoppingHookOptions } } },
});

declare module '@trainkit/core' {
  interface HookOptionsMap {
    EarlyStoppingHook: EarlyStoppingHookOptions;
  }
}
