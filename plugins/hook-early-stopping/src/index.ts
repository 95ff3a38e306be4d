/** @trainkit/hook-early-stopping: EarlyStoppingHook: stop training when a metric stops improving */
export {};
