import { Session } from 'node:inspector/promises';

/**
 * A V8 sampling CPU profile of this thread through the inspector protocol: the same data as
 * `node --cpu-prof`, limited to the profiled iterations. The result is a `.cpuprofile` object
 * that Chrome DevTools (Performance panel) and VS Code open.
 */
export class CpuProfiler {
  private session: Session | undefined;

  constructor(readonly samplingIntervalUs = 100) {}

  get running(): boolean {
    return this.session !== undefined;
  }

  async start(): Promise<void> {
    if (this.session) return;
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: this.samplingIntervalUs });
    await session.post('Profiler.start');
    this.session = session;
  }

  async stop(): Promise<unknown> {
    const session = this.session;
    this.session = undefined;
    if (!session) return undefined;
    try {
      const { profile } = await session.post('Profiler.stop');
      await session.post('Profiler.disable');
      return profile;
    } finally {
      session.disconnect();
    }
  }
}
