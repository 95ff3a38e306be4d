/** @trainkit/cli: The trainkit command: train, test, print-config, plugins */
export {};
