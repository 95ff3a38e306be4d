/** @trainkit/vis-wandb: WandbVisBackend: Weights & Biases over HTTP (online, offline, disabled), no Python */
export {};
