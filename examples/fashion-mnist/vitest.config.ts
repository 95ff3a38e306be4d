import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@trainkit/source'] },
  ssr: { resolve: { conditions: ['@trainkit/source'] } },
  test: { name: 'fashion-mnist', environment: 'node', testTimeout: 120_000 },
});
