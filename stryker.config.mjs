// StrykerJS configuration for `npm run mutation` (scripts/mutation.mjs runs it on Node >= 22, which
// StrykerJS 10 needs). What is mutated and which tests must notice it are described in docs/mutation.md.
import process from "node:process";

// A subset run (`scripts/mutation.mjs --mutate`) sets MUTATION_RUN_DIR to a folder of its own under
// .tmp/, so several subsets can run side by side without sharing a sandbox or a report.
const runDir = process.env.MUTATION_RUN_DIR;
const reportDir = runDir === undefined ? "reports/mutation" : `${runDir}/report`;

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  $schema: "./node_modules/@stryker-mutator/core/schema/stryker-schema.json",
  packageManager: "npm",
  // The rule core, resolution, config, exemptions and every adapter. The pack wiring (policies.ts,
  // remediate.ts, evaluate.ts) and the entry module are left to the tiers that run the pack.
  mutate: ["policy-pack/rules/**/*.ts", "policy-pack/core/**/*.ts", "policy-pack/adapters/**/*.ts"],

  testRunner: "vitest",
  // Only the in-process tiers: the ones that import policy-pack/ sources directly. The gRPC, engine,
  // check and audit tiers run the compiled dist/ pack or a server and would see no mutant.
  vitest: { configFile: "scripts/mutation.vitest.config.mjs", related: true },
  coverageAnalysis: "perTest",

  // A mutant that does not compile is not a test gap; the checker drops it before any test runs.
  // Its own tsconfig covers policy-pack/ alone, so another file's type error elsewhere in the tree
  // cannot stop the run.
  checkers: ["typescript"],
  tsconfigFile: "scripts/mutation.tsconfig.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },

  // The machine's cores are shared; scripts/mutation.mjs lets --concurrency override this.
  concurrency: 2,
  timeoutMS: 10_000,

  reporters: ["html", "json", "progress", "clear-text"],
  htmlReporter: { fileName: `${reportDir}/index.html` },
  jsonReporter: { fileName: `${reportDir}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0, reportMutants: false, reportScoreTable: true },
  // Stryker's own colours only; the targets are checked by scripts/mutation-score.mjs.
  thresholds: { high: 95, low: 85, break: null },

  // Committed baseline: `npm run mutation:ci` re-tests only mutants whose code or covering tests changed.
  incrementalFile: ".stryker/incremental.json",

  // Inside .tmp/ (gitignored, ignored by ESLint and Prettier); Stryker deletes it after a run.
  tempDirName: runDir === undefined ? ".tmp/stryker" : `${runDir}/stryker`,
  // What the sandbox does not need: build output, reports, installed binaries, the tiers that run
  // the compiled pack, and the stacks with their own node_modules.
  ignorePatterns: [
    "/dist",
    "/packages/tools/dist",
    "/coverage",
    "/.tmp",
    "/reports",
    "/.stryker",
    "/.aws-endpoint",
    "/reference-stack",
    "/examples",
    "/bench",
    "/docs",
  ],
};
