/**
 * @trainkit/core/data: data loading (the dataset bases and sample types are in the main entry):
 * loaders, samplers and their random source, collate functions, tensor and streaming datasets.
 */
export { DataLoader, type DataLoaderOptions, type BatchIterator } from '../data/dataloader.js';
export { DefaultSampler, InfiniteSampler, type Sampler, type SamplerOptions } from '../data/sampler.js';
export { StreamDataLoader, isStreamDataset, type StreamContext, type StreamDataLoaderOptions, type StreamDataset } from '../data/stream-dataset.js';
export { TensorDataset, type TensorDatasetOptions } from '../data/tensor-dataset.js';
export { defaultCollate, pseudoCollate, stack, type CollateFunction } from '../data/collate.js';
export { Random, mixSeed, permutation } from '../randomness/random.js';
