import { exemptionsSchema, externalDeploymentConfigsSchema, type Exemption, type ExternalDeploymentConfig } from "../core/config";
import { COMPUTE_PLATFORMS, isMalformed, isUnknown, type ComputePlatform } from "../core/model";
import { decidePlatform, effectiveDeploymentConfig, type PlatformEvidence } from "../core/resolve";
import {
  AWS_CONFIG_FRAMEWORK,
  Problems,
  UNDEFINED_VALUE,
  configToCheck,
  reportMalformedEvidence,
  undecidedPlatformFinding,
  type GroupContext,
  type Rule,
} from "./rule";

export interface GradualTrafficShiftingConfig {
  readonly externalDeploymentConfigs: readonly ExternalDeploymentConfig[];
  readonly exemptions: readonly Exemption[];
}

const POLICY = "codedeploy-gradual-traffic-shifting";
export const GRADUAL_TRAFFIC_ROUTING_TYPES: readonly string[] = ["TimeBasedCanary", "TimeBasedLinear", "TimeBasedFlexible"];

export const gradualTrafficShifting: Rule<GradualTrafficShiftingConfig, typeof POLICY> = {
  scope: "stack",
  metadata: {
    name: POLICY,
    displayName: "Lambda and ECS releases shift traffic gradually",
    description:
      "Lambda and ECS deployment groups shift traffic to a new release in steps (canary or linear), so alarms can catch a bad model or prompt while most requests still reach the old version.",
    enforcementLevel: "mandatory",
    severity: "high",
    framework: { ...AWS_CONFIG_FRAMEWORK, reference: "codedeploy-lambda-allatonce-traffic-shift-disabled" },
    url: "https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html",
    remediationSteps:
      "Set deploymentConfigName to a canary or linear config, e.g. CodeDeployDefault.LambdaCanary10Percent5Minutes or CodeDeployDefault.ECSCanary10Percent5Minutes, or a custom config with trafficRoutingConfig TimeBasedCanary or TimeBasedLinear.",
    violationSummary:
      "a Lambda or ECS group shifts all traffic at once: `CodeDeployDefault.LambdaAllAtOnce`, `CodeDeployDefault.ECSAllAtOnce`, no config at all (or the provider's default `CodeDeployDefault.OneAtATime`), or a custom config whose `trafficRoutingConfig` is `AllAtOnce` or absent; also a group whose compute platform evidence conflicts, which CodeDeploy refuses",
    exampleSettings: {
      externalDeploymentConfigs: [{ name: "shared-lambda-canary", computePlatform: "Lambda", trafficRoutingType: "TimeBasedCanary" }],
    },
    configSchema: {
      properties: {
        externalDeploymentConfigs: externalDeploymentConfigsSchema,
        exemptions: exemptionsSchema,
      },
    },
  },

  checkGroup(group, context, config) {
    const externals = config.externalDeploymentConfigs;
    const decision = decidePlatform(context.resolution, externals);
    switch (decision.state) {
      case "conflict": {
        const problems = new Problems(POLICY, group.resource, "Deployment group");
        reportMalformedEvidence(problems, decision);
        problems.violation(conflictText(decision.evidence));
        return problems.finding();
      }
      case "undecided": {
        // Malformed evidence is reported by codedeploy-minimum-healthy-hosts here; a Server group shifts no traffic.
        const onLambda = checkTrafficShifting(new Problems(POLICY, group.resource, "Deployment group"), context, "Lambda", externals);
        return undecidedPlatformFinding(POLICY, group.resource, decision, onLambda.finding() ? "Lambda" : undefined);
      }
      case "decided": {
        if (decision.platform === "Server") return undefined;
        const problems = new Problems(POLICY, group.resource, `${decision.platform} deployment group`);
        reportMalformedEvidence(problems, decision);
        return checkTrafficShifting(problems, context, decision.platform, externals).finding();
      }
    }
  },
};

/** Names each platform the evidence claims and where each claim comes from, in a fixed order. */
function conflictText(evidence: readonly PlatformEvidence[]): string {
  const sides = COMPUTE_PLATFORMS.flatMap((platform) => {
    const labels = evidence.filter((item) => item.platform === platform).map((item) => item.label);
    return labels.length > 0 ? [`${platform}: ${labels.join(", ")}`] : [];
  });
  return `its compute platform evidence conflicts (${sides.join("; ")}), and CodeDeploy refuses such a deployment group or its deployments at update; make the application, the deployment config and any ECS service agree on one compute platform`;
}

/** The group's effective config checked as a Lambda or ECS one. */
function checkTrafficShifting(
  problems: Problems,
  context: GroupContext,
  platform: ComputePlatform,
  externals: readonly ExternalDeploymentConfig[],
): Problems {
  const fix = `use a canary or linear config such as CodeDeployDefault.${platform}Canary10Percent5Minutes`;
  const resolved = configToCheck(problems, effectiveDeploymentConfig(context.resolution, platform, externals));
  if (resolved?.source === "default") {
    problems.violation(`names no deployment config, so CodeDeploy shifts all traffic to a new release at once; ${fix}`);
  } else if (resolved?.source === "provider-default") {
    problems.violation(
      `names no ${platform} deployment config: CodeDeployDefault.OneAtATime is what the AWS provider sends when a group names none, so CodeDeploy shifts all traffic to a new release at once; ${fix}`,
    );
  } else if (resolved) {
    const type = resolved.trafficRoutingType;
    if (isMalformed(type)) problems.malformedField(type);
    else if (isUnknown(type)) problems.undecidable("trafficRoutingConfig");
    else if (type === undefined) {
      problems.violation(`uses ${resolved.label}, which has no trafficRoutingConfig, so all traffic shifts at once; ${fix}`);
    } else if (type === "AllAtOnce") {
      problems.violation(`uses ${resolved.label}, which shifts all traffic to a new release at once; ${fix}`);
    } else if (!GRADUAL_TRAFFIC_ROUTING_TYPES.includes(type)) {
      problems.violation(`uses ${resolved.label}, whose traffic routing type is ${UNDEFINED_VALUE}; ${fix}`);
    }
  }
  return problems;
}
