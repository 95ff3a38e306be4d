// Names the hook without importing anything: trainkit finds the installed package whose
// package.json "trainkit" manifest provides IterationAlarmHook and imports it.
//   trainkit train configs/iteration_alarm_discovered.ts
import type {} from 'trainkit-plugin-iteration-alarm';
import { defineConfig } from '@trainkit/core';

export default defineConfig({
  _base_: './_toy_run.ts',
  custom_hooks: [{ type: 'IterationAlarmHook', interval: 5, max_loss: 0.1 }],
});
