// Small, shrinkable generators of CodeDeploy stacks, sent the way the real engine sends them.
//
// A stack is first generated as a neutral, readable spec (named fields, mostly realistic enum values
// plus a few invalid ones; indexes instead of names), then rendered as a program's registered
// resources (AWS classic or AWS Native inputs, each with its provider), and finally turned into
// what a real `pulumi preview` or `pulumi up` sends by the engine client (`realEnginePayloads`):
// Analyze gets the inputs after the classic provider's Check (OneAtATime / UPDATE filled in, typed
// unknowns, nested `__defaults`, secrets re-marked), AnalyzeStack the outputs (computed fields
// unknown in a preview, `{}` for a provider whose configuration is unknown) in a shuffled order.
//
// Same-name applications and configs live in two regions and two providers, so name resolution
// has to respect scope; groups reach them by literal name, by an output (known name plus a
// property dependency) or by a computed name (unknown plus a property dependency).
import fc from "fast-check";
import type { PulumiResource } from "../../policy-pack/adapters";
import { AWS_CLASSIC_TYPES } from "../../policy-pack/adapters/awsClassic";
import { AWS_NATIVE_TYPES } from "../../policy-pack/adapters/awsNative";
import { POLICY, POLICY_NAMES } from "../../policy-pack/rules";
import { FIXTURE_ROLE_ARN } from "../support/fixtures";
import { realEnginePayloads, type RealEnginePayloads } from "../../packages/tools/src/engine/realEngine";
import {
  secret,
  UNKNOWN_SENTINEL,
  type EngineProvider,
  type EngineResource,
  type WireProperties,
  type WireValue,
} from "../../packages/tools/src/engine/types";

export type Provider = "classic" | "native";
type Platform = "Server" | "Lambda" | "ECS";
export type Region = "us-east-1" | "eu-west-1";

/** Where a resource lives: its provider (0 the default one, 1 an explicit one) and its own `region` argument. */
export interface Placement {
  provider?: number;
  /** `"unknown"`: computed during preview (matches any region). */
  region?: Region | "unknown";
}
export interface AppSpec extends Placement {
  /** `app-<name>`: two applications may share a name. */
  name: number;
  platform?: Platform;
}
export interface ConfigSpec extends Placement {
  /** `custom-<name>`: two configs may share a name. */
  name: number;
  platform?: Platform;
  healthy?: { type: string; value: number };
  routing?: string;
  perZone?: { type: string; value: number };
}
/** literal: a name in the program; output: `app.name` (known, with a property dependency); computed: `config.id` (unknown, with one). */
export type Via = "literal" | "output" | "computed";
export type AppRef = { kind: "inStack"; index: number; via: Via } | { kind: "notInStack"; platform: Platform };
export type ConfigRef =
  | { kind: "none" }
  | { kind: "builtIn"; name: string }
  | { kind: "custom"; index: number; via: Via }
  | { kind: "external" }
  | { kind: "unresolved"; name: string };
export interface GroupSpec extends Placement {
  ecs: boolean;
  app: AppRef;
  config: ConfigRef;
  autoRollback?: { enabled?: unknown; events?: string[] };
  alarm?: { enabled?: unknown; alarmCount?: number; ignorePoll?: boolean; duplicate?: boolean };
  deploymentType?: string;
  termination?: { action?: string; wait?: number };
  outdated?: string;
  /** One alarm name and the config name are secrets (the engine makes the alarm list one secret list). */
  secrets?: boolean;
}
export interface ProviderSpec {
  region?: Region | "unknown";
  /** Assumes a role created in the same stack: its configuration is unknown during preview. */
  configurationUnknown?: boolean;
}
export interface StackSpec {
  provider: Provider;
  providers: ProviderSpec[];
  apps: AppSpec[];
  configs: ConfigSpec[];
  groups: GroupSpec[];
}
/** How the engine sends the stack. */
export interface EngineSpec {
  mode: "preview" | "update";
  /** False: AnalyzeStack arrives without the Analyze calls before it (another process, or `check --state`). */
  analyzed: boolean;
  /** Paths of program inputs computed during preview, e.g. `group0.alarmConfiguration.enabled`. */
  unknownPaths: string[];
  shuffleSeed: number;
}

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 4 });
const platform = fc.constantFrom<Platform>("Server", "Lambda", "ECS");
const region = fc.constantFrom<Region | "unknown">("us-east-1", "eu-west-1", "unknown");
const placement = { provider: opt(fc.nat({ max: 1 })), region: opt(region) };
const via = fc.constantFrom<Via>("literal", "output", "computed");

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

export const appSpec: fc.Arbitrary<AppSpec> = fc.record(
  { name: fc.nat({ max: 1 }), platform: opt(platform), ...placement },
  { requiredKeys: ["name"] },
);
export const configSpec: fc.Arbitrary<ConfigSpec> = fc.record(
  {
    name: fc.nat({ max: 1 }),
    platform: opt(platform),
    healthy: opt(healthy),
    routing: opt(fc.constantFrom("AllAtOnce", "TimeBasedCanary", "TimeBasedLinear", "TimeBasedFlexible", "Gradual")),
    perZone: opt(healthy),
    ...placement,
  },
  { requiredKeys: ["name"] },
);

const configRef: fc.Arbitrary<ConfigRef> = fc.oneof(
  fc.constant({ kind: "none" as const }),
  fc.record({ kind: fc.constant("builtIn" as const), name: fc.constantFrom(...BUILT_INS) }),
  fc.record({ kind: fc.constant("custom" as const), index: fc.nat({ max: 1 }), via }),
  fc.constant({ kind: "external" as const }),
  fc.record({ kind: fc.constant("unresolved" as const), name: fc.constantFrom("team-rollout", "CodeDeployDefault.ThirdAtATime") }),
);

export const groupSpec: fc.Arbitrary<GroupSpec> = fc.record(
  {
    ecs: fc.boolean(),
    app: fc.oneof(
      fc.record({ kind: fc.constant("inStack" as const), index: fc.nat({ max: 1 }), via }),
      fc.record({ kind: fc.constant("notInStack" as const), platform }),
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
          duplicate: fc.boolean(),
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
    secrets: opt(fc.boolean()),
    ...placement,
  },
  { requiredKeys: ["ecs", "app", "config"] },
);

const providerSpec: fc.Arbitrary<ProviderSpec> = fc.record(
  { region: opt(region), configurationUnknown: opt(fc.boolean()) },
  { requiredKeys: [] },
);

export const stackSpec = (provider?: Provider): fc.Arbitrary<StackSpec> =>
  fc.record({
    provider: provider ? fc.constant(provider) : fc.constantFrom<Provider>("classic", "native"),
    providers: fc.array(providerSpec, { minLength: 1, maxLength: 2 }),
    apps: fc.array(appSpec, { maxLength: 2 }),
    configs: fc.array(configSpec, { maxLength: 2 }),
    groups: fc.array(groupSpec, { minLength: 1, maxLength: 2 }),
  });

// ---- rendering: the program's registered resources ----

const TYPES = { classic: AWS_CLASSIC_TYPES, native: AWS_NATIVE_TYPES };
const PROVIDER_TYPES = { classic: "pulumi:providers:aws", native: "pulumi:providers:aws-native" };
const PROJECT = "ml-platform";
const STACK = "prod";
export const EXTERNAL_NAME = "org-rollout";
/** The application a `notInStack` group names. */
export const OUTSIDE_APP = "elsewhere";

const urnOf = (type: string, name: string) => `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
const ROOT_URN = urnOf("pulumi:pulumi:Stack", `${PROJECT}-${STACK}`);

function providersOf(spec: StackSpec): EngineProvider[] {
  const type = PROVIDER_TYPES[spec.provider];
  return spec.providers.map((p, i): EngineProvider => {
    const name = i === 0 ? (spec.provider === "classic" ? "default_7_0_0" : "default_1_30_0") : "west";
    const properties: WireProperties = { version: spec.provider === "classic" ? "7.0.0" : "1.30.0" };
    if (p.region) properties.region = p.region === "unknown" ? UNKNOWN_SENTINEL : p.region;
    if (p.configurationUnknown) {
      properties[spec.provider === "classic" ? "assumeRoles" : "assumeRole"] =
        spec.provider === "classic" ? [{ roleArn: UNKNOWN_SENTINEL }] : { roleArn: UNKNOWN_SENTINEL };
    }
    return { urn: urnOf(type, name), type, name, properties };
  });
}

const appName = (app: AppSpec) => `app-${app.name}`;
const configName = (config: ConfigSpec) => `custom-${config.name}`;

/** A name reference: the value the program passes and the property dependency the engine records. */
function referTo(
  target: { urn: string; name: string } | undefined,
  fallbackName: string,
  how: Via,
): { value: WireValue; dependencies?: string[] } {
  if (!target || how === "literal") return { value: target?.name ?? fallbackName };
  return { value: how === "output" ? target.name : UNKNOWN_SENTINEL, dependencies: [target.urn] };
}

/** The program's registered resources: inputs as the program gives them (wire JSON), each with its provider. */
export function programResources(spec: StackSpec): EngineResource[] {
  const types = TYPES[spec.provider];
  const native = spec.provider === "native";
  const providers = providersOf(spec);
  const place = (where: Placement, type: string, name: string, properties: WireProperties): EngineResource => {
    if (where.region) properties.region = where.region === "unknown" ? UNKNOWN_SENTINEL : where.region;
    const provider = providers[Math.min(where.provider ?? 0, providers.length - 1)]!;
    return { urn: urnOf(type, name), type, name, properties, provider, parent: ROOT_URN, options: { parent: ROOT_URN } };
  };
  const apps = spec.apps.map((app, i) => {
    const props: WireProperties = { [native ? "applicationName" : "name"]: appName(app) };
    if (app.platform) props.computePlatform = app.platform;
    return place(app, types.application, `app${i}`, props);
  });
  const configs = spec.configs.map((config, i) => {
    const props: WireProperties = { deploymentConfigName: configName(config) };
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
    return place(config, types.deploymentConfig, `config${i}`, props);
  });
  const groups = spec.groups.map((group, i) => {
    const props: WireProperties = { deploymentGroupName: `group-${i}`, serviceRoleArn: FIXTURE_ROLE_ARN };
    const dependencies: Record<string, string[]> = {};
    const refer = (key: string, ref: { value: WireValue; dependencies?: string[] }) => {
      props[key] = ref.value;
      if (ref.dependencies) dependencies[key] = ref.dependencies;
    };
    const appKey = native ? "applicationName" : "appName";
    if (group.app.kind === "notInStack") props[appKey] = OUTSIDE_APP;
    else {
      const app = spec.apps[group.app.index];
      const resource = apps[group.app.index];
      refer(
        appKey,
        referTo(app && resource ? { urn: resource.urn, name: appName(app) } : undefined, `app-${group.app.index}`, group.app.via),
      );
    }
    const ref = group.config;
    if (ref.kind === "builtIn" || ref.kind === "unresolved") props.deploymentConfigName = ref.name;
    if (ref.kind === "external") props.deploymentConfigName = EXTERNAL_NAME;
    if (ref.kind === "custom") {
      const config = spec.configs[ref.index];
      const resource = configs[ref.index];
      refer(
        "deploymentConfigName",
        referTo(config && resource ? { urn: resource.urn, name: configName(config) } : undefined, `custom-${ref.index}`, ref.via),
      );
    }
    if (group.secrets && typeof props.deploymentConfigName === "string" && props.deploymentConfigName !== UNKNOWN_SENTINEL) {
      props.deploymentConfigName = secret(props.deploymentConfigName);
    }
    if (group.ecs) {
      if (native) props.ecsServices = [{ clusterName: "ml", serviceName: `svc-${i}` }];
      else props.ecsService = { clusterName: "ml", serviceName: `svc-${i}` };
    }
    if (group.autoRollback) {
      const block: WireProperties = {};
      if (group.autoRollback.enabled !== undefined) block.enabled = group.autoRollback.enabled as WireValue;
      if (group.autoRollback.events) block.events = [...group.autoRollback.events];
      props.autoRollbackConfiguration = block;
    }
    if (group.alarm) {
      const { alarmCount, ignorePoll, duplicate, enabled } = group.alarm;
      const block: WireProperties = {};
      if (enabled !== undefined) block.enabled = enabled as WireValue;
      if (ignorePoll !== undefined) block.ignorePollAlarmFailure = ignorePoll;
      if (alarmCount !== undefined) {
        const names = Array.from({ length: alarmCount }, (_, k) => `alarm-${i}-${k}`);
        if (duplicate && names.length > 0) names.push(names[0]!);
        const items: WireValue[] = names.map((name) => (native ? { name } : name));
        if (group.secrets && items.length > 0) items[items.length - 1] = secret(items[items.length - 1]!);
        block.alarms = items;
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
    return { ...place(group, types.deploymentGroup, `group${i}`, props), propertyDependencies: dependencies };
  });
  const root: EngineResource = { urn: ROOT_URN, type: "pulumi:pulumi:Stack", name: `${PROJECT}-${STACK}`, properties: {} };
  const providerResources = providers.map((p): EngineResource => ({ urn: p.urn, type: p.type, name: p.name, properties: p.properties }));
  return [root, ...providerResources, ...apps, ...configs, ...groups];
}

/** What the engine sends for the stack: Analyze requests (checked inputs) and AnalyzeStack's resources (outputs, shuffled). */
export function enginePayloads(spec: StackSpec, engine: EngineSpec): RealEnginePayloads {
  const program = withUnknowns(programResources(spec), engine.mode === "preview" ? engine.unknownPaths : []);
  const outside = Object.fromEntries(
    spec.groups.flatMap((g) => (g.app.kind === "notInStack" ? [[OUTSIDE_APP, g.app.platform] as const] : [])).slice(0, 1),
  );
  return realEnginePayloads(program, { mode: engine.mode, shuffleSeed: engine.shuffleSeed, externalApplicationPlatforms: outside });
}

/** A stack spec without what an update cannot have: unknown regions and unknown provider configurations. */
export function settled(spec: StackSpec): StackSpec {
  const known = <T extends Placement | ProviderSpec>(item: T): T => (item.region === "unknown" ? { ...item, region: undefined } : item);
  return {
    ...spec,
    providers: spec.providers.map((p) => ({ ...known(p), configurationUnknown: undefined })),
    apps: spec.apps.map(known),
    configs: spec.configs.map(known),
    groups: spec.groups.map(known),
  };
}

/** A stack and how the engine sends it: a preview with a few computed inputs, or an update. */
export const engineStack = (provider?: Provider, maxUnknowns = 4) =>
  stackSpec(provider).chain((spec) => {
    const all = paths(programResources(spec));
    return fc.oneof(
      fc.record({
        spec: fc.constant(spec),
        engine: fc.record({
          mode: fc.constant("preview" as const),
          analyzed: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
          unknownPaths: fc.subarray(all, { maxLength: Math.min(maxUnknowns, all.length) }),
          shuffleSeed: fc.nat(),
        }),
      }),
      fc.record({
        spec: fc.constant(settled(spec)),
        engine: fc.record({
          mode: fc.constant("update" as const),
          analyzed: fc.constant(true),
          unknownPaths: fc.constant([] as string[]),
          shuffleSeed: fc.nat(),
        }),
      }),
    );
  });

// ---- the in-process path (adapters -> evaluateStack), for the behaviour properties ----

function plain(value: WireValue): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(plain);
  if (value["4dabf18193072939515e22adb298388d"] !== undefined) return plain(value["value"] ?? null);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
}

/** The CodeDeploy resources of the stack with their checked inputs (secrets unwrapped, as the SDK hands them over). */
export function render(spec: StackSpec): PulumiResource[] {
  const { analyze } = realEnginePayloads(programResources(settled(spec)), { mode: "update" });
  return analyze
    .filter((r) => r.type.includes(":codedeploy"))
    .map((r) => ({
      type: r.type,
      urn: r.urn,
      name: r.name,
      props: plain(r.properties) as Record<string, unknown>,
      propertyDependencies: r.propertyDependencies ?? {},
      ...(r.provider ? { provider: { urn: r.provider.urn, props: plain(r.provider.properties) as Record<string, unknown> } } : {}),
    }));
}

// ---- unknowns ----

interface Named {
  readonly name: string;
}
type WithProps<R> = R extends EngineResource ? EngineResource : PulumiResource;
const propsOf = (r: EngineResource | PulumiResource): Record<string, unknown> => ("properties" in r ? r.properties : r.props);

/** Every path under a resource's props, e.g. `group0.autoRollbackConfiguration.events.1`. */
export function paths<R extends (EngineResource | PulumiResource) & Named>(
  resources: readonly R[],
  filter: (r: R) => boolean = () => true,
): string[] {
  const out: string[] = [];
  const walk = (value: unknown, prefix: string) => {
    if (typeof value !== "object" || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (child === UNKNOWN_SENTINEL || key === "4dabf18193072939515e22adb298388d") continue;
      const path = `${prefix}.${key}`;
      out.push(path);
      walk(child, path);
    }
  };
  for (const r of resources) if (filter(r) && r.type.includes(":codedeploy")) walk(propsOf(r), r.name);
  return out;
}

export type UnknownStyle = "sentinel" | "proxy";

/**
 * A deep copy of the resources with the values at `unknownPaths` made unknown: the string sentinel
 * (what a program's Node SDK sends; the provider's Check types it), or, for the in-process path, a
 * getter that throws as the policy SDK's unknown-checking proxy does.
 */
export function withUnknowns<R extends EngineResource | PulumiResource>(
  resources: readonly R[],
  unknownPaths: readonly string[],
  style: UnknownStyle = "sentinel",
): WithProps<R>[] {
  const copy = resources.map((r) =>
    "properties" in r ? { ...r, properties: structuredClone(r.properties) } : { ...r, props: structuredClone(r.props) },
  );
  for (const path of unknownPaths) {
    const [name, ...keys] = path.split(".");
    const resource = copy.find((r) => r.name === name && r.type.includes(":codedeploy"));
    if (!resource) continue;
    let parent: unknown = propsOf(resource);
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
    if (style === "sentinel") (parent as Record<string, unknown>)[last] = UNKNOWN_SENTINEL;
    else
      Object.defineProperty(parent, last, {
        enumerable: true,
        configurable: true,
        get() {
          throw new Error(`${path} is unknown during preview`);
        },
      });
  }
  return copy as WithProps<R>[];
}

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
    [POLICY.autoRollback]: defined({ requiredEvents: c.requiredEvents }),
    [POLICY.alarms]: defined({
      minAlarms: c.minAlarms,
      allowIgnorePollAlarmFailure: c.allowIgnorePollAlarmFailure,
    }),
    [POLICY.minimumHealthyHosts]: defined({
      minHealthyHostCount: c.minHealthyHostCount,
      minHealthyFleetPercent: c.minHealthyFleetPercent,
      externalDeploymentConfigs: external,
    }),
    [POLICY.trafficShifting]: defined({ externalDeploymentConfigs: external }),
    [POLICY.blueGreen]: defined({ minTerminationWaitMinutes: c.minTerminationWaitMinutes }),
    [POLICY.outdatedInstances]: {},
  };
  for (const [index, level] of c.levels) file[POLICY_NAMES[index]!]!.enforcementLevel = level;
  return file;
}
