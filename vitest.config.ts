import { defineConfig } from 'vitest/config';

/**
 * One vitest run over every package (each a project), so CI prints one summary. Workspace
 * packages resolve to their TypeScript sources through the `@trainkit/source` condition.
 */
export default defineConfig({
  resolve: { conditions: ['@trainkit/source'] },
  ssr: { resolve: { conditions: ['@trainkit/source'] } },
  test: {
    projects: ['packages/*', 'plugins/*', 'examples/*', 'tests', 'tests/registry'],
    reporters: ['default', './tools/summary-reporter.ts'],
  },
});
