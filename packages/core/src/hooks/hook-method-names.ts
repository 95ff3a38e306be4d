import { ConfigError } from '../errors.js';
import { HOOK_POINTS, snakeName } from './hook-points.js';

/**
 * MMEngine's snake_case hook method names and the camelCase method trainkit calls instead,
 * including MMEngine's mode-generic `_before_epoch` ... `_after_iter` (with or without the
 * underscore).
 */
const CAMEL_FOR_SNAKE = new Map<string, string>();
for (const point of HOOK_POINTS) CAMEL_FOR_SNAKE.set(snakeName(point), point);
for (const generic of ['beforeEpoch', 'afterEpoch', 'beforeIter', 'afterIter']) {
  CAMEL_FOR_SNAKE.set(snakeName(generic), generic);
  CAMEL_FOR_SNAKE.set(`_${snakeName(generic)}`, generic);
}

/** The camelCase hook point for an MMEngine snake_case method name, if it is one. */
export function camelHookPoint(name: string): string | undefined {
  return CAMEL_FOR_SNAKE.get(name);
}

/** Snake_case hook methods a hook defines (on itself or any class it extends), as [snake, camel]. */
export function snakeCaseHookMethods(hook: object): Array<[string, string]> {
  const found = new Map<string, string>();
  for (let o: object | null = hook; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) {
      const camel = CAMEL_FOR_SNAKE.get(name);
      if (camel && typeof Object.getOwnPropertyDescriptor(o, name)?.value === 'function') found.set(name, camel);
    }
  }
  return [...found];
}

/**
 * A hook written with MMEngine's Python names (`after_train_iter`) would be registered and never
 * called, so building it fails instead, naming the camelCase method to rename it to.
 */
export function checkHookMethodNames(hook: object, name: string, path?: string): void {
  const wrong = snakeCaseHookMethods(hook);
  if (wrong.length === 0) return;
  const renames = wrong.map(([snake, camel]) => `${snake} -> ${camel}`).join(', ');
  throw new ConfigError(`hook ${name} defines ${wrong.map(([s]) => s).join(', ')}: MMEngine's snake_case hook method names, which trainkit never calls`, {
    path,
    fix: `rename the method${wrong.length > 1 ? 's' : ''} to camelCase (${renames}); the arguments are the same, e.g. afterTrainIter(runner, batchIdx, dataBatch, outputs)`,
  });
}
