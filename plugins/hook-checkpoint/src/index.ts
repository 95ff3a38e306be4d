/** @trainkit/hook-checkpoint: CheckpointHook and the safetensors checkpoint format: save, load_from (path or URL), exact resume */
export {};
