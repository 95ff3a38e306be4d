/** @trainkit/tfevents: TensorBoard event files: writer and reader, no other dependency */
export {};
