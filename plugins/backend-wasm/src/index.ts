/** @trainkit/backend-wasm: The wasm backend set up for training, with the gradient kernels TensorFlow.js lacks there */
export {};
