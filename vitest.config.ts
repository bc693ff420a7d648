import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Tiers that spawn the pack or an AWS endpoint share 2 cores; forks keep them isolated.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
