/** @trainkit/hook-profiler: ProfilerHook: TensorFlow.js kernel profiles and V8 CPU profiles of chosen iterations */
export {};
