// Every deployment config CodeDeploy ships, from ../shared/codedeploy-facts.md. A name with the
// reserved prefix that is not listed here resolves to nothing: an unlisted built-in may be newer
// than this catalog, and an unlisted name must never be taken as safe.
import type { ComputePlatform } from "./model";

export const BUILT_IN_PREFIX = "CodeDeployDefault.";

export type TrafficRoutingType = "AllAtOnce" | "TimeBasedCanary" | "TimeBasedLinear" | "TimeBasedFlexible";

export interface BuiltInDeploymentConfig {
  readonly name: string;
  readonly computePlatform: ComputePlatform;
  /** Server configs only. `MOST_CONCURRENCY` is how the API reports OneAtATime (all hosts but one). */
  readonly minimumHealthyHosts?: { readonly type: "HOST_COUNT" | "FLEET_PERCENT" | "MOST_CONCURRENCY"; readonly value: number };
  /** Lambda and ECS configs only. */
  readonly trafficRoutingType?: TrafficRoutingType;
}

function lambda(suffix: string, trafficRoutingType: TrafficRoutingType): BuiltInDeploymentConfig {
  return { name: `${BUILT_IN_PREFIX}Lambda${suffix}`, computePlatform: "Lambda", trafficRoutingType };
}

function ecs(suffix: string, trafficRoutingType: TrafficRoutingType): BuiltInDeploymentConfig {
  return { name: `${BUILT_IN_PREFIX}ECS${suffix}`, computePlatform: "ECS", trafficRoutingType };
}

export const BUILT_IN_DEPLOYMENT_CONFIGS: readonly BuiltInDeploymentConfig[] = [
  { name: `${BUILT_IN_PREFIX}AllAtOnce`, computePlatform: "Server", minimumHealthyHosts: { type: "HOST_COUNT", value: 0 } },
  { name: `${BUILT_IN_PREFIX}HalfAtATime`, computePlatform: "Server", minimumHealthyHosts: { type: "FLEET_PERCENT", value: 50 } },
  { name: `${BUILT_IN_PREFIX}OneAtATime`, computePlatform: "Server", minimumHealthyHosts: { type: "MOST_CONCURRENCY", value: 1 } },
  lambda("AllAtOnce", "AllAtOnce"),
  lambda("Canary10Percent5Minutes", "TimeBasedCanary"),
  lambda("Canary10Percent10Minutes", "TimeBasedCanary"),
  lambda("Canary10Percent15Minutes", "TimeBasedCanary"),
  lambda("Canary10Percent30Minutes", "TimeBasedCanary"),
  lambda("Linear10PercentEvery1Minute", "TimeBasedLinear"),
  lambda("Linear10PercentEvery2Minutes", "TimeBasedLinear"),
  lambda("Linear10PercentEvery3Minutes", "TimeBasedLinear"),
  lambda("Linear10PercentEvery10Minutes", "TimeBasedLinear"),
  ecs("AllAtOnce", "AllAtOnce"),
  ecs("Linear10PercentEvery1Minutes", "TimeBasedLinear"),
  ecs("Linear10PercentEvery3Minutes", "TimeBasedLinear"),
  ecs("Canary10Percent5Minutes", "TimeBasedCanary"),
  ecs("Canary10Percent15Minutes", "TimeBasedCanary"),
];

const byName = new Map(BUILT_IN_DEPLOYMENT_CONFIGS.map((config) => [config.name, config]));

export function isBuiltInName(name: string): boolean {
  return name.startsWith(BUILT_IN_PREFIX);
}

export function builtInDeploymentConfig(name: string): BuiltInDeploymentConfig | undefined {
  return byName.get(name);
}

/** What CodeDeploy uses when a group names no config. */
export function defaultDeploymentConfig(platform: ComputePlatform): BuiltInDeploymentConfig {
  switch (platform) {
    case "Server":
      return byName.get(`${BUILT_IN_PREFIX}OneAtATime`)!;
    case "Lambda":
      return byName.get(`${BUILT_IN_PREFIX}LambdaAllAtOnce`)!;
    case "ECS":
      return byName.get(`${BUILT_IN_PREFIX}ECSAllAtOnce`)!;
  }
}
