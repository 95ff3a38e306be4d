import { defineOptions, z } from '@trainkit/core';

const interval = z.number().int().positive().default(1);
const update_buffers = z.boolean().default(false);
// MMEngine's meaning: the weight of the NEW value, so a small number (Keras' "decay" is 1 - this)
const momentum = z.number().gt(0).lt(1).default(0.0002);

export const exponentialMovingAverageOptions = defineOptions({ momentum, interval, update_buffers });
export const momentumAnnealingEMAOptions = defineOptions({ momentum, gamma: z.number().gt(0).default(100), interval, update_buffers });
export const stochasticWeightAverageOptions = defineOptions({ interval, update_buffers });

/** EMAHook's own options; the rest of its config goes to the averaged model named by `ema_type`. */
export const emaHookOwnOptions = {
  ema_type: z.string().default('ExponentialMovingAverage'),
  strict_load: z.boolean().default(false),
  begin_iter: z.number().int().min(0).default(0),
  begin_epoch: z.number().int().min(0).default(0),
};

/**
 * The schema the registry checks an EMAHook config against: its own options, and any others
 * (those are checked against the averaged model's own schema when the hook is built, so a typo
 * is still reported, with the names both accept).
 */
export const emaHookOptions = z.looseObject(emaHookOwnOptions);

/**
 * The averaged models EMAHook can build, with their options, for typed configs. A package that
 * registers its own averaged model in MODELS extends this map to get `ema_type: 'MyAverage'`
 * configs checked too:
 *
 * ```ts
 * declare module '@trainkit/hook-ema' {
 *   interface AveragedModelOptionsMap { MyAverage: { decay?: number } }
 * }
 * ```
 */
export interface AveragedModelOptionsMap {
  ExponentialMovingAverage: z.input<typeof exponentialMovingAverageOptions>;
  MomentumAnnealingEMA: z.input<typeof momentumAnnealingEMAOptions>;
  StochasticWeightAverage: z.input<typeof stochasticWeightAverageOptions>;
}

// from a strict object: the loose schema's input type has an index signature that would accept any key
type OwnOptions = Omit<z.input<ReturnType<typeof z.strictObject<typeof emaHookOwnOptions>>>, 'ema_type'>;

/** An EMAHook config's options: its own, plus those of the averaged model `ema_type` names. */
export type EMAHookOptions = OwnOptions &
  (
    | ({ ema_type?: 'ExponentialMovingAverage' } & AveragedModelOptionsMap['ExponentialMovingAverage'])
    | { [K in Exclude<keyof AveragedModelOptionsMap, 'ExponentialMovingAverage'>]: { ema_type: K } & AveragedModelOptionsMap[K] }[Exclude<
        keyof AveragedModelOptionsMap,
        'ExponentialMovingAverage'
      >]
  );
