/** @trainkit/optim: Optimizers with PyTorch semantics, optimizer wrappers, constructors and every MMEngine parameter scheduler */
export {};
