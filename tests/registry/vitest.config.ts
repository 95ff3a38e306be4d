import { defineProject } from 'vitest/config';

// The published packages, installed from a local registry: its own project so that the other
// Node lines in CI (.ci/other-node.sh) re-run the e2e tests without it.
export default defineProject({
  test: {
    name: 'registry',
    environment: 'node',
    include: ['*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // the files share one registry: they run one after the other
    fileParallelism: false,
  },
});
