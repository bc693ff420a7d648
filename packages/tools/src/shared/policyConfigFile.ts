// The policy config file `check` and `audit` both read (--policy-config): the same JSON
// `pulumi preview --policy-pack-config` takes. Anything the pack would refuse is refused here before
// the pack is started or a single AWS call is made (exit 2), naming the field: a misspelled setting
// silently ignored is a check silently skipped.
import { readFileSync } from "node:fs";
import { POLICY_NAMES } from "codedeploy-guardrails/core/findings";
import { formatConfigErrors } from "codedeploy-guardrails/core/config";
import { configureAll, type PolicyPackConfigFile } from "codedeploy-guardrails/evaluate";
import { InputError } from "./inputError";

const LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;
/** Pulumi's key for settings that apply to every policy (an enforcement level). */
const ALL = "all";

function levelError(field: string, value: unknown): InputError {
  return new InputError(`Policy config field "${field}" must be one of ${LEVELS.join(", ")}; found ${JSON.stringify(value)}.`);
}

/** Validates a parsed config file and returns it in the form `evaluateStack` takes. */
export function parsePolicyConfigFile(raw: unknown, now: Date): PolicyPackConfigFile {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new InputError("The policy config must be a JSON object keyed by policy name.");
  }
  const file: Record<string, unknown> = {};
  let allLevel: string | undefined;
  for (const [key, entry] of Object.entries(raw as Record<string, unknown>)) {
    if (key === ALL) {
      const level = typeof entry === "string" ? entry : (entry as { enforcementLevel?: unknown } | null)?.enforcementLevel;
      if (!(LEVELS as readonly unknown[]).includes(level))
        throw levelError(typeof entry === "string" ? ALL : `${ALL}.enforcementLevel`, level);
      allLevel = level as string;
      continue;
    }
    if (!(POLICY_NAMES as readonly string[]).includes(key)) {
      throw new InputError(`Policy config field "${key}" is not a policy of this pack; the policies are ${POLICY_NAMES.join(", ")}.`);
    }
    if (typeof entry === "string") {
      if (!(LEVELS as readonly string[]).includes(entry)) throw levelError(key, entry);
    } else if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new InputError(`Policy config field "${key}" must be an enforcement level or an object of settings.`);
    } else {
      const level = (entry as { enforcementLevel?: unknown }).enforcementLevel;
      if (level !== undefined && !(LEVELS as readonly unknown[]).includes(level)) throw levelError(`${key}.enforcementLevel`, level);
    }
    file[key] = entry;
  }
  if (allLevel !== undefined) {
    for (const policy of POLICY_NAMES) {
      const entry = file[policy];
      if (entry === undefined) file[policy] = allLevel;
      else if (typeof entry === "object" && (entry as { enforcementLevel?: unknown }).enforcementLevel === undefined) {
        file[policy] = { ...(entry as object), enforcementLevel: allLevel };
      }
    }
  }
  const refused = configureAll(file, now).filter(({ rule }) => rule.configErrors && rule.configErrors.length > 0);
  if (refused.length > 0) {
    throw new InputError(
      `Policy config refused: ${refused.map(({ rule }) => formatConfigErrors(rule.metadata.name, rule.configErrors ?? [])).join("; ")}.`,
    );
  }
  return file;
}

export function loadPolicyConfigFile(path: string, now: Date): PolicyPackConfigFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new InputError(`Cannot read the policy config file ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InputError(`The policy config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parsePolicyConfigFile(raw, now);
}
