import type * as tf from '@tensorflow/tfjs';

export type Awaitable<T> = T | Promise<T>;

/** Named scalar losses and other values a train step returns for logging. */
export type LogVars = Record<string, tf.Scalar | number>;

/** What evaluation returns: metric name to value. */
export type Metrics = Record<string, unknown>;

/** A JSON-safe value tree that may hold tensors at its leaves (state dicts). */
export type StateValue = string | number | boolean | null | tf.Tensor | StateValue[] | { [key: string]: StateValue };

export type StateDict = { [key: string]: StateValue };
