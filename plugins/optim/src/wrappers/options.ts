import { ConfigError, defineOptions, z } from '@trainkit/core';
import { backendCapabilities } from '@trainkit/core/backend';
import type { ClipGradSettings } from './clip-grad.js';

const normType = z.union([z.number().positive(), z.literal(Number.POSITIVE_INFINITY), z.enum(['inf', 'Infinity'])], {
  error: "give a positive order (2 is the usual), or 'inf' for the largest absolute value",
});

/** `clip_grad` as MMEngine takes it: `type` ('norm' default or 'value') plus the torch function's arguments. */
export const clipGradOptions = defineOptions({
  type: z.enum(['norm', 'value']).optional(),
  max_norm: z.number().positive().optional(),
  norm_type: normType.optional(),
  error_if_nonfinite: z.boolean().optional(),
  clip_value: z.number().positive().optional(),
  /** torch's foreach switch: accepted for MMEngine configs, no effect here. */
  foreach: z.boolean().nullable().optional(),
}).superRefine((c, ctx) => {
  const type = c.type ?? 'norm';
  if (type === 'norm' && c.max_norm === undefined) {
    ctx.addIssue({ code: 'custom', path: ['max_norm'], message: "add max_norm (e.g. {max_norm: 35, norm_type: 2}), or type: 'value' with clip_value" });
  }
  if (type === 'value' && c.clip_value === undefined)
    ctx.addIssue({ code: 'custom', path: ['clip_value'], message: "add clip_value (e.g. {type: 'value', clip_value: 1})" });
  if (type === 'norm' && c.clip_value !== undefined)
    ctx.addIssue({ code: 'custom', path: ['clip_value'], message: "clip_value belongs to type: 'value'; remove it or set type: 'value'" });
  if (type === 'value' && (c.max_norm !== undefined || c.norm_type !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['type'], message: "max_norm/norm_type belong to type: 'norm'; remove them or drop type: 'value'" });
  }
});

export type ClipGradOptions = z.input<typeof clipGradOptions>;

const wrapperShape = {
  accumulative_counts: z.number().int().positive().default(1),
  clip_grad: clipGradOptions.nullable().optional(),
  /** MMCV's name for clip_grad, accepted so older configs carry over. */
  grad_clip: clipGradOptions.nullable().optional(),
};

function oneClipKey(o: { clip_grad?: unknown; grad_clip?: unknown }, ctx: z.RefinementCtx): void {
  if (o.clip_grad != null && o.grad_clip != null) {
    ctx.addIssue({ code: 'custom', path: ['grad_clip'], message: 'grad_clip is another name for clip_grad: keep only one of them' });
  }
}

export const optimWrapperOptions = defineOptions(wrapperShape).superRefine(oneClipKey);

const lossScalerOptions = defineOptions({
  init_scale: z
    .number()
    .positive()
    .default(2 ** 16),
  growth_factor: z.number().gt(1).default(2),
  backoff_factor: z.number().gt(0).lt(1).default(0.5),
  growth_interval: z.number().int().positive().default(2000),
  enabled: z.boolean().default(true),
});

export type LossScalerOptions = z.input<typeof lossScalerOptions>;

export const ampOptimWrapperOptions = defineOptions({
  ...wrapperShape,
  /** 'dynamic', a fixed scale, or GradScaler's arguments. */
  loss_scale: z
    .union([z.literal('dynamic'), z.number().positive(), lossScalerOptions], {
      error: "use 'dynamic', a positive number (a static scale), or GradScaler's {init_scale, growth_factor, backoff_factor, growth_interval, enabled}",
    })
    .default('dynamic'),
  /**
   * The autocast type. Only float32 (what every TensorFlow.js backend computes in) is accepted:
   * a reduced precision that would silently stay float32 is refused instead.
   */
  dtype: z.enum(['float16', 'bfloat16', 'float32', 'float64']).nullable().optional(),
  use_fsdp: z.literal(false).optional(),
})
  .superRefine(oneClipKey)
  .superRefine((o, ctx) => {
    if (o.dtype && o.dtype !== 'float32') {
      ctx.addIssue({
        code: 'custom',
        path: ['dtype'],
        message: `TensorFlow.js has no ${o.dtype === 'float64' ? 'float64 tensors' : `${o.dtype} kernels`} on any backend, so compute cannot run in ${o.dtype}: AmpOptimWrapper here is dynamic loss scaling with float32 compute. Remove dtype (or write 'float32'), or use OptimWrapper`,
      });
    }
  });

export type OptimWrapperOptions = z.input<typeof optimWrapperOptions>;
export type AmpOptimWrapperOptions = z.input<typeof ampOptimWrapperOptions>;

/** The validated clip settings, or undefined when clipping is off. */
export function clipSettings(o: z.output<typeof optimWrapperOptions>): ClipGradSettings | undefined {
  const c = o.clip_grad ?? o.grad_clip;
  if (!c) return undefined;
  if ((c.type ?? 'norm') === 'value') return { type: 'value', clipValue: c.clip_value! };
  const nt = c.norm_type ?? 2;
  const caps = c.error_if_nonfinite ? backendCapabilities() : undefined;
  if (caps && !caps.nonFiniteChecks) {
    throw new ConfigError(
      `error_if_nonfinite reads the gradient norm within every step, which the ${caps.name} backend does not declare it can do (its nonFiniteChecks capability)`,
      {
        path: `optim_wrapper.${o.clip_grad ? 'clip_grad' : 'grad_clip'}.error_if_nonfinite`,
        found: true,
        fix: 'set it to false (non-finite norms are then clipped as PyTorch does), or train on a CPU backend',
      },
    );
  }
  return {
    type: 'norm',
    maxNorm: c.max_norm!,
    normType: typeof nt === 'string' ? Number.POSITIVE_INFINITY : nt,
    errorIfNonfinite: c.error_if_nonfinite ?? false,
  };
}
