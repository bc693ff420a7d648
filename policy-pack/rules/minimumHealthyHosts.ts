import { exemptionsSchema, externalDeploymentConfigsSchema, type Exemption, type ExternalDeploymentConfig } from "../core/config";
import { isMalformed, isUnknown, type Field, type MinimumHealthyHostsModel } from "../core/model";
import { configPlatform, decidePlatform, effectiveDeploymentConfig } from "../core/resolve";
import {
  AWS_CONFIG_FRAMEWORK,
  Problems,
  configToCheck,
  reportMalformedEvidence,
  undecidedPlatformFinding,
  type GroupContext,
  type Rule,
} from "./rule";

export interface MinimumHealthyHostsConfig {
  readonly minHealthyHostCount: number;
  readonly minHealthyFleetPercent: number;
  readonly externalDeploymentConfigs: readonly ExternalDeploymentConfig[];
  readonly exemptions: readonly Exemption[];
}

const POLICY = "codedeploy-minimum-healthy-hosts";
/** CodeDeploy refuses FLEET_PERCENT 100: no instance could ever be taken out of service. */
export const MAX_FLEET_PERCENT = 99;

/**
 * Checks one minimum-healthy-hosts setting. `builtIn` allows MOST_CONCURRENCY, the type the API
 * reports for CodeDeployDefault.OneAtATime, which users cannot create themselves.
 */
export function checkMinimumHealthyHosts(
  problems: Problems,
  setting: Field<MinimumHealthyHostsModel> | undefined,
  path: string,
  subject: string,
  config: MinimumHealthyHostsConfig,
  builtIn: boolean,
): void {
  if (setting === undefined) {
    problems.violation(
      `${subject} sets no ${path}, so nothing keeps hosts in service during a deployment; set ${path} { type: "HOST_COUNT" or "FLEET_PERCENT", value }`,
    );
    return;
  }
  if (isUnknown(setting)) return problems.undecidable(path);
  if (isMalformed(setting)) return problems.malformedField(setting);
  const { type, value } = setting;
  if (isMalformed(type)) return problems.malformedField(type);
  if (isMalformed(value)) return problems.malformedField(value);
  if (isUnknown(type)) {
    // The value alone may already decide: it passes or fails both as HOST_COUNT and as FLEET_PERCENT.
    if (value === undefined) {
      problems.violation(`${subject} sets ${path} without a value; set ${path}.value`);
      return;
    }
    if (!isUnknown(value)) {
      const failsHostCount = value < config.minHealthyHostCount;
      const failsFleetPercent = value < config.minHealthyFleetPercent || value > MAX_FLEET_PERCENT;
      if (!failsHostCount && !failsFleetPercent) return;
      if (failsHostCount && failsFleetPercent) {
        problems.violation(
          `${subject} keeps a ${path}.value too few as HOST_COUNT (at least ${config.minHealthyHostCount}) and outside FLEET_PERCENT ${config.minHealthyFleetPercent}..${MAX_FLEET_PERCENT}, whatever its type turns out to be; raise ${path}.value`,
        );
        return;
      }
    }
    return problems.undecidable(`${path}.type`);
  }
  if (type === "MOST_CONCURRENCY" && builtIn) return;
  if (type !== "HOST_COUNT" && type !== "FLEET_PERCENT") {
    problems.violation(
      type === "MOST_CONCURRENCY"
        ? `${subject} has ${path}.type MOST_CONCURRENCY, which only CodeDeploy's own OneAtATime uses and users cannot set; use HOST_COUNT or FLEET_PERCENT`
        : `${subject} has a ${path}.type CodeDeploy does not define; use HOST_COUNT or FLEET_PERCENT`,
    );
    return;
  }
  if (isUnknown(value)) return problems.undecidable(`${path}.value`);
  if (value === undefined) {
    problems.violation(`${subject} sets ${path}.type ${type} without a value; set ${path}.value`);
    return;
  }
  const builtInFix = `use CodeDeployDefault.OneAtATime or a custom config with FLEET_PERCENT ${config.minHealthyFleetPercent}..${MAX_FLEET_PERCENT} or HOST_COUNT >= ${Math.max(config.minHealthyHostCount, 1)}`;
  // A number from props may be a secret (the policy SDK unwraps secrets before policies see them),
  // so only a built-in config's value, which is public, is quoted.
  const shownSetting = builtIn ? `${type} ${value}` : type;
  if (type === "HOST_COUNT" && value < config.minHealthyHostCount) {
    problems.violation(
      `${subject} keeps fewer healthy hosts (${shownSetting}) than the required ${config.minHealthyHostCount}; ${builtIn ? builtInFix : `raise ${path}.value to at least ${config.minHealthyHostCount}`}`,
    );
  }
  if (type === "FLEET_PERCENT" && value < config.minHealthyFleetPercent) {
    problems.violation(
      `${subject} keeps less of the fleet healthy (${shownSetting}) than the required ${config.minHealthyFleetPercent}%; ${builtIn ? builtInFix : `raise ${path}.value to ${config.minHealthyFleetPercent}..${MAX_FLEET_PERCENT}`}`,
    );
  }
  if (type === "FLEET_PERCENT" && value > MAX_FLEET_PERCENT) {
    problems.violation(
      `${subject} asks for a FLEET_PERCENT above ${MAX_FLEET_PERCENT}, which CodeDeploy refuses (no deployment could ever start); use at most ${MAX_FLEET_PERCENT}`,
    );
  }
}

/** The group's effective config checked as an EC2/on-premises one. */
function checkServerGroup(problems: Problems, context: GroupContext, config: MinimumHealthyHostsConfig): Problems {
  const resolved = configToCheck(problems, effectiveDeploymentConfig(context.resolution, "Server", config.externalDeploymentConfigs));
  if (resolved) {
    const subject =
      resolved.source === "default"
        ? `names no deployment config, so CodeDeploy uses ${resolved.label}, which`
        : `uses ${resolved.label}, which`;
    const builtIn = resolved.source === "built-in" || resolved.source === "default";
    checkMinimumHealthyHosts(problems, resolved.minimumHealthyHosts, "minimumHealthyHosts", subject, config, builtIn);
  }
  return problems;
}

export const minimumHealthyHosts: Rule<MinimumHealthyHostsConfig, typeof POLICY> = {
  scope: "stack",
  metadata: {
    name: POLICY,
    displayName: "CodeDeploy keeps enough hosts healthy",
    description:
      "EC2/on-premises deployment groups use a deployment config that keeps enough instances in service, so a bad release cannot take the whole fleet down before CodeDeploy stops and rolls back.",
    enforcementLevel: "mandatory",
    severity: "high",
    framework: { ...AWS_CONFIG_FRAMEWORK, reference: "codedeploy-ec2-minimum-healthy-hosts-configured" },
    url: "https://docs.aws.amazon.com/codedeploy/latest/userguide/instances-health.html#minimum-healthy-hosts",
    remediationSteps:
      "Use CodeDeployDefault.OneAtATime, or a custom deployment config with minimumHealthyHosts FLEET_PERCENT 66..99 or HOST_COUNT >= 1 (and the same in zonalConfig.minimumHealthyHostsPerZone). Avoid CodeDeployDefault.AllAtOnce and HalfAtATime for production fleets.",
    violationSummary:
      "an EC2/on-premises group's effective deployment config keeps fewer than `minHealthyHostCount` (default 1) hosts (HOST_COUNT), or a FLEET_PERCENT outside `minHealthyFleetPercent`..99 (default 66; 100 is refused by CodeDeploy). Also a custom Server `DeploymentConfig` itself, including `zonalConfig.minimumHealthyHostsPerZone`. A custom Server config that keeps too few hosts is reported on the config resource itself and, separately, on each group that deploys with it (each resource is judged on its own, and exemptions apply to each separately)",
    exampleSettings: {
      externalDeploymentConfigs: [
        { name: "shared-75-percent", computePlatform: "Server", minimumHealthyHosts: { type: "FLEET_PERCENT", value: 75 } },
      ],
    },
    configSchema: {
      properties: {
        minHealthyHostCount: { type: "integer", minimum: 0, default: 1, description: "Fewest healthy hosts a HOST_COUNT config may keep." },
        minHealthyFleetPercent: {
          type: "integer",
          minimum: 0,
          maximum: MAX_FLEET_PERCENT,
          default: 66,
          description: "Lowest FLEET_PERCENT a config may keep (up to 99; CodeDeploy refuses 100).",
        },
        externalDeploymentConfigs: externalDeploymentConfigsSchema,
        exemptions: exemptionsSchema,
      },
    },
  },

  checkGroup(group, context, config) {
    const decision = decidePlatform(context.resolution, config.externalDeploymentConfigs);
    // A conflict is reported by codedeploy-gradual-traffic-shifting; Lambda and ECS groups have no hosts.
    if (decision.state === "conflict" || (decision.state === "decided" && decision.platform !== "Server")) return undefined;
    const problems = new Problems(POLICY, group.resource, "Deployment group");
    reportMalformedEvidence(problems, decision);
    if (decision.state === "undecided") {
      if (problems.hasDefinite) return problems.finding();
      const onServer = checkServerGroup(new Problems(POLICY, group.resource, "Deployment group"), context, config).finding();
      return undecidedPlatformFinding(POLICY, group.resource, decision, onServer ? "Server" : undefined);
    }
    return checkServerGroup(problems, context, config).finding();
  },

  checkDeploymentConfig(deploymentConfig, config) {
    const platform = configPlatform(deploymentConfig);
    if (isUnknown(deploymentConfig.computePlatform)) {
      const problems = new Problems(POLICY, deploymentConfig.resource, "Deployment config");
      problems.undecidable("computePlatform");
      return problems.finding();
    }
    if (platform === undefined) {
      // Neither a platform CodeDeploy knows nor unknown: it cannot be created, and must not pass unchecked.
      const problems = new Problems(POLICY, deploymentConfig.resource, "Deployment config");
      const stated = deploymentConfig.computePlatform;
      if (isMalformed(stated)) problems.malformedField(stated);
      else problems.violation("has a computePlatform CodeDeploy does not define; use Server, Lambda or ECS");
      return problems.finding();
    }
    if (platform !== "Server") return undefined;
    const problems = new Problems(POLICY, deploymentConfig.resource, "Deployment config");
    checkMinimumHealthyHosts(problems, deploymentConfig.minimumHealthyHosts, "minimumHealthyHosts", "this config", config, false);
    const perZone = deploymentConfig.minimumHealthyHostsPerZone;
    if (perZone !== undefined) {
      checkMinimumHealthyHosts(problems, perZone, "zonalConfig.minimumHealthyHostsPerZone", "its zonal config", config, false);
    }
    return problems.finding();
  },
};
