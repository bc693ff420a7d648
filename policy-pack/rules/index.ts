// The rule registry: every policy of the pack, in report order, each bound to its own config.
import { formatConfigErrors, parsePolicyConfig, type Exemption } from "../core/config";
import { exemptionStatus } from "../core/exemptions";
import type { Finding } from "../core/findings";
import type { DeploymentConfigModel, DeploymentGroupModel } from "../core/model";
import type { SchemaError } from "../core/schema";
import { alarmRollbackConfigured } from "./alarmRollbackConfigured";
import { autoRollbackEnabled } from "./autoRollbackEnabled";
import { blueGreenRollbackWindow } from "./blueGreenRollbackWindow";
import { gradualTrafficShifting } from "./gradualTrafficShifting";
import { minimumHealthyHosts } from "./minimumHealthyHosts";
import { outdatedInstancesUpdate } from "./outdatedInstancesUpdate";
import { unreadableFinding, type GroupContext, type GroupPatch, type PolicyMetadata, type Rule } from "./rule";

/** A rule with its config parsed: what the pack, `check` and `audit` call. */
export interface ConfiguredRule {
  readonly metadata: PolicyMetadata;
  readonly scope: "resource" | "stack";
  /** Set when the policy's config was refused; every check then reports it instead of passing. */
  readonly configErrors?: readonly SchemaError[];
  checkGroup(group: DeploymentGroupModel, context: GroupContext): Finding | undefined;
  checkDeploymentConfig(config: DeploymentConfigModel): Finding | undefined;
  remediateGroup(group: DeploymentGroupModel): GroupPatch | undefined;
}

export interface PolicyRunner {
  readonly metadata: PolicyMetadata;
  readonly scope: "resource" | "stack";
  /** True when the rule can fix a group itself (`enforcementLevel: remediate`). */
  readonly remediable: boolean;
  configure(rawConfig: unknown, now: Date): ConfiguredRule;
}

function withExemptions(finding: Finding | undefined, exemptions: readonly Exemption[], now: Date): Finding | undefined {
  if (!finding) return undefined;
  const status = exemptionStatus(exemptions, finding.resource, now);
  switch (status.state) {
    case "none":
      return finding;
    case "active":
      return undefined;
    case "expired":
      return {
        ...finding,
        message: `${finding.message} The exemption for it ("${status.exemption.reason}") expired on ${status.exemption.expires}; fix the resource or renew the exemption.`,
      };
  }
}

function bindRule<C extends { readonly exemptions: readonly Exemption[] }>(rule: Rule<C>): PolicyRunner {
  return {
    metadata: rule.metadata,
    scope: rule.scope,
    remediable: rule.remediateGroup !== undefined,
    configure(rawConfig, now) {
      const parsed = parsePolicyConfig<C>(rule.metadata.configSchema, rawConfig);
      if (!parsed.ok) {
        const message = `Policy config refused, so nothing was checked: ${formatConfigErrors(rule.metadata.name, parsed.errors)}. Fix the config passed with --policy-pack-config.`;
        const refuse = (resource: DeploymentGroupModel["resource"]): Finding => ({
          policy: rule.metadata.name,
          resource,
          reason: "config",
          message,
        });
        return {
          metadata: rule.metadata,
          scope: rule.scope,
          configErrors: parsed.errors,
          checkGroup: (group) => refuse(group.resource),
          checkDeploymentConfig: (config) => (rule.checkDeploymentConfig ? refuse(config.resource) : undefined),
          remediateGroup: () => undefined,
        };
      }
      const config = parsed.config;
      return {
        metadata: rule.metadata,
        scope: rule.scope,
        checkGroup: (group, context) =>
          withExemptions(unreadableFinding(rule.metadata.name, group) ?? rule.checkGroup(group, context, config), config.exemptions, now),
        checkDeploymentConfig: (deploymentConfig) =>
          rule.checkDeploymentConfig
            ? withExemptions(
                unreadableFinding(rule.metadata.name, deploymentConfig) ?? rule.checkDeploymentConfig(deploymentConfig, config),
                config.exemptions,
                now,
              )
            : undefined,
        remediateGroup: (group) =>
          rule.remediateGroup && exemptionStatus(config.exemptions, group.resource, now).state !== "active"
            ? rule.remediateGroup(group, config)
            : undefined,
      };
    },
  };
}

/** Every rule of the pack, in report order: the one place the policies are listed. */
const RULES = [
  autoRollbackEnabled,
  alarmRollbackConfigured,
  minimumHealthyHosts,
  gradualTrafficShifting,
  blueGreenRollbackWindow,
  outdatedInstancesUpdate,
] as const;

export {
  alarmRollbackConfigured,
  autoRollbackEnabled,
  blueGreenRollbackWindow,
  gradualTrafficShifting,
  minimumHealthyHosts,
  outdatedInstancesUpdate,
};

export type PolicyName = (typeof RULES)[number]["metadata"]["name"];

/** Short handles on each policy's name, for code that names one policy (tests, the `npm start` demo). */
export const POLICY = {
  autoRollback: autoRollbackEnabled.metadata.name,
  alarms: alarmRollbackConfigured.metadata.name,
  minimumHealthyHosts: minimumHealthyHosts.metadata.name,
  trafficShifting: gradualTrafficShifting.metadata.name,
  blueGreen: blueGreenRollbackWindow.metadata.name,
  outdatedInstances: outdatedInstancesUpdate.metadata.name,
} as const;

/** The policies' names in report order. */
export const POLICY_NAMES: readonly PolicyName[] = RULES.map((rule) => rule.metadata.name);

export const POLICY_RUNNERS: readonly PolicyRunner[] = RULES.map((rule) => bindRule(rule));

export function isPolicyName(name: string): name is PolicyName {
  return (POLICY_NAMES as readonly string[]).includes(name);
}

export function policyRunner(name: PolicyName): PolicyRunner {
  const runner = POLICY_RUNNERS.find((candidate) => candidate.metadata.name === name);
  if (!runner) throw new Error(`no policy named ${name}`);
  return runner;
}

export type { GroupPatch, PolicyMetadata } from "./rule";
