// An independent oracle for the codedeploy-guardrails pack, written from the specification only:
// the README's policy table, docs/resolution.md (how a group's application, deployment config and
// compute platform are found) and ../shared/codedeploy-facts.md. It imports nothing from
// policy-pack/ on purpose: it reads raw AWS classic / AWS Native props itself (as @pulumi/policy
// hands them to a policy: secrets unwrapped, unknowns as the engine's typed sentinels or as getters
// that throw) and says, per (policy, resource), what the pack must report: "pass", "mandatory" or
// "advisory".
//
// What the engine runs where (engine-facts.md): the resource-scope policies (auto-rollback, alarms,
// outdated instances) run in Analyze on each resource's inputs after the provider's Check; the
// stack policies (minimum healthy hosts, gradual traffic shifting, blue/green window) run once in
// AnalyzeStack on the resources' outputs. A resource the engine did not Analyze in the pack's
// process gets no resource-scope verdict.
//
// Unknown values: every check returns a three-valued answer:
//   "ok"      - compliant whatever the unknown values turn out to be
//   "bad"     - violates whatever the unknown values turn out to be (decided from the known parts)
//   "unknown" - the verdict really depends on an unknown value (reported advisory)
// A value of the wrong JSON type is "bad": the pack never passes what it cannot read.
//
// Decisions where the specification is silent (kept here so they are easy to review):
//   - rollback events CodeDeploy does not define, and empty alarm names, are violations;
//   - a list of `n` unknown events can supply at most `n` missing required events;
//   - alarms are a set (docs/resolution.md): distinct known names plus one per unknown item count
//     against minAlarms and the maximum of 10; duplicates alone change no verdict;
//   - when a minimum-healthy-hosts type is unknown, the verdict is "bad" only if the value fails
//     for both HOST_COUNT and FLEET_PERCENT;
//   - a Server group whose deploymentType is unknown passes blue/green if its blue/green settings
//     would pass anyway;
//   - an "undecided" platform is Server or Lambda (docs/resolution.md): a policy passes when it
//     passes on both, else it is "unknown"; an ambiguous application or config is unknown evidence
//     for the platform, and an ambiguous config is "unknown" for the policy that reads its settings;
//   - a declared external config without `minimumHealthyHosts` (Server) or `trafficRoutingType`
//     (Lambda/ECS) fails the policy that needs it, as a stack config without them does;
//   - resource-scope policies see only the group (the engine gives Analyze no other resource and
//     no property dependencies): for outdated instances the platform evidence is the group's own
//     (ECS service, computePlatform, a built-in config name) and a computed app or config name is
//     unknown evidence; `externalDeploymentConfigs` is not among that policy's settings;
//   - a resource whose AnalyzeStack props are empty or lack what identifies it uses its Analyze
//     props when the pack saw them: Analyze ran for it and at least one resource-scope policy is
//     enabled (the SDK calls no disabled policy, so the pack sees nothing otherwise). Without them,
//     a group is "unknown" for each stack policy, a config for minimum healthy hosts, and an
//     application or config reached through a property dependency is unknown (unknown platform,
//     undecidable settings); a name that is not known never matches by name;
//   - a `CodeDeployDefault.*` name this catalog does not list is unresolved unless declared in
//     `externalDeploymentConfigs`.

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
const RESOURCE_SCOPE: readonly Policy[] = [
  "codedeploy-auto-rollback-enabled",
  "codedeploy-alarm-rollback-configured",
  "codedeploy-outdated-instances-update",
];

/** The provider a resource was created with, as the engine sends it (its inputs). */
export interface OracleProvider {
  readonly urn: string;
  readonly props: Record<string, unknown>;
}

export interface OracleResource {
  readonly type: string;
  readonly urn: string;
  readonly name: string;
  /** What Analyze gets: the inputs after the provider's Check. */
  readonly props: Record<string, unknown>;
  /** What AnalyzeStack gets (the outputs); `props` when absent. */
  readonly outputs?: Record<string, unknown>;
  /** False when the engine did not Analyze this resource in the pack's process (default true). */
  readonly analyzed?: boolean;
  /** Absent for payloads without provider information (the provider "none"). */
  readonly provider?: OracleProvider;
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
const PLATFORMS: readonly Platform[] = ["Server", "Lambda", "ECS"];
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
/** The Server default the AWS classic provider fills into every group that names no config: no platform evidence. */
const ONE_AT_A_TIME = `${P}OneAtATime`;
const BUILT_INS: Record<string, BuiltIn> = {
  [`${P}AllAtOnce`]: { platform: "Server", healthy: { type: "HOST_COUNT", value: 0 } },
  [`${P}HalfAtATime`]: { platform: "Server", healthy: { type: "FLEET_PERCENT", value: 50 } },
  [ONE_AT_A_TIME]: { platform: "Server", healthy: "all-but-one" },
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

/** The engine's unknown sentinels, one per type (engine-facts.md; `marshalUnknownProperty`). */
export const SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const UNKNOWN_SENTINELS = new Set([
  SENTINEL,
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
]);
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
  return typeof value === "string" && UNKNOWN_SENTINELS.has(value) ? U : value;
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
/** The verdict when any of several possible worlds may be the real one. */
function either(...values: Tri[]): Tri {
  return values.every((v) => v === values[0]) ? values[0]! : "unknown";
}

// ---- config ----

interface External {
  name: string;
  computePlatform?: Platform;
  minimumHealthyHosts?: { type: string; value: number };
  trafficRoutingType?: string;
}

interface Settings {
  level: "mandatory" | "advisory" | "disabled";
  requiredEvents: string[];
  minAlarms: number;
  allowIgnorePollAlarmFailure: boolean;
  minHealthyHostCount: number;
  minHealthyFleetPercent: number;
  minTerminationWaitMinutes: number;
  externals: External[];
  exemptions: { resource: string; reason: string; expires: string }[];
}

function settingsOf(config: OracleConfig, policy: Policy): Settings {
  const entry = config[policy];
  const s: Record<string, unknown> = typeof entry === "string" ? { enforcementLevel: entry } : ((entry as Record<string, unknown>) ?? {});
  const level = (s.enforcementLevel as string | undefined) ?? DEFAULT_LEVEL[policy];
  return {
    // "remediate": a violation that remains is reported as mandatory (@pulumi/policy does the same).
    level: level === "disabled" ? "disabled" : level === "advisory" ? "advisory" : "mandatory",
    requiredEvents: (s.requiredEvents as string[]) ?? ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
    minAlarms: (s.minAlarms as number) ?? 1,
    allowIgnorePollAlarmFailure: (s.allowIgnorePollAlarmFailure as boolean) ?? false,
    minHealthyHostCount: (s.minHealthyHostCount as number) ?? 1,
    minHealthyFleetPercent: (s.minHealthyFleetPercent as number) ?? 66,
    minTerminationWaitMinutes: (s.minTerminationWaitMinutes as number) ?? 60,
    externals: (s.externalDeploymentConfigs as External[]) ?? [],
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

// ---- the stack as one policy sees it ----

const isGroup = (r: OracleResource) => r.type === T.classicGroup || r.type === T.nativeGroup;
const isConfig = (r: OracleResource) => r.type === T.classicConfig || r.type === T.nativeConfig;
const isApp = (r: OracleResource) => r.type === T.classicApp || r.type === T.nativeApp;
const isNative = (r: OracleResource) => r.type.startsWith("aws-native:");

/** A resource with the props one phase sees; `props` undefined: AnalyzeStack sent `{}` and the pack saw no Analyze props. */
interface Node {
  readonly resource: OracleResource;
  readonly props: Record<string, unknown> | undefined;
}

/** What a policy sees beside the group: the stack's applications and configs, and the declared external configs. */
interface View {
  readonly apps: readonly Node[];
  readonly configs: readonly Node[];
  readonly externals: readonly External[];
}
/** Analyze: the group alone. */
const ALONE: View = { apps: [], configs: [], externals: [] };

/** The group's field naming its application; the application's own name field. */
const appRefKey = (group: OracleResource) => (isNative(group) ? "applicationName" : "appName");
const appNameKey = (app: OracleResource) => (isNative(app) ? "applicationName" : "name");
const configNameKey = () => "deploymentConfigName";

// ---- scope: provider URN and region ----

function regionOf(node: Node): string | typeof U {
  const own = get(node.props, "region");
  if (own === U) return U;
  if (typeof own === "string") return own;
  if (!node.resource.provider) return "none";
  const fromProvider = get(node.resource.provider.props, "region");
  if (fromProvider === U) return U;
  return typeof fromProvider === "string" ? fromProvider : "none";
}

function sameScope(a: Node, b: Node): boolean {
  if ((a.resource.provider?.urn ?? "none") !== (b.resource.provider?.urn ?? "none")) return false;
  const ra = regionOf(a);
  const rb = regionOf(b);
  return ra === U || rb === U || ra === rb;
}

// ---- references: property dependencies first, then the name in scope ----

type Ref =
  | { kind: "resolved"; target: Node }
  | { kind: "ambiguous" }
  /** A known name that matches nothing in scope. */
  | { kind: "outside"; name: string }
  /** A name unknown during preview, with no property dependency. */
  | { kind: "unknown" }
  | { kind: "absent" }
  | { kind: "bad" };

function reference(group: Node, field: string, candidates: readonly Node[], nameKey: (r: OracleResource) => string): Ref {
  const urns = group.resource.propertyDependencies?.[field] ?? [];
  const fromDependencies = candidates.filter((c) => urns.includes(c.resource.urn));
  if (fromDependencies.length === 1) return { kind: "resolved", target: fromDependencies[0]! };
  if (fromDependencies.length > 1) return { kind: "ambiguous" };
  const name = get(group.props, field);
  if (absent(name) || name === "") return { kind: "absent" };
  if (name === U) return { kind: "unknown" };
  if (typeof name !== "string") return { kind: "bad" };
  const inScope = candidates.filter((c) => c.props !== undefined && get(c.props, nameKey(c.resource)) === name && sameScope(group, c));
  if (inScope.length === 1) return { kind: "resolved", target: inScope[0]! };
  if (inScope.length > 1) return { kind: "ambiguous" };
  return { kind: "outside", name };
}

// ---- the compute platform, from every piece of evidence ----

interface Evidence {
  known: Set<Platform>;
  /** Unknown during preview, or an ambiguous reference: it decides nothing. */
  unknown: boolean;
  /** A platform field of the wrong shape or value: a violation naming it, left out of the evidence. */
  malformed: boolean;
}

type Decision =
  | { kind: "decided"; platform: Platform; malformed: boolean }
  | { kind: "conflict"; malformed: boolean }
  | { kind: "undecided"; malformed: boolean };

/** "yes", "no", or "bad" (a value of the wrong shape, which names no service). */
function ecsService(group: Node): "yes" | "no" | "bad" {
  const native = isNative(group.resource);
  const v = get(group.props, native ? "ecsServices" : "ecsService");
  if (v === U) return "yes";
  if (absent(v)) return "no";
  if (native) return Array.isArray(v) ? (v.length > 0 ? "yes" : "no") : "bad";
  return isObject(v) ? (Object.keys(v).filter((k) => !k.startsWith("__")).length > 0 ? "yes" : "no") : "bad";
}

/** A resource's own `computePlatform` (application or config): Server when absent, CodeDeploy's default. */
function stated(node: Node, evidence: Evidence): void {
  if (node.props === undefined) {
    evidence.unknown = true;
    return;
  }
  const p = get(node.props, "computePlatform");
  if (p === U) evidence.unknown = true;
  else if (absent(p)) evidence.known.add("Server");
  else if (PLATFORMS.includes(p as Platform)) evidence.known.add(p as Platform);
  else evidence.malformed = true;
}

function decidePlatform(group: Node, view: View): Decision {
  const evidence: Evidence = { known: new Set(), unknown: false, malformed: false };
  const service = ecsService(group);
  if (service === "yes") evidence.known.add("ECS");
  if (service === "bad") evidence.malformed = true;

  // The group's own output, when known (update, unchanged resources); unknown is no evidence.
  const own = get(group.props, "computePlatform");
  if (PLATFORMS.includes(own as Platform)) evidence.known.add(own as Platform);
  else if (own !== U && !absent(own)) evidence.malformed = true;

  const app = reference(group, appRefKey(group.resource), view.apps, appNameKey);
  if (app.kind === "resolved") stated(app.target, evidence);
  else if (app.kind === "ambiguous" || app.kind === "unknown") evidence.unknown = true;

  const config = reference(group, "deploymentConfigName", view.configs, configNameKey);
  if (config.kind === "resolved") stated(config.target, evidence);
  else if (config.kind === "ambiguous" || config.kind === "unknown") evidence.unknown = true;
  else if (config.kind === "outside") {
    const builtIn = BUILT_INS[config.name];
    const external = view.externals.find((e) => e.name === config.name);
    if (builtIn) {
      if (config.name !== ONE_AT_A_TIME) evidence.known.add(builtIn.platform);
    } else if (external?.computePlatform) evidence.known.add(external.computePlatform);
  }

  if (evidence.known.size > 1) return { kind: "conflict", malformed: evidence.malformed };
  if (evidence.known.size === 1) return { kind: "decided", platform: [...evidence.known][0]!, malformed: evidence.malformed };
  if (evidence.unknown) return { kind: "undecided", malformed: evidence.malformed };
  return { kind: "decided", platform: "Server", malformed: evidence.malformed };
}

// ---- the effective deployment config ----

type Effective =
  | { kind: "none" }
  | { kind: "builtIn"; name: string; config: BuiltIn }
  | { kind: "stack"; config: Node }
  | { kind: "external"; config: External }
  | { kind: "unresolved" }
  | { kind: "unknown" }
  | { kind: "bad" };

function effectiveConfig(group: Node, view: View): Effective {
  const ref = reference(group, "deploymentConfigName", view.configs, configNameKey);
  switch (ref.kind) {
    case "absent":
      return { kind: "none" };
    case "bad":
      return { kind: "bad" };
    case "unknown":
    case "ambiguous":
      return { kind: "unknown" };
    case "resolved":
      return { kind: "stack", config: ref.target };
    case "outside": {
      const builtIn = BUILT_INS[ref.name];
      if (builtIn) return { kind: "builtIn", name: ref.name, config: builtIn };
      const external = view.externals.find((e) => e.name === ref.name);
      return external ? { kind: "external", config: external } : { kind: "unresolved" };
    }
  }
}

// ---- policies ----

function autoRollback(props: Record<string, unknown>, s: Settings): Tri {
  const block = get(props, "autoRollbackConfiguration");
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

function alarms(group: OracleResource, props: Record<string, unknown>, s: Settings): Tri {
  const block = get(props, "alarmConfiguration");
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
    const empty = names.some((n) => n === "");
    // The set's size: each unknown alarm counts as one more name.
    const count = new Set(names.filter((n) => n !== U)).size + names.filter((n) => n === U).length;
    alarmsTri = malformed || empty || count < s.minAlarms || count > MAX_ALARMS ? "bad" : "ok";
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

/** Minimum healthy hosts of a group deploying to Server. */
function serverHosts(effective: Effective, s: Settings): Tri {
  switch (effective.kind) {
    case "none":
      return "ok"; // OneAtATime keeps all hosts but one healthy
    case "unresolved":
    case "unknown":
      return "unknown";
    case "bad":
      return "bad";
    case "builtIn": {
      const c = effective.config;
      if (c.platform !== "Server") return "bad";
      return c.healthy === "all-but-one" ? "ok" : healthySetting(c.healthy, s);
    }
    case "external":
      return healthySetting(effective.config.minimumHealthyHosts, s);
    case "stack":
      return effective.config.props === undefined ? "unknown" : healthySetting(get(effective.config.props, "minimumHealthyHosts"), s);
  }
}

function trafficVerdict(type: Read): Tri {
  if (type === U) return "unknown";
  return type === "TimeBasedCanary" || type === "TimeBasedLinear" || type === "TimeBasedFlexible" ? "ok" : "bad";
}

/** Gradual traffic shifting of a group deploying to Lambda or ECS. */
function shifting(effective: Effective): Tri {
  switch (effective.kind) {
    case "none":
      return "bad"; // CodeDeploy shifts all traffic at once
    case "unresolved":
    case "unknown":
      return "unknown";
    case "bad":
      return "bad";
    case "builtIn":
      // OneAtATime here is the provider's default for a group that names no config: all at once.
      return effective.config.gradual === true ? "ok" : "bad";
    case "external":
      return trafficVerdict(effective.config.trafficRoutingType);
    case "stack": {
      if (effective.config.props === undefined) return "unknown";
      const routing = get(effective.config.props, "trafficRoutingConfig");
      return routing === U ? "unknown" : !isObject(routing) ? "bad" : trafficVerdict(get(routing, "type"));
    }
  }
}

function blueGreenWindow(group: Node, platform: Platform, s: Settings): Tri {
  if (platform === "Lambda") return "ok";
  const props = group.props;
  const window = (): Tri => {
    const block = get(props, isNative(group.resource) ? "blueGreenDeploymentConfiguration" : "blueGreenDeploymentConfig");
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
  const style = get(props, "deploymentStyle");
  if (absent(style)) return "ok";
  if (style === U) return either("ok", window());
  if (!isObject(style)) return "bad";
  const type = get(style, "deploymentType");
  if (type === U) return either("ok", window());
  if (!absent(type) && typeof type !== "string") return "bad";
  return type === "BLUE_GREEN" ? window() : "ok";
}

/** Which policy reports a malformed platform field: minimum healthy hosts for Server or undecided, gradual shifting otherwise. */
type MalformedReporter = "hosts" | "gradual" | "neither";

/** One platform-dependent policy, given what it decides on each platform. */
function byPlatform(decision: Decision, judge: (platform: Platform) => Tri, reporter: MalformedReporter): Tri {
  const reportedBy = decision.kind === "undecided" || (decision.kind === "decided" && decision.platform === "Server") ? "hosts" : "gradual";
  const malformed: Tri = decision.malformed && reportedBy === reporter ? "bad" : "ok";
  switch (decision.kind) {
    case "conflict":
      return malformed; // the conflict itself is reported once, by gradual traffic shifting
    case "decided":
      return all(judge(decision.platform), malformed);
    case "undecided":
      // Server or Lambda: a group that names no ECS service cannot be ECS.
      return all(judge("Server") === "ok" && judge("Lambda") === "ok" ? "ok" : "unknown", malformed);
  }
}

function minimumHealthyHostsGroup(group: Node, view: View, s: Settings): Tri {
  const decision = decidePlatform(group, view);
  const effective = effectiveConfig(group, view);
  return byPlatform(decision, (p) => (p === "Server" ? serverHosts(effective, s) : "ok"), "hosts");
}

function gradualTrafficShifting(group: Node, view: View): Tri {
  const decision = decidePlatform(group, view);
  if (decision.kind === "conflict") return "bad"; // CodeDeploy refuses the group or deployment at update
  const effective = effectiveConfig(group, view);
  return byPlatform(decision, (p) => (p === "Server" ? "ok" : shifting(effective)), "gradual");
}

function blueGreen(group: Node, view: View, s: Settings): Tri {
  return byPlatform(decidePlatform(group, view), (p) => blueGreenWindow(group, p, s), "neither");
}

/** Resource scope: the group alone, its inputs. */
function outdatedInstances(group: Node): Tri {
  const strategy = (): Tri => {
    const value = get(group.props, "outdatedInstancesStrategy");
    if (value === U) return "unknown";
    if (!absent(value) && typeof value !== "string") return "bad";
    return value === "IGNORE" ? "bad" : "ok";
  };
  return byPlatform(decidePlatform(group, ALONE), (p) => (p === "Server" ? strategy() : "ok"), "neither");
}

function minimumHealthyHostsConfig(config: Node, s: Settings): Tri {
  if (config.props === undefined) return "unknown";
  const p = get(config.props, "computePlatform");
  if (p === U) return "unknown";
  if (!absent(p) && p !== "Server") return "ok";
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

// ---- entry point ----

export function verdictKey(policy: string, urn: string): string {
  return `${policy} ${urn}`;
}

/** The field without which AnalyzeStack's props cannot identify the resource (docs/resolution.md). */
function identifyingKey(resource: OracleResource): string | undefined {
  if (isGroup(resource)) return appRefKey(resource);
  if (isNative(resource)) return undefined; // AWS Native names configs and applications itself when the program does not
  if (isConfig(resource)) return "deploymentConfigName";
  if (isApp(resource)) return "name";
  return undefined;
}

/** What AnalyzeStack's policies see of a resource: its outputs, or its Analyze props when the outputs are unreadable. */
function stackNode(resource: OracleResource, packSawAnalyze: boolean): Node {
  const outputs = resource.outputs ?? resource.props;
  const key = identifyingKey(resource);
  const empty = Object.keys(outputs).every((k) => k.startsWith("__"));
  if (!empty && (key === undefined || !absent(get(outputs, key)))) return { resource, props: outputs };
  return { resource, props: packSawAnalyze && resource.analyzed !== false ? resource.props : undefined };
}

/** Expected verdict for every (policy, group or config resource) of the stack. */
export function oracle(resources: readonly OracleResource[], config: OracleConfig, now: Date): Map<string, Verdict> {
  const settings = new Map(POLICIES.map((policy) => [policy, settingsOf(config, policy)] as const));
  // The pack sees Analyze props only through an enabled resource-scope policy.
  const packSawAnalyze = RESOURCE_SCOPE.some((policy) => settings.get(policy)!.level !== "disabled");
  const nodes = resources.map((r) => stackNode(r, packSawAnalyze));
  const apps = nodes.filter((n) => isApp(n.resource));
  const configs = nodes.filter((n) => isConfig(n.resource));
  const result = new Map<string, Verdict>();
  for (const policy of POLICIES) {
    const s = settings.get(policy)!;
    const view: View = { apps, configs, externals: s.externals };
    for (const node of nodes) {
      const resource = node.resource;
      if (!isGroup(resource) && !isConfig(resource)) continue;
      const analyzed = resource.analyzed !== false;
      const inputs: Node = { resource, props: resource.props };
      let tri: Tri = "ok";
      if (s.level !== "disabled") {
        if (isGroup(resource)) {
          const checkable = node.props !== undefined;
          switch (policy) {
            case "codedeploy-auto-rollback-enabled":
              tri = analyzed ? autoRollback(resource.props, s) : "ok";
              break;
            case "codedeploy-alarm-rollback-configured":
              tri = analyzed ? alarms(resource, resource.props, s) : "ok";
              break;
            case "codedeploy-outdated-instances-update":
              tri = analyzed ? outdatedInstances(inputs) : "ok";
              break;
            case "codedeploy-minimum-healthy-hosts":
              tri = checkable ? minimumHealthyHostsGroup(node, view, s) : "unknown";
              break;
            case "codedeploy-gradual-traffic-shifting":
              tri = checkable ? gradualTrafficShifting(node, view) : "unknown";
              break;
            case "codedeploy-blue-green-rollback-window":
              tri = checkable ? blueGreen(node, view, s) : "unknown";
              break;
          }
        } else if (policy === "codedeploy-minimum-healthy-hosts") {
          tri = minimumHealthyHostsConfig(node, s);
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
