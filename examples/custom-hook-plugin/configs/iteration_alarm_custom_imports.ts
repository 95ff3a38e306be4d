// Loads the plugin explicitly, the way MMEngine configs load third-party code:
//   trainkit train configs/iteration_alarm_custom_imports.ts
import type {} from 'trainkit-plugin-iteration-alarm'; // types only: makes the hook's options autocomplete
import { defineConfig } from '@trainkit/core';

export default defineConfig({
  _base_: './_toy_run.ts',
  custom_imports: { imports: ['trainkit-plugin-iteration-alarm'], allow_failed_imports: false },
  custom_hooks: [{ type: 'IterationAlarmHook', interval: 5, max_loss: 0.1, priority: 'HIGH' }],
});
