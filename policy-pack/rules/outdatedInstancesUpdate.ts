import { exemptionsSchema, type Exemption } from "../core/config";
import type { Finding } from "../core/findings";
import { isMalformed, isUnknown, type DeploymentGroupModel } from "../core/model";
import { decidePlatform, EMPTY_STACK, resolveGroup } from "../core/resolve";
import { AWS_CONFIG_FRAMEWORK, Problems, undecidedPlatformFinding, type GroupPatch, type Rule } from "./rule";

export interface OutdatedInstancesConfig {
  readonly exemptions: readonly Exemption[];
}

const POLICY = "codedeploy-outdated-instances-update";

export const outdatedInstancesUpdate: Rule<OutdatedInstancesConfig, typeof POLICY> = {
  scope: "resource",
  metadata: {
    name: POLICY,
    displayName: "New EC2 instances get the current release",
    description:
      "EC2/on-premises deployment groups deploy the last successful revision to instances that join during a deployment, so scale-out never leaves hosts on an outdated model.",
    enforcementLevel: "advisory",
    severity: "medium",
    framework: { ...AWS_CONFIG_FRAMEWORK, reference: "codedeploy-deployment-group-outdated-instances-update" },
    url: "https://docs.aws.amazon.com/codedeploy/latest/userguide/integrations-aws-auto-scaling.html",
    remediationSteps: 'Set outdatedInstancesStrategy to "UPDATE" (the CodeDeploy default), or remove the setting.',
    violationSummary: "an EC2/on-premises group sets `outdatedInstancesStrategy` to `IGNORE`",
    configSchema: { properties: { exemptions: exemptionsSchema } },
  },

  checkGroup(group, context) {
    const decision = decidePlatform(context.resolution, []);
    if (decision.state === "conflict" || (decision.state === "decided" && decision.platform !== "Server")) return undefined;
    const finding = checkServerGroup(group);
    if (decision.state === "decided") return finding;
    return undecidedPlatformFinding(POLICY, group.resource, decision, finding ? "Server" : undefined);
  },

  remediateGroup(group, _config): GroupPatch | undefined {
    // Only where the check flags it: a group the group's own fields place on Lambda or ECS is left alone.
    const decision = decidePlatform(resolveGroup(group, EMPTY_STACK), []);
    const maybeServer = decision.state === "undecided" || (decision.state === "decided" && decision.platform === "Server");
    return maybeServer && group.outdatedInstancesStrategy === "IGNORE" ? { outdatedInstancesStrategy: "UPDATE" } : undefined;
  },
};

function checkServerGroup(group: DeploymentGroupModel): Finding | undefined {
  const problems = new Problems(POLICY, group.resource, "Deployment group");
  const strategy = group.outdatedInstancesStrategy;
  if (isMalformed(strategy)) problems.malformedField(strategy);
  else if (isUnknown(strategy)) problems.undecidable("outdatedInstancesStrategy");
  else if (strategy === "IGNORE") {
    problems.violation(
      "has outdatedInstancesStrategy IGNORE, so instances launched during a deployment keep the previous release; set it to UPDATE",
    );
  }
  return problems.finding();
}
