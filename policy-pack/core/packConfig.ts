// The one policy-config pipeline: the JSON file `pulumi preview --policy-pack-config` takes, checked
// and normalised the way `check` and `audit` apply it (the `all` key, levels, unknown policies, each
// policy's settings and exemptions through its own config schema). The pack wiring gets its settings
// from the engine and validates them with the same per-policy parser (rules/index.ts `configure`).
// The engine client (packages/tools/src/engine/config.ts) keeps its own emulation of what the Pulumi
// CLI does with the file on purpose: it is the test of this one.
import { formatConfigErrors } from "./config";
import type { EnforcementLevel } from "./findings";
import type { SchemaError } from "./schema";

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** Pulumi's key for settings that apply to every policy (an enforcement level). */
export const ALL_POLICIES_KEY = "all";

/** Raw config per policy, as in a `--policy-pack-config` file (enforcement levels included). */
export type PolicyPackConfigFile = Partial<Record<string, unknown>>;

/** What the pipeline needs of each policy: its name and what its config schema says of some settings. */
export interface ConfigurablePolicy {
  readonly name: string;
  settingsErrors(settings: Record<string, unknown>): readonly SchemaError[];
}

export type PackConfigResult =
  { readonly ok: true; readonly file: PolicyPackConfigFile } | { readonly ok: false; readonly message: string };

export function isEnforcementLevel(value: unknown): value is EnforcementLevel {
  return (ENFORCEMENT_LEVELS as readonly unknown[]).includes(value);
}

/** Splits one policy's entry of a config file into its enforcement level and its settings. */
export function splitPolicyConfig(entry: unknown): { enforcementLevel?: EnforcementLevel; settings: Record<string, unknown> } {
  if (typeof entry === "string") return { enforcementLevel: entry as EnforcementLevel, settings: {} };
  if (entry === undefined || entry === null || typeof entry !== "object" || Array.isArray(entry)) return { settings: {} };
  const { enforcementLevel, ...settings } = entry as Record<string, unknown>;
  return { enforcementLevel: enforcementLevel as EnforcementLevel | undefined, settings };
}

function levelRefused(field: string, value: unknown): PackConfigResult {
  return {
    ok: false,
    message: `Policy config field "${field}" must be one of ${ENFORCEMENT_LEVELS.join(", ")}; found ${JSON.stringify(value)}.`,
  };
}

/**
 * Checks a parsed config file and returns it with the `all` level spread over the policies that set
 * none. The first problem of the file's shape is refused alone; every policy's refused settings are
 * then reported together.
 */
export function normalisePackConfig(raw: unknown, policies: readonly ConfigurablePolicy[]): PackConfigResult {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, message: "The policy config must be a JSON object keyed by policy name." };
  }
  const names = policies.map((policy) => policy.name);
  const file: Record<string, unknown> = {};
  let allLevel: EnforcementLevel | undefined;
  for (const [key, entry] of Object.entries(raw as Record<string, unknown>)) {
    if (key === ALL_POLICIES_KEY) {
      const level = typeof entry === "string" ? entry : (entry as { enforcementLevel?: unknown } | null)?.enforcementLevel;
      if (!isEnforcementLevel(level))
        return levelRefused(typeof entry === "string" ? ALL_POLICIES_KEY : `${ALL_POLICIES_KEY}.enforcementLevel`, level);
      allLevel = level;
      continue;
    }
    if (!names.includes(key)) {
      return { ok: false, message: `Policy config field "${key}" is not a policy of this pack; the policies are ${names.join(", ")}.` };
    }
    if (typeof entry === "string") {
      if (!isEnforcementLevel(entry)) return levelRefused(key, entry);
    } else if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      return { ok: false, message: `Policy config field "${key}" must be an enforcement level or an object of settings.` };
    } else {
      const level = (entry as { enforcementLevel?: unknown }).enforcementLevel;
      if (level !== undefined && !isEnforcementLevel(level)) return levelRefused(`${key}.enforcementLevel`, level);
    }
    file[key] = entry;
  }
  if (allLevel !== undefined) {
    for (const name of names) {
      const entry = file[name];
      if (entry === undefined) file[name] = allLevel;
      else if (typeof entry === "object" && (entry as { enforcementLevel?: unknown }).enforcementLevel === undefined) {
        file[name] = { ...(entry as object), enforcementLevel: allLevel };
      }
    }
  }
  const refused = policies
    .map((policy) => ({ name: policy.name, errors: policy.settingsErrors(splitPolicyConfig(file[policy.name]).settings) }))
    .filter(({ errors }) => errors.length > 0);
  if (refused.length > 0) {
    return {
      ok: false,
      message: `Policy config refused: ${refused.map(({ name, errors }) => formatConfigErrors(name, errors)).join("; ")}.`,
    };
  }
  return { ok: true, file };
}
