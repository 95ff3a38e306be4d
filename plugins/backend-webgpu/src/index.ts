/** @trainkit/backend-webgpu: GPU training on WebGPU through Dawn's Node binding */
export {};
