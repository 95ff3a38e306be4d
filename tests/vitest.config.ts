import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@trainkit/source'] },
  ssr: { resolve: { conditions: ['@trainkit/source'] } },
  test: { name: 'tests', include: ['e2e/**/*.test.ts'], environment: 'node', testTimeout: 180_000, hookTimeout: 60_000 },
});
