import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/http/**/*.test.ts'], testTimeout: 20000 } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 60000, hookTimeout: 60000, fileParallelism: false } },
      // Debian's nginx in front of the built blog, and a release installed with npm ci --omit=dev (which may compile
      // better-sqlite3): minutes, not seconds.
      { test: { name: 'deploy', include: ['test/deploy/**/*.test.ts'], testTimeout: 600000, hookTimeout: 600000, fileParallelism: false } },
    ],
  },
});
