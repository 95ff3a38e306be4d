/**
 * trainkit-plugin-iteration-alarm: IterationAlarmHook for trainkit. Importing this module
 * registers the hook; trainkit imports it for you when a config names `IterationAlarmHook`
 * (through the "trainkit" manifest in package.json) or lists the package in `custom_imports`.
 */
import { HOOKS } from '@trainkit/core';
import { IterationAlarmHook } from './iteration-alarm-hook.js';
import { type IterationAlarmHookOptions, iterationAlarmHookOptions } from './options.js';

export { IterationAlarmHook, type Alarm } from './iteration-alarm-hook.js';
export { type IterationAlarmHookOptions, iterationAlarmHookOptions } from './options.js';

HOOKS.register('IterationAlarmHook', IterationAlarmHook, { options: iterationAlarmHookOptions, from: 'trainkit-plugin-iteration-alarm' });

// Configs written in TypeScript get `{type: 'IterationAlarmHook', ...}` checked and autocompleted.
declare module '@trainkit/core' {
  interface HookOptionsMap {
    IterationAlarmHook: IterationAlarmHookOptions;
  }
}
