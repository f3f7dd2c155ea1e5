import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/http/**/*.test.ts'], testTimeout: 20000 } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 60000, hookTimeout: 60000, fileParallelism: false } },
    ],
  },
});
