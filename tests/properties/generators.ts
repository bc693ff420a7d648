// Small, shrinkable generators of CodeDeploy stacks. A stack is first generated as a neutral,
// readable spec (named fields, mostly realistic enum values plus a few invalid ones), then rendered
// as AWS classic or AWS Native props; unknowns are then put at named paths of the rendered props.
import fc from "fast-check";
import type { PulumiResource } from "../../policy-pack/adapters";
import { AWS_CLASSIC_TYPES } from "../../policy-pack/adapters/awsClassic";
import { POLICY_NAMES } from "../../policy-pack/core/findings";
import { AWS_NATIVE_TYPES } from "../../policy-pack/adapters/awsNative";
import { SENTINEL, urnOf } from "../policies/fixtures";

export type Provider = "classic" | "native";
type Platform = "Server" | "Lambda" | "ECS";

export interface AppSpec {
  platform?: Platform;
}
export interface ConfigSpec {
  platform?: Platform;
  healthy?: { type: string; value: number };
  routing?: string;
  perZone?: { type: string; value: number };
}
export type ConfigRef =
  | { kind: "none" }
  | { kind: "builtIn"; name: string }
  | { kind: "custom"; index: number; via: "name" | "dependency" }
  | { kind: "external" }
  | { kind: "unresolved"; name: string };
export interface GroupSpec {
  ecs: boolean;
  app: { index: number; via: "name" | "dependency" } | "notInStack";
  config: ConfigRef;
  autoRollback?: { enabled?: unknown; events?: string[] };
  alarm?: { enabled?: unknown; alarmCount?: number; ignorePoll?: boolean };
  deploymentType?: string;
  termination?: { action?: string; wait?: number };
  outdated?: string;
}
export interface StackSpec {
  provider: Provider;
  apps: AppSpec[];
  configs: ConfigSpec[];
  groups: GroupSpec[];
}

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 4 });
const platform = fc.constantFrom<Platform>("Server", "Lambda", "ECS");

export const EVENTS = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"] as const;
const event = fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...EVENTS) }, { weight: 1, arbitrary: fc.constant("DEPLOYMENT_FAILED") });

export const BUILT_INS = [
  "CodeDeployDefault.OneAtATime",
  "CodeDeployDefault.HalfAtATime",
  "CodeDeployDefault.AllAtOnce",
  "CodeDeployDefault.LambdaAllAtOnce",
  "CodeDeployDefault.LambdaCanary10Percent5Minutes",
  "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
  "CodeDeployDefault.ECSAllAtOnce",
  "CodeDeployDefault.ECSCanary10Percent5Minutes",
  "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
];

const healthy = fc.record({
  type: fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom("HOST_COUNT", "FLEET_PERCENT") },
    { weight: 1, arbitrary: fc.constant("MOST_CONCURRENCY") },
  ),
  value: fc.oneof(fc.constantFrom(0, 1, 2, 50, 65, 66, 99, 100), fc.integer({ min: 0, max: 101 })),
});

export const appSpec: fc.Arbitrary<AppSpec> = fc.record({ platform: opt(platform) }, { requiredKeys: [] });
export const configSpec: fc.Arbitrary<ConfigSpec> = fc.record(
  {
    platform: opt(platform),
    healthy: opt(healthy),
    routing: opt(fc.constantFrom("AllAtOnce", "TimeBasedCanary", "TimeBasedLinear", "TimeBasedFlexible", "Gradual")),
    perZone: opt(healthy),
  },
  { requiredKeys: [] },
);

const configRef: fc.Arbitrary<ConfigRef> = fc.oneof(
  fc.constant({ kind: "none" as const }),
  fc.record({ kind: fc.constant("builtIn" as const), name: fc.constantFrom(...BUILT_INS) }),
  fc.record({
    kind: fc.constant("custom" as const),
    index: fc.nat({ max: 1 }),
    via: fc.constantFrom("name" as const, "dependency" as const),
  }),
  fc.constant({ kind: "external" as const }),
  fc.record({ kind: fc.constant("unresolved" as const), name: fc.constantFrom("team-rollout", "CodeDeployDefault.ThirdAtATime") }),
);

export const groupSpec: fc.Arbitrary<GroupSpec> = fc.record(
  {
    ecs: fc.boolean(),
    app: fc.oneof(
      fc.record({ index: fc.nat({ max: 1 }), via: fc.constantFrom("name" as const, "dependency" as const) }),
      fc.constant("notInStack" as const),
    ),
    config: configRef,
    autoRollback: opt(
      fc.record(
        {
          enabled: fc.oneof({ weight: 9, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constant("true") }),
          events: fc.uniqueArray(event, { maxLength: 4 }),
        },
        { requiredKeys: [] },
      ),
    ),
    alarm: opt(
      fc.record(
        {
          enabled: fc.oneof({ weight: 9, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constant(1) }),
          alarmCount: fc.oneof(fc.nat({ max: 3 }), fc.constantFrom(10, 11)),
          ignorePoll: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
    ),
    deploymentType: opt(fc.constantFrom("IN_PLACE", "BLUE_GREEN", "ROLLING")),
    termination: opt(
      fc.record(
        { action: fc.constantFrom("TERMINATE", "KEEP_ALIVE", "DELETE"), wait: fc.constantFrom(0, 5, 59, 60, 120, 2880) },
        { requiredKeys: [] },
      ),
    ),
    outdated: opt(fc.constantFrom("UPDATE", "IGNORE", "REPLACE")),
  },
  { requiredKeys: ["ecs", "app", "config"] },
);

export const stackSpec = (provider?: Provider): fc.Arbitrary<StackSpec> =>
  fc.record({
    provider: provider ? fc.constant(provider) : fc.constantFrom<Provider>("classic", "native"),
    apps: fc.array(appSpec, { maxLength: 2 }),
    configs: fc.array(configSpec, { maxLength: 2 }),
    groups: fc.array(groupSpec, { minLength: 1, maxLength: 2 }),
  });

// ---- rendering ----

const TYPES = {
  classic: AWS_CLASSIC_TYPES,
  native: AWS_NATIVE_TYPES,
};

export const EXTERNAL_NAME = "org-rollout";

export function render(spec: StackSpec): PulumiResource[] {
  const types = TYPES[spec.provider];
  const native = spec.provider === "native";
  const apps = spec.apps.map((app, i): PulumiResource => {
    const props: Record<string, unknown> = { [native ? "applicationName" : "name"]: `app-${i}` };
    if (app.platform) props.computePlatform = app.platform;
    return { type: types.application, name: `app${i}`, urn: urnOf(types.application, `app${i}`), props };
  });
  const configs = spec.configs.map((config, i): PulumiResource => {
    const props: Record<string, unknown> = { deploymentConfigName: `custom-${i}` };
    if (config.platform) props.computePlatform = config.platform;
    if (config.healthy) props.minimumHealthyHosts = { ...config.healthy };
    if (config.routing) {
      props.trafficRoutingConfig =
        config.routing === "TimeBasedCanary"
          ? {
              type: config.routing,
              timeBasedCanary: native ? { canaryInterval: 5, canaryPercentage: 10 } : { interval: 5, percentage: 10 },
            }
          : { type: config.routing };
    }
    if (config.perZone) props.zonalConfig = { monitorDurationInSeconds: 600, minimumHealthyHostsPerZone: { ...config.perZone } };
    return { type: types.deploymentConfig, name: `config${i}`, urn: urnOf(types.deploymentConfig, `config${i}`), props };
  });
  const groups = spec.groups.map((group, i): PulumiResource => {
    const props: Record<string, unknown> = {
      deploymentGroupName: `group-${i}`,
      serviceRoleArn: "arn:aws:iam::123456789012:role/codedeploy",
    };
    const deps: Record<string, string[]> = {};
    const appKey = native ? "applicationName" : "appName";
    if (group.app === "notInStack") props[appKey] = "elsewhere";
    else {
      const app = apps[group.app.index];
      if (group.app.via === "name" || !app) props[appKey] = `app-${group.app.index}`;
      else {
        props[appKey] = SENTINEL;
        deps[appKey] = [app.urn];
      }
    }
    const ref = group.config;
    if (ref.kind === "builtIn" || ref.kind === "unresolved") props.deploymentConfigName = ref.name;
    if (ref.kind === "external") props.deploymentConfigName = EXTERNAL_NAME;
    if (ref.kind === "custom") {
      const config = configs[ref.index];
      if (ref.via === "name" || !config) props.deploymentConfigName = `custom-${ref.index}`;
      else {
        props.deploymentConfigName = SENTINEL;
        deps.deploymentConfigName = [config.urn];
      }
    }
    if (group.ecs) {
      if (native) props.ecsServices = [{ clusterName: "ml", serviceName: `svc-${i}` }];
      else props.ecsService = { clusterName: "ml", serviceName: `svc-${i}` };
    }
    if (group.autoRollback)
      props.autoRollbackConfiguration = {
        ...group.autoRollback,
        ...(group.autoRollback.events ? { events: [...group.autoRollback.events] } : {}),
      };
    if (group.alarm) {
      const { alarmCount, ...rest } = group.alarm;
      const block: Record<string, unknown> = { ...rest };
      if (rest.ignorePoll !== undefined) {
        delete block.ignorePoll;
        block.ignorePollAlarmFailure = rest.ignorePoll;
      }
      if (alarmCount !== undefined) {
        block.alarms = Array.from({ length: alarmCount }, (_, k) => (native ? { name: `alarm-${i}-${k}` } : `alarm-${i}-${k}`));
      }
      props.alarmConfiguration = block;
    }
    if (group.deploymentType) props.deploymentStyle = { deploymentType: group.deploymentType, deploymentOption: "WITH_TRAFFIC_CONTROL" };
    if (group.termination) {
      props[native ? "blueGreenDeploymentConfiguration" : "blueGreenDeploymentConfig"] = {
        terminateBlueInstancesOnDeploymentSuccess: {
          ...(group.termination.action ? { action: group.termination.action } : {}),
          ...(group.termination.wait !== undefined ? { terminationWaitTimeInMinutes: group.termination.wait } : {}),
        },
      };
    }
    if (group.outdated) props.outdatedInstancesStrategy = group.outdated;
    return {
      type: types.deploymentGroup,
      name: `group${i}`,
      urn: urnOf(types.deploymentGroup, `group${i}`),
      props,
      propertyDependencies: deps,
    };
  });
  return [...apps, ...configs, ...groups];
}

// ---- unknowns ----

/** Every path under a resource's props, e.g. `group0.autoRollbackConfiguration.events.1`. */
export function paths(resources: readonly PulumiResource[], filter: (r: PulumiResource) => boolean = () => true): string[] {
  const out: string[] = [];
  const walk = (value: unknown, prefix: string) => {
    if (typeof value !== "object" || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (child === SENTINEL) continue;
      const path = `${prefix}.${key}`;
      out.push(path);
      walk(child, path);
    }
  };
  for (const r of resources) if (filter(r)) walk(r.props, r.name);
  return out;
}

export type UnknownStyle = "sentinel" | "proxy";

/** A deep copy of the resources with the values at `unknownPaths` made unknown. */
export function withUnknowns(resources: readonly PulumiResource[], unknownPaths: readonly string[], style: UnknownStyle): PulumiResource[] {
  const copy = resources.map((r) => ({ ...r, props: structuredClone(r.props) }));
  for (const path of unknownPaths) {
    const [name, ...keys] = path.split(".");
    const resource = copy.find((r) => r.name === name);
    if (!resource) continue;
    let parent: unknown = resource.props;
    try {
      for (const key of keys.slice(0, -1)) {
        parent = (parent as Record<string, unknown>)?.[key];
        if (typeof parent !== "object" || parent === null) break;
      }
    } catch {
      continue; // an ancestor is already unknown
    }
    const last = keys[keys.length - 1]!;
    if (typeof parent !== "object" || parent === null) continue;
    const descriptor = Object.getOwnPropertyDescriptor(parent, last);
    if (!descriptor || descriptor.get) continue; // already unknown above
    if (style === "sentinel") (parent as Record<string, unknown>)[last] = SENTINEL;
    else
      Object.defineProperty(parent, last, {
        enumerable: true,
        configurable: true,
        get() {
          throw new Error(`${path} is unknown during preview`);
        },
      });
  }
  return copy;
}

/** A stack spec, with a named subset of its paths made unknown. */
export const stackWithUnknowns = (provider?: Provider, maxUnknowns = 3) =>
  stackSpec(provider).chain((spec) => {
    const resources = render(spec);
    const all = paths(resources);
    return fc.record({
      spec: fc.constant(spec),
      unknownPaths:
        all.length === 0
          ? fc.constant([] as string[])
          : fc.oneof(fc.constant([] as string[]), fc.subarray(all, { maxLength: maxUnknowns })),
      style: fc.constantFrom<UnknownStyle>("sentinel", "proxy"),
    });
  });

// ---- policy config ----

export const policyConfig = fc.record(
  {
    requiredEvents: opt(fc.subarray([...EVENTS])),
    minAlarms: opt(fc.nat({ max: 3 })),
    allowIgnorePollAlarmFailure: opt(fc.boolean()),
    minHealthyHostCount: opt(fc.nat({ max: 3 })),
    minHealthyFleetPercent: opt(fc.constantFrom(0, 50, 66, 90, 99)),
    minTerminationWaitMinutes: opt(fc.constantFrom(0, 30, 60, 120)),
    external: opt(
      fc.record(
        {
          computePlatform: opt(platform),
          healthy: opt(healthy.filter((h) => h.type !== "MOST_CONCURRENCY")),
          routing: opt(fc.constantFrom("AllAtOnce", "TimeBasedCanary")),
        },
        { requiredKeys: [] },
      ),
    ),
    levels: fc.array(fc.tuple(fc.nat({ max: 5 }), fc.constantFrom("advisory", "mandatory", "remediate", "disabled")), { maxLength: 2 }),
  },
  { requiredKeys: ["levels"] },
);
export type PolicyConfigSpec = typeof policyConfig extends fc.Arbitrary<infer T> ? T : never;

// The generators render inputs for the pack; only the oracle must stay independent of it.
export { POLICY_NAMES };

/** Renders a config spec as a `--policy-pack-config` file. */
export function renderConfig(c: PolicyConfigSpec): Record<string, Record<string, unknown>> {
  const external = c.external
    ? [
        {
          name: EXTERNAL_NAME,
          ...(c.external.computePlatform ? { computePlatform: c.external.computePlatform } : {}),
          ...(c.external.healthy ? { minimumHealthyHosts: c.external.healthy } : {}),
          ...(c.external.routing ? { trafficRoutingType: c.external.routing } : {}),
        },
      ]
    : undefined;
  const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const file: Record<string, Record<string, unknown>> = {
    "codedeploy-auto-rollback-enabled": defined({ requiredEvents: c.requiredEvents }),
    "codedeploy-alarm-rollback-configured": defined({ minAlarms: c.minAlarms, allowIgnorePollAlarmFailure: c.allowIgnorePollAlarmFailure }),
    "codedeploy-minimum-healthy-hosts": defined({
      minHealthyHostCount: c.minHealthyHostCount,
      minHealthyFleetPercent: c.minHealthyFleetPercent,
      externalDeploymentConfigs: external,
    }),
    "codedeploy-gradual-traffic-shifting": defined({ externalDeploymentConfigs: external }),
    "codedeploy-blue-green-rollback-window": defined({ minTerminationWaitMinutes: c.minTerminationWaitMinutes }),
    "codedeploy-outdated-instances-update": {},
  };
  for (const [index, level] of c.levels) file[POLICY_NAMES[index]!]!.enforcementLevel = level;
  return file;
}
