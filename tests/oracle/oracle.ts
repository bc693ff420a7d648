// An independent oracle for the codedeploy-guardrails pack, written from the specification
// (issue 2) and ../shared/codedeploy-facts.md only. It imports nothing from policy-pack/ on
// purpose: it reads raw AWS classic / AWS Native props itself and says, per (policy, resource),
// what the pack must report: "pass", "mandatory" or "advisory".
//
// Unknown values (preview): a field is unknown when it is the engine's sentinel string or when
// reading it throws (the SDK's proxy). Every check returns a three-valued answer:
//   "ok"      - compliant whatever the unknown values turn out to be
//   "bad"     - violates whatever the unknown values turn out to be (decided from the known parts)
//   "unknown" - the verdict really depends on an unknown value (reported advisory)
// A value of the wrong JSON type is "bad": the pack never passes what it cannot read.
//
// Decisions where the specification is silent (kept here so they are easy to review):
//   - rollback events CodeDeploy does not define, and empty alarm names, are violations;
//   - a list of `n` unknown events can supply at most `n` missing required events;
//   - when a minimum-healthy-hosts type is unknown, the verdict is "bad" only if the value fails
//     for both HOST_COUNT and FLEET_PERCENT;
//   - a Server group whose deploymentType is unknown passes blue/green if its blue/green settings
//     would pass anyway;
//   - a custom config whose computePlatform is unknown: "bad" if its settings fail anyway, else
//     "unknown";
//   - resource-scope policies (auto-rollback, alarms, outdated instances) see only the group, as
//     the Pulumi engine runs them: for outdated instances the platform comes from the group alone
//     (ECS service, built-in config name, otherwise Server);
//   - a platform field that cannot be read (an application's computePlatform unknown, or not
//     Server/Lambda/ECS; an ECS service field of the wrong shape) does not decide the platform:
//     the group falls back to the next source, and the policy for that platform (minimum healthy
//     hosts or gradual traffic shifting) is at least "unknown" (unknown field) or "bad" (bad one);
//   - a `CodeDeployDefault.*` name this catalog does not list is unresolved unless declared in
//     `externalDeploymentConfigs` (the spec: "a name that resolves to nothing is reported unless
//     declared").

export type Verdict = "pass" | "mandatory" | "advisory";
type Tri = "ok" | "bad" | "unknown";

export const POLICIES = [
  "codedeploy-auto-rollback-enabled",
  "codedeploy-alarm-rollback-configured",
  "codedeploy-minimum-healthy-hosts",
  "codedeploy-gradual-traffic-shifting",
  "codedeploy-blue-green-rollback-window",
  "codedeploy-outdated-instances-update",
] as const;
export type Policy = (typeof POLICIES)[number];

const DEFAULT_LEVEL: Record<Policy, "mandatory" | "advisory"> = {
  "codedeploy-auto-rollback-enabled": "mandatory",
  "codedeploy-alarm-rollback-configured": "mandatory",
  "codedeploy-minimum-healthy-hosts": "mandatory",
  "codedeploy-gradual-traffic-shifting": "mandatory",
  "codedeploy-blue-green-rollback-window": "advisory",
  "codedeploy-outdated-instances-update": "advisory",
};

export interface OracleResource {
  readonly type: string;
  readonly urn: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** The `--policy-pack-config` file: per policy a level string or `{ enforcementLevel?, ...settings }`. */
export type OracleConfig = Readonly<Record<string, unknown>>;

const T = {
  classicGroup: "aws:codedeploy/deploymentGroup:DeploymentGroup",
  classicConfig: "aws:codedeploy/deploymentConfig:DeploymentConfig",
  classicApp: "aws:codedeploy/application:Application",
  nativeGroup: "aws-native:codedeploy:DeploymentGroup",
  nativeConfig: "aws-native:codedeploy:DeploymentConfig",
  nativeApp: "aws-native:codedeploy:Application",
};

// ---- facts (codedeploy-facts.md) ----

type Platform = "Server" | "Lambda" | "ECS";
const EVENTS = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"];
const MAX_ALARMS = 10;

interface BuiltIn {
  platform: Platform;
  /** Server: what it keeps healthy. "all-but-one" is OneAtATime. */
  healthy?: { type: "HOST_COUNT" | "FLEET_PERCENT"; value: number } | "all-but-one";
  /** Lambda/ECS: true when traffic shifts in steps. */
  gradual?: boolean;
}

const P = "CodeDeployDefault.";
const BUILT_INS: Record<string, BuiltIn> = {
  [`${P}AllAtOnce`]: { platform: "Server", healthy: { type: "HOST_COUNT", value: 0 } },
  [`${P}HalfAtATime`]: { platform: "Server", healthy: { type: "FLEET_PERCENT", value: 50 } },
  [`${P}OneAtATime`]: { platform: "Server", healthy: "all-but-one" },
  [`${P}LambdaAllAtOnce`]: { platform: "Lambda", gradual: false },
  [`${P}LambdaCanary10Percent5Minutes`]: { platform: "Lambda", gradual: true },
  [`${P}LambdaCanary10Percent10Minutes`]: { platform: "Lambda", gradual: true },
  [`${P}LambdaCanary10Percent15Minutes`]: { platform: "Lambda", gradual: true },
  [`${P}LambdaCanary10Percent30Minutes`]: { platform: "Lambda", gradual: true },
  [`${P}LambdaLinear10PercentEvery1Minute`]: { platform: "Lambda", gradual: true },
  [`${P}LambdaLinear10PercentEvery2Minutes`]: { platform: "Lambda", gradual: true },
  [`${P}LambdaLinear10PercentEvery3Minutes`]: { platform: "Lambda", gradual: true },
  [`${P}LambdaLinear10PercentEvery10Minutes`]: { platform: "Lambda", gradual: true },
  [`${P}ECSAllAtOnce`]: { platform: "ECS", gradual: false },
  [`${P}ECSLinear10PercentEvery1Minutes`]: { platform: "ECS", gradual: true },
  [`${P}ECSLinear10PercentEvery3Minutes`]: { platform: "ECS", gradual: true },
  [`${P}ECSCanary10Percent5Minutes`]: { platform: "ECS", gradual: true },
  [`${P}ECSCanary10Percent15Minutes`]: { platform: "ECS", gradual: true },
};
export const ORACLE_BUILT_IN_NAMES = Object.keys(BUILT_INS);

// ---- reading raw props ----

export const SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const U: unique symbol = Symbol("unknown");
type Read = unknown;

function get(object: unknown, key: string | number): Read {
  if (typeof object !== "object" || object === null) return undefined;
  let value: unknown;
  try {
    value = (object as Record<string, unknown>)[key];
  } catch {
    return U;
  }
  return value === SENTINEL ? U : value;
}
/** The items of a list, each read on its own (an item may be unknown, even a throwing one). */
function elements(list: Read): Read[] {
  const items: Read[] = [];
  if (!Array.isArray(list)) return items;
  for (let i = 0; i < list.length; i++) items.push(get(list, i));
  return items;
}
const absent = (v: Read) => v === undefined || v === null;
const isObject = (v: Read): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function all(...values: Tri[]): Tri {
  if (values.includes("bad")) return "bad";
  if (values.includes("unknown")) return "unknown";
  return "ok";
}
/** The verdict when either of two possible worlds may be the real one. */
function either(a: Tri, b: Tri): Tri {
  return a === b ? a : "unknown";
}

// ---- config ----

interface Settings {
  level: "mandatory" | "advisory" | "disabled";
  requiredEvents: string[];
  minAlarms: number;
  allowIgnorePollAlarmFailure: boolean;
  minHealthyHostCount: number;
  minHealthyFleetPercent: number;
  minTerminationWaitMinutes: number;
  externals: {
    name: string;
    computePlatform?: Platform;
    minimumHealthyHosts?: { type: string; value: number };
    trafficRoutingType?: string;
  }[];
  exemptions: { resource: string; reason: string; expires: string }[];
}

function settingsOf(config: OracleConfig, policy: Policy): Settings {
  const entry = config[policy];
  const s: Record<string, unknown> = typeof entry === "string" ? { enforcementLevel: entry } : ((entry as Record<string, unknown>) ?? {});
  const level = (s.enforcementLevel as string | undefined) ?? DEFAULT_LEVEL[policy];
  return {
    level: level === "disabled" ? "disabled" : level === "advisory" ? "advisory" : "mandatory",
    requiredEvents: (s.requiredEvents as string[]) ?? ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
    minAlarms: (s.minAlarms as number) ?? 1,
    allowIgnorePollAlarmFailure: (s.allowIgnorePollAlarmFailure as boolean) ?? false,
    minHealthyHostCount: (s.minHealthyHostCount as number) ?? 1,
    minHealthyFleetPercent: (s.minHealthyFleetPercent as number) ?? 66,
    minTerminationWaitMinutes: (s.minTerminationWaitMinutes as number) ?? 60,
    externals: (s.externalDeploymentConfigs as Settings["externals"]) ?? [],
    exemptions: (s.exemptions as Settings["exemptions"]) ?? [],
  };
}

function globMatches(glob: string, text: string): boolean {
  const re =
    "^" +
    glob
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
      .join("") +
    "$";
  return new RegExp(re, "s").test(text);
}

function exempt(settings: Settings, resource: OracleResource, now: Date): boolean {
  return settings.exemptions.some((e) => {
    const matches = e.resource === resource.urn || globMatches(e.resource, resource.urn) || globMatches(e.resource, resource.name);
    const lastDayEnds = Date.parse(`${e.expires}T00:00:00Z`) + 86_400_000;
    return matches && now.getTime() < lastDayEnds;
  });
}

// ---- the stack ----

const isGroup = (r: OracleResource) => r.type === T.classicGroup || r.type === T.nativeGroup;
const isConfig = (r: OracleResource) => r.type === T.classicConfig || r.type === T.nativeConfig;
const isApp = (r: OracleResource) => r.type === T.classicApp || r.type === T.nativeApp;
const isNative = (r: OracleResource) => r.type.startsWith("aws-native:");

function appNameKey(r: OracleResource): string {
  return isNative(r) ? "applicationName" : r.type === T.classicApp ? "name" : "appName";
}

function asPlatform(v: Read): Platform | undefined {
  return v === "Server" || v === "Lambda" || v === "ECS" ? v : undefined;
}

function uniqueDependency(resource: OracleResource, property: string, candidates: OracleResource[]): OracleResource | undefined {
  const urns = resource.propertyDependencies?.[property] ?? [];
  const found = candidates.filter((c) => urns.includes(c.urn));
  return found.length === 1 ? found[0] : undefined;
}

/** "yes", "no", or "bad" (a value of the wrong shape, which names no service). */
function ecsService(group: OracleResource): "yes" | "no" | "bad" {
  const native = isNative(group);
  const v = get(group.props, native ? "ecsServices" : "ecsService");
  if (v === U) return "yes";
  if (absent(v)) return "no";
  if (native) return Array.isArray(v) ? (v.length > 0 ? "yes" : "no") : "bad";
  return isObject(v) ? (Object.keys(v).length > 0 ? "yes" : "no") : "bad";
}

/** A platform, and how sure: "bad" or "unknown" when a field that should have decided it could not be read. */
interface PlatformOf {
  platform: Platform;
  doubt: Tri;
}

/** Spec order: ECS service; the application's platform (by name, then dependency); a built-in config name; Server. */
function platformWithDoubt(group: OracleResource, stack: OracleResource[] | undefined): PlatformOf {
  const service = ecsService(group);
  if (service === "yes") return { platform: "ECS", doubt: "ok" };
  let doubt: Tri = service === "bad" ? "bad" : "ok";
  if (stack) {
    const apps = stack.filter(isApp);
    const name = get(group.props, appNameKey(group));
    const app =
      (typeof name === "string" ? apps.find((a) => get(a.props, appNameKey(a)) === name) : undefined) ??
      uniqueDependency(group, appNameKey(group), apps);
    if (app) {
      const p = get(app.props, "computePlatform");
      if (absent(p)) return { platform: "Server", doubt };
      const known = asPlatform(p);
      if (known) return { platform: known, doubt };
      doubt = all(doubt, p === U ? "unknown" : "bad");
    }
  }
  const configName = get(group.props, "deploymentConfigName");
  if (typeof configName === "string" && BUILT_INS[configName]) return { platform: BUILT_INS[configName].platform, doubt };
  return { platform: "Server", doubt };
}

function platformOf(group: OracleResource, stack: OracleResource[] | undefined): Platform {
  return platformWithDoubt(group, stack).platform;
}

/** What a group's effective deployment config is. */
type Effective =
  | { kind: "default" }
  | { kind: "builtIn"; config: BuiltIn }
  | { kind: "stack"; config: OracleResource }
  | { kind: "external"; config: Settings["externals"][number] }
  | { kind: "unknown" }
  | { kind: "bad" };

function effectiveConfig(group: OracleResource, stack: OracleResource[], settings: Settings): Effective {
  const configs = stack.filter(isConfig);
  const name = get(group.props, "deploymentConfigName");
  if (absent(name) || name === "") return { kind: "default" };
  if (name === U) {
    const dep = uniqueDependency(group, "deploymentConfigName", configs);
    return dep ? { kind: "stack", config: dep } : { kind: "unknown" };
  }
  if (typeof name !== "string") return { kind: "bad" };
  if (BUILT_INS[name]) return { kind: "builtIn", config: BUILT_INS[name] };
  const external = settings.externals.find((e) => e.name === name);
  if (name.startsWith(P)) return external ? { kind: "external", config: external } : { kind: "unknown" };
  const byName = configs.find((c) => get(c.props, "deploymentConfigName") === name);
  if (byName) return { kind: "stack", config: byName };
  if (external) return { kind: "external", config: external };
  const dep = uniqueDependency(group, "deploymentConfigName", configs);
  return dep ? { kind: "stack", config: dep } : { kind: "unknown" };
}

// ---- policies ----

function autoRollback(group: OracleResource, s: Settings): Tri {
  const block = get(group.props, "autoRollbackConfiguration");
  if (absent(block)) return "bad";
  if (block === U) return "unknown";
  if (!isObject(block)) return "bad";
  const enabled = get(block, "enabled");
  const enabledTri: Tri = enabled === U ? "unknown" : enabled === true ? "ok" : "bad";
  const events = get(block, "events");
  let eventsTri: Tri;
  if (events === U) eventsTri = s.requiredEvents.length > 0 ? "unknown" : "ok";
  else if (!absent(events) && !Array.isArray(events)) eventsTri = "bad";
  else {
    const items = elements(events);
    const unknownCount = items.filter((e) => e === U).length;
    const known = items.filter((e) => e !== U);
    const invalid = known.some((e) => typeof e !== "string" || !EVENTS.includes(e));
    const missing = s.requiredEvents.filter((e) => !known.includes(e));
    eventsTri = invalid ? "bad" : missing.length === 0 ? "ok" : missing.length <= unknownCount ? "unknown" : "bad";
  }
  return all(enabledTri, eventsTri);
}

function alarms(group: OracleResource, s: Settings): Tri {
  const block = get(group.props, "alarmConfiguration");
  if (absent(block)) return "bad";
  if (block === U) return "unknown";
  if (!isObject(block)) return "bad";
  const enabled = get(block, "enabled");
  const enabledTri: Tri = enabled === U ? "unknown" : enabled === true ? "ok" : "bad";
  const list = get(block, "alarms");
  let alarmsTri: Tri;
  if (list === U) alarmsTri = "unknown";
  else if (!absent(list) && !Array.isArray(list)) alarmsTri = "bad";
  else {
    const items = elements(list);
    // classic: alarm names; native: { name } objects. An unknown item or name is an alarm whose name comes later.
    const names = items.map((item) => (isNative(group) ? (item === U ? U : isObject(item) ? get(item, "name") : item) : item));
    const malformed = names.some((n) => n !== U && typeof n !== "string");
    const empty = names.filter((n) => n === "").length;
    const count = names.length - empty;
    alarmsTri = malformed || empty > 0 || count < s.minAlarms || names.length > MAX_ALARMS ? "bad" : "ok";
  }
  let pollTri: Tri = "ok";
  if (!s.allowIgnorePollAlarmFailure) {
    const poll = get(block, "ignorePollAlarmFailure");
    pollTri = poll === U ? "unknown" : poll === true || (!absent(poll) && typeof poll !== "boolean") ? "bad" : "ok";
  }
  return all(enabledTri, alarmsTri, pollTri);
}

/** A minimum-healthy-hosts block against the thresholds. */
function healthySetting(block: Read, s: Settings): Tri {
  if (absent(block)) return "bad";
  if (block === U) return "unknown";
  if (!isObject(block)) return "bad";
  const type = get(block, "type");
  const value = get(block, "value");
  if (!absent(value) && value !== U && !(typeof value === "number" && Number.isInteger(value))) return "bad";
  if (!absent(type) && type !== U && typeof type !== "string") return "bad";
  const judge = (t: Read): Tri => {
    if (t !== "HOST_COUNT" && t !== "FLEET_PERCENT") return "bad";
    if (value === U) return "unknown";
    if (absent(value)) return "bad";
    const v = value;
    if (t === "HOST_COUNT") return v >= s.minHealthyHostCount ? "ok" : "bad";
    return v >= s.minHealthyFleetPercent && v <= 99 ? "ok" : "bad";
  };
  if (type === U) return either(judge("HOST_COUNT"), judge("FLEET_PERCENT"));
  return judge(type);
}

function configPlatform(config: OracleResource): Platform | typeof U | undefined {
  const p = get(config.props, "computePlatform");
  if (absent(p)) return "Server";
  if (p === U) return U;
  return asPlatform(p);
}

function minimumHealthyHostsGroup(group: OracleResource, stack: OracleResource[], s: Settings): Tri {
  const { platform, doubt } = platformWithDoubt(group, stack);
  if (platform !== "Server") return "ok";
  return all(doubt, minimumHealthyHostsOfServerGroup(group, stack, s));
}

function minimumHealthyHostsOfServerGroup(group: OracleResource, stack: OracleResource[], s: Settings): Tri {
  const eff = effectiveConfig(group, stack, s);
  switch (eff.kind) {
    case "default":
      return "ok"; // OneAtATime keeps all hosts but one healthy
    case "unknown":
      return "unknown";
    case "bad":
      return "bad";
    case "builtIn": {
      const c = eff.config;
      if (c.platform !== "Server") return "bad";
      if (c.healthy === "all-but-one") return "ok";
      return healthySetting(c.healthy, s);
    }
    case "external": {
      const c = eff.config;
      if (c.computePlatform && c.computePlatform !== "Server") return "bad";
      return healthySetting(c.minimumHealthyHosts, s);
    }
    case "stack": {
      const platform = configPlatform(eff.config);
      const setting = healthySetting(get(eff.config.props, "minimumHealthyHosts"), s);
      if (platform === U) return setting === "bad" ? "bad" : "unknown";
      if (platform !== undefined && platform !== "Server") return "bad";
      return setting;
    }
  }
}

function minimumHealthyHostsConfig(config: OracleResource, s: Settings): Tri {
  const platform = configPlatform(config);
  if (platform === U) return "unknown";
  if (platform !== "Server") return "ok";
  const main = healthySetting(get(config.props, "minimumHealthyHosts"), s);
  const zonal = get(config.props, "zonalConfig");
  let perZone: Tri = "ok";
  if (zonal === U) perZone = "unknown";
  else if (!absent(zonal) && !isObject(zonal)) perZone = "bad";
  else if (isObject(zonal)) {
    const inner = get(zonal, "minimumHealthyHostsPerZone");
    perZone = absent(inner) ? "ok" : healthySetting(inner, s);
  }
  return all(main, perZone);
}

function trafficVerdict(type: Read): Tri {
  if (type === U) return "unknown";
  return type === "TimeBasedCanary" || type === "TimeBasedLinear" || type === "TimeBasedFlexible" ? "ok" : "bad";
}

function gradualTrafficShifting(group: OracleResource, stack: OracleResource[], s: Settings): Tri {
  const { platform, doubt } = platformWithDoubt(group, stack);
  if (platform === "Server") return "ok";
  return all(doubt, gradualOfLambdaOrEcsGroup(group, platform, stack, s));
}

function gradualOfLambdaOrEcsGroup(group: OracleResource, platform: Platform, stack: OracleResource[], s: Settings): Tri {
  const eff = effectiveConfig(group, stack, s);
  switch (eff.kind) {
    case "default":
      return "bad"; // CodeDeploy shifts all traffic at once
    case "unknown":
      return "unknown";
    case "bad":
      return "bad";
    case "builtIn":
      return eff.config.platform === platform && eff.config.gradual ? "ok" : "bad";
    case "external": {
      const c = eff.config;
      if (c.computePlatform && c.computePlatform !== platform) return "bad";
      return trafficVerdict(c.trafficRoutingType);
    }
    case "stack": {
      const configP = configPlatform(eff.config);
      const routing = get(eff.config.props, "trafficRoutingConfig");
      const traffic: Tri = routing === U ? "unknown" : !isObject(routing) ? "bad" : trafficVerdict(get(routing, "type"));
      if (configP === U) return traffic === "bad" ? "bad" : "unknown";
      if (configP !== platform) return "bad";
      return traffic;
    }
  }
}

function blueGreen(group: OracleResource, stack: OracleResource[], s: Settings): Tri {
  const platform = platformOf(group, stack);
  if (platform === "Lambda") return "ok";
  const window = (): Tri => {
    const block = get(group.props, isNative(group) ? "blueGreenDeploymentConfiguration" : "blueGreenDeploymentConfig");
    if (block === U) return "unknown";
    if (absent(block)) return "bad";
    if (!isObject(block)) return "bad";
    const terminate = get(block, "terminateBlueInstancesOnDeploymentSuccess");
    if (terminate === U) return "unknown";
    if (absent(terminate) || !isObject(terminate)) return "bad";
    const action = get(terminate, "action");
    if (action === U) return "unknown";
    if (action === "KEEP_ALIVE") return "ok";
    if (action !== "TERMINATE") return "bad";
    const wait = get(terminate, "terminationWaitTimeInMinutes");
    if (wait === U) return "unknown";
    if (!absent(wait) && !(typeof wait === "number" && Number.isInteger(wait))) return "bad";
    return ((wait as number | undefined) ?? 0) >= s.minTerminationWaitMinutes ? "ok" : "bad";
  };
  if (platform === "ECS") return window();
  const style = get(group.props, "deploymentStyle");
  if (absent(style)) return "ok";
  if (style === U) return either("ok", window());
  if (!isObject(style)) return "bad";
  const type = get(style, "deploymentType");
  if (type === U) return either("ok", window());
  if (!absent(type) && typeof type !== "string") return "bad";
  return type === "BLUE_GREEN" ? window() : "ok";
}

function outdatedInstances(group: OracleResource): Tri {
  if (platformOf(group, undefined) !== "Server") return "ok";
  const strategy = get(group.props, "outdatedInstancesStrategy");
  if (strategy === U) return "unknown";
  if (!absent(strategy) && typeof strategy !== "string") return "bad";
  return strategy === "IGNORE" ? "bad" : "ok";
}

// ---- entry point ----

export function verdictKey(policy: string, urn: string): string {
  return `${policy} ${urn}`;
}

/** Expected verdict for every (policy, group or config resource) of the stack. */
export function oracle(resources: readonly OracleResource[], config: OracleConfig, now: Date): Map<string, Verdict> {
  const stack = [...resources];
  const result = new Map<string, Verdict>();
  for (const policy of POLICIES) {
    const s = settingsOf(config, policy);
    for (const resource of stack) {
      if (!isGroup(resource) && !isConfig(resource)) continue;
      let tri: Tri = "ok";
      if (s.level !== "disabled") {
        if (isGroup(resource)) {
          switch (policy) {
            case "codedeploy-auto-rollback-enabled":
              tri = autoRollback(resource, s);
              break;
            case "codedeploy-alarm-rollback-configured":
              tri = alarms(resource, s);
              break;
            case "codedeploy-minimum-healthy-hosts":
              tri = minimumHealthyHostsGroup(resource, stack, s);
              break;
            case "codedeploy-gradual-traffic-shifting":
              tri = gradualTrafficShifting(resource, stack, s);
              break;
            case "codedeploy-blue-green-rollback-window":
              tri = blueGreen(resource, stack, s);
              break;
            case "codedeploy-outdated-instances-update":
              tri = outdatedInstances(resource);
              break;
          }
        } else if (policy === "codedeploy-minimum-healthy-hosts") {
          tri = minimumHealthyHostsConfig(resource, s);
        }
        if (exempt(s, resource, now)) tri = "ok";
      }
      result.set(
        verdictKey(policy, resource.urn),
        tri === "ok" || s.level === "disabled" ? "pass" : tri === "unknown" ? "advisory" : s.level,
      );
    }
  }
  return result;
}
