// Reads the policy config file `check` and `audit` both take (--policy-config): the same JSON
// `pulumi preview --policy-pack-config` takes, checked by the pack's pipeline
// (policy-pack/core/packConfig.ts). Anything the pack would refuse is refused here before the pack is
// started or a single AWS call is made (exit 2), naming the field: a misspelled setting silently
// ignored is a check silently skipped.
import { normalisePolicyPackConfig, type PolicyPackConfigFile } from "codedeploy-guardrails/evaluate";
import { InputError } from "./inputError";
import { readInputJson } from "./inputFile";

/** Validates a parsed config file (the pack's own pipeline) and returns it in the form `evaluateStack` takes. */
export function parsePolicyConfigFile(raw: unknown, now: Date): PolicyPackConfigFile {
  const result = normalisePolicyPackConfig(raw, now);
  if (!result.ok) throw new InputError(result.message);
  return result.file;
}

export function loadPolicyConfigFile(path: string, now: Date): PolicyPackConfigFile {
  const raw = readInputJson(path, `the policy config file ${path}`, {
    invalid: "it takes the JSON of `pulumi preview --policy-pack-config` (policy-config.example.json shows one)",
  });
  return parsePolicyConfigFile(raw, now);
}
