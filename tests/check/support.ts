// Shared set-up of the `check` tests: a fresh dist/ (the pack runs compiled, and the bin test runs
// dist/tools/check/cli.js), an in-process runner that captures stdout/stderr, verdict keys to
// compare reports, and the conversion of a mocks recording into `pulumi stack export` JSON.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SECRET_SIG, SPECIAL_SIG_KEY, type WireValue } from "../../packages/tools/src/engine/types";
import type { Recording } from "../../packages/tools/src/mocks";
import type { Report } from "../../packages/tools/src/report";
import { runCheckCli } from "../../packages/tools/src/check/main";
import { POLICY } from "../../policy-pack/rules";
import { ensurePackBuilt, ROOT, TOOLS_ROOT } from "../engine/helpers";

export { ROOT, TOOLS_ROOT };
export const FIXTURES = join(__dirname, "fixtures");
export const REFERENCE = join(ROOT, "reference-stack");
export const FAULTY = join(ROOT, "examples", "faulty-auto-rollback");
export const ALARMS = POLICY.alarms;
export const MIN_HOSTS = POLICY.minimumHealthyHosts;
export const AUTO_ROLLBACK = POLICY.autoRollback;

/** The bin test runs packages/tools/dist/check; ensurePackBuilt rebuilds when policy-pack/ or the tools are newer. */
export function ensureDistFresh(): void {
  ensurePackBuilt();
}

export interface CheckRun {
  readonly exitCode: 0 | 1 | 2;
  readonly report?: Report;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run check -- ...argv`, in process, with stdout and stderr captured. */
export async function check(argv: readonly string[], cwd = ROOT): Promise<CheckRun> {
  let stdout = "";
  let stderr = "";
  const outcome = await runCheckCli(argv, {
    cwd,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { ...outcome, stdout, stderr };
}

/** What a verdict is, independent of message wording: policy, resource, level (and where). */
export function verdicts(report: Pick<Report, "violations"> | undefined): string[] {
  return (report?.violations ?? []).map((v) => `${v.policy} | ${v.resourceType}::${v.resourceName} | ${v.enforcementLevel}`).sort();
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `check-${prefix}-`));
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value, null, 2));
  return path;
}

/** A wire value as the checkpoint stores it: secrets as `plaintext` (an export with --show-secrets). */
function toCheckpointValue(value: WireValue): WireValue {
  if (Array.isArray(value)) return value.map(toCheckpointValue);
  if (value === null || typeof value !== "object") return value;
  if (value[SPECIAL_SIG_KEY] === SECRET_SIG) {
    return { [SPECIAL_SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(value["value"] ?? null) };
  }
  const result: { [key: string]: WireValue } = {};
  for (const [key, item] of Object.entries(value)) result[key] = toCheckpointValue(item);
  return result;
}

/**
 * The `pulumi stack export --show-secrets` document of an update-mode recording: custom resources
 * (those the update gave an id) carry the provider's state as outputs; the stack and components
 * carry what they registered; `provider` is `<provider URN>::<provider id>`.
 */
export function checkpointFromRecording(recording: Recording): object {
  if (recording.mode !== "update") throw new Error("a checkpoint is written after an update: record with mode update");
  const resources = recording.resources.map((resource) => {
    const recorded = recording.outputs[resource.urn];
    const custom = recorded?.id !== undefined;
    const providerId = resource.provider ? recording.outputs[resource.provider.urn]?.id : undefined;
    if (resource.provider && !providerId) throw new Error(`no id for provider ${resource.provider.urn}`);
    const options = resource.options ?? {};
    return {
      urn: resource.urn,
      custom,
      ...(custom ? { id: recorded.id } : {}),
      type: resource.type,
      inputs: toCheckpointValue(resource.properties),
      outputs: toCheckpointValue(custom ? { ...resource.properties, ...recorded.state } : (recorded?.state ?? {})),
      ...(resource.parent ? { parent: resource.parent } : {}),
      ...(options.protect ? { protect: true } : {}),
      ...(resource.dependencies?.length ? { dependencies: resource.dependencies } : {}),
      ...(resource.provider ? { provider: `${resource.provider.urn}::${providerId}` } : {}),
      propertyDependencies: resource.propertyDependencies ?? {},
      ...(options.additionalSecretOutputs?.length ? { additionalSecretOutputs: options.additionalSecretOutputs } : {}),
      ...(options.ignoreChanges?.length ? { ignoreChanges: options.ignoreChanges } : {}),
      created: "2025-11-20T13:03:28.104562Z",
      modified: "2025-11-20T13:03:28.104562Z",
    };
  });
  return {
    version: 3,
    deployment: {
      manifest: { time: "2025-11-20T14:03:27.418337+01:00", magic: "0".repeat(64), version: "v3.207.0" },
      secrets_providers: { type: "passphrase", state: { salt: "v1:q3M0cFSzCzA=:v1:8mKZb0a0pDHaR9iS:q8c4m0w0T1p0bA0X" } },
      resources,
    },
  };
}

export const CIPHERTEXT = { [SPECIAL_SIG_KEY]: SECRET_SIG, ciphertext: "v1:Xq3pL0cVbT2mN8aR:Zl9iV2s0c0tQmJkN3pXcR1yT7uWq8eHfA6gB5dC4+Ls=" };

/** The 1-based line of the first line of `file` containing `text`. */
export function lineOf(file: string, text: string): number {
  const index = readFileSync(file, "utf8")
    .split("\n")
    .findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`${text} is not in ${file}`);
  return index + 1;
}
