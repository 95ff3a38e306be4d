import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@trainkit/source'] },
  ssr: { resolve: { conditions: ['@trainkit/source'] } },
  test: { name: 'diabetes-regression', environment: 'node', testTimeout: 180_000 },
});
