// The oracle, and the direct path to it (what the SDK hands the policies, then the rule core): when
// the mutated field is one a mandatory check reads and the garbage is definitely of the wrong JSON
// type, the pack must report a mandatory violation that names the field's path.
import { toModel, type PulumiResource } from "../../../policy-pack/adapters";
import type { CodeDeployModel } from "../../../policy-pack/core/model";
import { evaluateStack, type EvaluatedFinding } from "../../../policy-pack/evaluate";
import { POLICY_RUNNERS } from "../../../policy-pack/rules";
import { type EngineResource, type WireValue } from "../../../packages/tools/src/engine";
import { type FuzzCase } from "./cases";
import { isSecretObject } from "./stacks";

/** The policies whose findings the oracle expects at mandatory level: those mandatory by default. */
export const MANDATORY_POLICIES: readonly string[] = POLICY_RUNNERS.filter(
  (runner) => runner.metadata.enforcementLevel === "mandatory",
).map((runner) => runner.metadata.name);

// ---- the direct path: what the SDK hands the policies, then the rule core ------------------------

/** Wire props as the SDK hands them to a policy in Analyze/AnalyzeStack: secrets unwrapped, sentinels kept. */
export function sdkView(value: WireValue): unknown {
  if (Array.isArray(value)) return value.map(sdkView);
  if (typeof value === "object" && value !== null) {
    if (isSecretObject(value)) return sdkView(value.value ?? null);
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key] = sdkView(item as WireValue);
    return result;
  }
  return value;
}

export function toPulumiResource(resource: EngineResource): PulumiResource {
  return {
    type: resource.type,
    urn: resource.urn,
    name: resource.name,
    props: sdkView(resource.properties) as Record<string, unknown>,
    propertyDependencies: resource.propertyDependencies,
  };
}

export function evaluateDirect(stack: readonly EngineResource[], now = new Date("2026-01-15T00:00:00Z")): EvaluatedFinding[] {
  const models = stack
    .map((resource) => toModel(toPulumiResource(resource)))
    .filter((model): model is CodeDeployModel => model !== undefined);
  return evaluateStack(models, {}, now);
}

export interface Verdict {
  readonly urn: string;
  readonly policy: string;
  readonly level: string;
  readonly message: string;
}

/** The oracle over the findings of a case (either path): a failure message, or undefined. */
export function checkOracle(fuzzCase: FuzzCase, verdicts: readonly Verdict[]): string | undefined {
  for (const verdict of verdicts) {
    if (typeof verdict.message !== "string" || verdict.message.length === 0) return `empty message from ${verdict.policy}`;
  }
  const path = fuzzCase.expectMalformed;
  if (!path) return undefined;
  // Resource policies report on the analyzed resource (urn ""); stack policies may report a
  // malformed config field on the group that uses the config.
  const urns = new Set(fuzzCase.stack.map((resource) => resource.urn));
  const about = verdicts.filter((verdict) => verdict.urn === "" || urns.has(verdict.urn));
  const naming = about.filter(
    (verdict) => verdict.level === "mandatory" && MANDATORY_POLICIES.includes(verdict.policy) && verdict.message.includes(path),
  );
  if (naming.length === 0) {
    return `${fuzzCase.mutation}: no mandatory violation names the malformed field ${path}; got ${JSON.stringify(about.map((verdict) => `${verdict.level} ${verdict.policy}: ${verdict.message}`))}`;
  }
  return undefined;
}

export function directVerdicts(findings: readonly EvaluatedFinding[]): Verdict[] {
  return findings.map((finding) => ({
    urn: finding.resource.urn,
    policy: finding.policy,
    level: finding.enforcementLevel,
    message: finding.message,
  }));
}

/** One case through adapters + evaluateStack; throws on any exception, returns an oracle failure. */
export function runDirectCase(fuzzCase: FuzzCase): string | undefined {
  return checkOracle(fuzzCase, directVerdicts(evaluateDirect(fuzzCase.stack)));
}
