import type * as tf from '@tensorflow/tfjs';
import type { ConfigObject } from '../config/merge.js';
import type { BaseModel } from '../model/base-model.js';
import { connectProcessGroup } from './backends.js';
import { type DistCfg, parseDistCfg } from './dist-cfg.js';
import { type DistInfo, readDistEnv } from './dist-env.js';
import { ddpGradientReducer, type StopVote } from './ddp-reducer.js';
import { setGradientReducer } from './grad-sync.js';
import { type ModelWrapperOptions, parseModelWrapperCfg, wrapModel } from './model-wrapper.js';
import { getProcessGroup, setDistInfo, setProcessGroup } from './state.js';
import { broadcastVariables } from './tensor-collectives.js';

/** What a distributed run decided from its config and environment, before any file exists. */
export interface RunDist {
  info: DistInfo;
  cfg: DistCfg;
  wrapper: ModelWrapperOptions;
}

/**
 * Reads `launcher`, `env_cfg.dist_cfg` and `model_wrapper_cfg`, and records this process's rank
 * (so logs and files can be kept to rank 0 from the first line). Undefined for one process.
 */
export function setupRunDist(c: ConfigObject): RunDist | undefined {
  const info = readDistEnv(c.launcher);
  const cfg = parseDistCfg(c.env_cfg);
  const wrapper = parseModelWrapperCfg(c.model_wrapper_cfg);
  setDistInfo(info);
  if (info.worldSize <= 1) return undefined;
  return { info, cfg, wrapper };
}

/**
 * The seed every rank shares when the config gives none (samplers must agree): the launcher's
 * TRAINKIT_SEED, else one derived from the rendezvous address, which all ranks know.
 */
export function sharedDefaultSeed(info: DistInfo): number {
  const fromLauncher = Number(process.env.TRAINKIT_SEED);
  if (Number.isInteger(fromLauncher) && fromLauncher >= 0) return fromLauncher >>> 0;
  let h = 2166136261;
  for (const ch of `${info.masterAddr}:${info.masterPort}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return (h >>> 0) % 2 ** 31;
}

/** Joins the process group once per process (a second run in the same process reuses it). */
export async function connectRunDist(d: RunDist): Promise<void> {
  if (getProcessGroup()) return;
  const group = await connectProcessGroup(d.cfg.backend, {
    rank: d.info.rank,
    worldSize: d.info.worldSize,
    localRank: d.info.localRank,
    masterAddr: d.info.masterAddr,
    masterPort: d.info.masterPort,
    timeoutMs: Math.round(d.cfg.timeout * 1000),
    initMethod: d.cfg.init_method,
  });
  setProcessGroup(group);
}

export function wrapForDist<M extends BaseModel>(model: M, d: RunDist | undefined): M {
  return d ? wrapModel(model, d.wrapper) : model;
}

/**
 * DDP's start of training: every rank takes rank 0's parameters and buffers, and the optimizer
 * wrapper's update step averages gradients from now on. Returns the teardown.
 */
export async function startDataParallel(d: RunDist, model: BaseModel, stop: StopVote): Promise<() => void> {
  const group = getProcessGroup()!;
  const vars: tf.Variable[] = [...model.namedParameters().map(([, v]) => v), ...model.namedBuffers().map(([, v]) => v)];
  await broadcastVariables(group, vars, 0);
  setGradientReducer(ddpGradientReducer(group, d.wrapper.bucket_cap_mb * 2 ** 20, stop));
  return () => setGradientReducer(undefined);
}
