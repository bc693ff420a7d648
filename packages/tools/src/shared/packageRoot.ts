import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The folder of the policy pack (the `codedeploy-guardrails` package), resolved as this package's
 * dependency: in a checkout npm links it to the repository root (a `file:../..` dependency), in an
 * installed copy it is the pack installed beside the tools. `check` starts the pack from there.
 */
export function packageRoot(): string {
  return dirname(require.resolve("codedeploy-guardrails/package.json"));
}

/** The pack's version, which the tools share (the two packages are released together). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}
