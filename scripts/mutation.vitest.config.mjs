// The vitest configuration StrykerJS runs (stryker.config.mjs): the project's own, restricted to the
// tiers that import policy-pack/ sources in-process. The others start the compiled pack (dist/) or a
// server, so a mutant in the sources is invisible to them and they would only cost time.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import base from "../vitest.config.mts";

// tests/docs renders the README tables from the rules' metadata and compares them with the committed
// README: the one test that notices a changed violation summary or example setting.
const MUTATION_TIERS = ["tests/policies", "tests/adapters", "tests/properties", "tests/oracle", "tests/wiring", "tests/docs"];
// In the audit tier's folder but pure: it calls the CodeDeploy API adapter in-process, no endpoint.
const IN_PROCESS_FILES = ["tests/audit/codedeployApi.test.ts"];

export default defineConfig({
  ...base,
  // Stryker runs vitest from its sandbox, a copy of the repository; the root is that copy.
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    ...base.test,
    include: [...MUTATION_TIERS.map((tier) => `${tier}/**/*.test.ts`), ...IN_PROCESS_FILES],
    setupFiles: [...(base.test?.setupFiles ?? []), "scripts/mutation.setup.mjs"],
  },
});
