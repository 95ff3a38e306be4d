/** @trainkit/hook-logger: LoggerHook: text and JSON logs, terminal progress */
export {};
