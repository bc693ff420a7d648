import { exemptionsSchema, externalDeploymentConfigsSchema, type Exemption, type ExternalDeploymentConfig } from "../core/config";
import { isMalformed, isUnknown } from "../core/model";
import { effectiveDeploymentConfig } from "../core/resolve";
import { AWS_CONFIG_FRAMEWORK, Problems, configToCheck, describeValue, platformDoubts, type Rule } from "./rule";

export interface GradualTrafficShiftingConfig {
  readonly externalDeploymentConfigs: readonly ExternalDeploymentConfig[];
  readonly exemptions: readonly Exemption[];
}

const POLICY = "codedeploy-gradual-traffic-shifting";
export const GRADUAL_TRAFFIC_ROUTING_TYPES: readonly string[] = ["TimeBasedCanary", "TimeBasedLinear", "TimeBasedFlexible"];

export const gradualTrafficShifting: Rule<GradualTrafficShiftingConfig> = {
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
    configSchema: {
      properties: {
        externalDeploymentConfigs: externalDeploymentConfigsSchema,
        exemptions: exemptionsSchema,
      },
    },
  },

  checkGroup(group, context, config) {
    const platform = context.platform.platform;
    if (platform === "Server") return undefined;
    const problems = new Problems(POLICY, group.resource, `${platform} deployment group`);
    platformDoubts(problems, context);
    const effective = effectiveDeploymentConfig(group, platform, context.stack, config.externalDeploymentConfigs);
    const fix = `use a canary or linear config such as CodeDeployDefault.${platform}Canary10Percent5Minutes`;
    const resolved = configToCheck(problems, effective);
    if (resolved?.source === "default") {
      problems.violation(`names no deployment config, so CodeDeploy shifts all traffic to a new release at once; ${fix}`);
    } else if (resolved?.computePlatform !== undefined && resolved.computePlatform !== platform) {
      problems.violation(`uses ${resolved.label}, a ${resolved.computePlatform} config that CodeDeploy refuses for ${platform}; ${fix}`);
    } else if (resolved) {
      const type = resolved.trafficRoutingType;
      if (isMalformed(type)) problems.malformedField(type);
      else if (isUnknown(type)) problems.undecidable("trafficRoutingConfig");
      else if (type === undefined) {
        problems.violation(`uses ${resolved.label}, which has no trafficRoutingConfig, so all traffic shifts at once; ${fix}`);
      } else if (type === "AllAtOnce") {
        problems.violation(`uses ${resolved.label}, which shifts all traffic to a new release at once; ${fix}`);
      } else if (!GRADUAL_TRAFFIC_ROUTING_TYPES.includes(type)) {
        problems.violation(`uses ${resolved.label}, whose traffic routing type is ${describeValue(type, [])}; ${fix}`);
      }
    }
    return problems.finding();
  },
};
