/**
 * trainkit-plugin-iteration-alarm: IterationAlarmHook for trainkit. Importing this module
 * registers the hook; trainkit imports it for you when a config names `IterationAlarmHook`
 * (through the "trainkit" manifest in package.json) or lists the package in `custom_imports`.
 */
import { type PluginOptions, definePlugin } from '@trainkit/core/plugin';
import { IterationAlarmHook } from './iteration-alarm-hook.js';
import { iterationAlarmHookOptions } from './options.js';

export { IterationAlarmHook, type Alarm } from './iteration-alarm-hook.js';
export { type IterationAlarmHookOptions, iterationAlarmHookOptions } from './options.js';

/** The one declaration: registers the hook; package.json's "trainkit" manifest must match it. */
export const plugin = definePlugin({
  name: 'trainkit-plugin-iteration-alarm',
  provides: { HOOKS: { IterationAlarmHook: { cls: IterationAlarmHook, options: iterationAlarmHookOptions } } },
});

// Configs written in TypeScript get `{type: 'IterationAlarmHook', ...}` checked and autocompleted.
declare module '@trainkit/core' {
  interface HookOptionsMap extends PluginOptions<typeof plugin, 'HOOKS'> {}
}
