// Reads the policy config file `check` and `audit` both take (--policy-config): the same JSON
// `pulumi preview --policy-pack-config` takes, checked by the pack's pipeline
// (policy-pack/core/packConfig.ts). Anything the pack would refuse is refused here before the pack is
// started or a single AWS call is made (exit 2), naming the field: a misspelled setting silently
// ignored is a check silently skipped.
import { readFileSync } from "node:fs";
import { normalisePolicyPackConfig, type PolicyPackConfigFile } from "codedeploy-guardrails/evaluate";
import { InputError } from "./inputError";

/** Validates a parsed config file (the pack's own pipeline) and returns it in the form `evaluateStack` takes. */
export function parsePolicyConfigFile(raw: unknown, now: Date): PolicyPackConfigFile {
  const result = normalisePolicyPackConfig(raw, now);
  if (!result.ok) throw new InputError(result.message);
  return result.file;
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
