// Evaluates every policy over a whole set of models at once: what `audit` runs on a live account,
// and what tests use as the direct path next to the gRPC one.
import { findingLevel, type EnforcementLevel, type Finding, type ReportedLevel } from "./core/findings";
import type { CodeDeployModel, DeploymentGroupModel } from "./core/model";
import { EMPTY_STACK, indexStack, resolveGroup, type GroupResolution, type StackIndex } from "./core/resolve";
import { normalisePackConfig, splitPolicyConfig, type PackConfigResult, type PolicyPackConfigFile } from "./core/packConfig";
import { POLICY_RUNNERS, type ConfiguredRule, type PolicyName } from "./rules";
import type { GroupContext } from "./rules/rule";

export { findingLevel, type EnforcementLevel };

export interface EvaluatedFinding extends Finding {
  readonly enforcementLevel: ReportedLevel;
}

export { splitPolicyConfig, type PolicyPackConfigFile };

/**
 * A `--policy-pack-config` file checked by the core pipeline (core/packConfig.ts) against this
 * pack's policies, as `check` and `audit` read it; `now` dates the exemptions.
 */
export function normalisePolicyPackConfig(raw: unknown, now: Date): PackConfigResult {
  return normalisePackConfig(
    raw,
    POLICY_RUNNERS.map((runner) => ({
      name: runner.metadata.name,
      settingsErrors: (settings) => runner.configure(settings, now).configErrors ?? [],
    })),
  );
}

export function configureAll(file: PolicyPackConfigFile, now: Date): { rule: ConfiguredRule; level: EnforcementLevel }[] {
  return POLICY_RUNNERS.map((runner) => {
    const { enforcementLevel, settings } = splitPolicyConfig(file[runner.metadata.name]);
    return { rule: runner.configure(settings, now), level: enforcementLevel ?? runner.metadata.enforcementLevel };
  });
}

/**
 * The context a rule sees for each group: stack rules what the whole stack says, resource rules
 * (which the engine runs per resource, in Analyze) what the group alone says. Each group is
 * resolved once, however many rules ask.
 */
export function groupContexts(stack: StackIndex): (group: DeploymentGroupModel, scope: "resource" | "stack") => GroupContext {
  const inStack = new Map<DeploymentGroupModel, GroupResolution>();
  const alone = new Map<DeploymentGroupModel, GroupResolution>();
  return (group, scope) => {
    const cache = scope === "stack" ? inStack : alone;
    let resolution = cache.get(group);
    if (!resolution) {
      resolution = resolveGroup(group, scope === "stack" ? stack : EMPTY_STACK);
      cache.set(group, resolution);
    }
    return { resolution, stack: scope === "stack" ? stack : EMPTY_STACK };
  };
}

/** Every finding for the stack, in a stable order: policy order, then URN order. */
export function evaluateStack(models: readonly CodeDeployModel[], file: PolicyPackConfigFile, now: Date): EvaluatedFinding[] {
  const stack: StackIndex = indexStack(models);
  const contextOf = groupContexts(stack);
  const findings: EvaluatedFinding[] = [];
  for (const { rule, level } of configureAll(file, now)) {
    if (level === "disabled") continue;
    const push = (finding: Finding | undefined) => {
      if (finding) findings.push({ ...finding, enforcementLevel: findingLevel(finding, level) });
    };
    for (const group of stack.groups) push(rule.checkGroup(group, contextOf(group, rule.scope)));
    for (const config of stack.configs) push(rule.checkDeploymentConfig(config));
  }
  return findings;
}

export function findingsOf(findings: readonly EvaluatedFinding[], policy: PolicyName): EvaluatedFinding[] {
  return findings.filter((finding) => finding.policy === policy);
}
