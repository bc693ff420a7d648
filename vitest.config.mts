import { defineConfig } from "vitest/config";

export default defineConfig({
  // The tools package imports the pack as `codedeploy-guardrails/...`; tsconfig.json maps those
  // specifiers to the sources, so a test and the tool it drives share one copy of each pack module.
  resolve: { tsconfigPaths: true },
  test: {
    include: ["tests/**/*.test.ts"],
    // Tiers that spawn the pack or an AWS endpoint share 2 cores; forks keep them isolated.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Off by default so a single tier (`npx vitest run tests/<tier>`) is not held to the whole-pack
    // thresholds; `vitest run --coverage` turns it on.
    coverage: {
      provider: "v8",
      reporter: ["text-summary", "json-summary"],
      include: ["policy-pack/**/*.ts"],
      // The entry module only constructs the PolicyPack, which starts the SDK's gRPC server. Tests run
      // it as the engine does, in a child process (`run-policy-pack` on the compiled dist/ file), and
      // v8 coverage only sees the vitest worker's own process, so it would always read as 0 %. Every
      // line it calls (policies.ts and below) is measured through direct imports instead.
      exclude: ["policy-pack/index.ts"],
      thresholds: {
        // The rule core, adapters and pack wiring: a rule or adapter without tests cannot land.
        "policy-pack/**": { lines: 90, branches: 90 },
      },
    },
  },
});
