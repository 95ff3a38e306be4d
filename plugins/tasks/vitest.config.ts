import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@trainkit/source'] },
  ssr: { resolve: { conditions: ['@trainkit/source'] } },
  test: { name: 'tasks', environment: 'node', testTimeout: 60_000 },
});
