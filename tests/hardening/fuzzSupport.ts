// Generators and oracles shared by the hardening fuzz tests and `npm run fuzz` (scripts/fuzz.ts).
//
// A case is one CodeDeploy resource (or an unrelated one) with props in the engine's wire encoding
// (unknowns as the sentinel string, secrets as signature objects), either fully random JSON or a
// valid resource with one field replaced by garbage ("near-valid"), plus, for groups, the stack
// around it (application and custom deployment config) so that the stack policies reach it too.
//
// The oracle: when the mutated field is one a mandatory check reads and the garbage is definitely
// of the wrong JSON type, the pack must report a mandatory violation that names the field's path.
import fc from "fast-check";
import { toModel, type PulumiResource } from "../../policy-pack/adapters";
import type { CodeDeployModel } from "../../policy-pack/core/model";
import { evaluateStack, type EvaluatedFinding } from "../../policy-pack/evaluate";
import { POLICY_RUNNERS } from "../../policy-pack/rules";
import {
  makeUrn,
  realEnginePayloads,
  secret,
  SECRET_SIG,
  SPECIAL_SIG_KEY,
  UNKNOWN_SENTINEL,
  type EngineResource,
  type WireProperties,
  type WireValue,
} from "../../packages/tools/src/engine";
import { compliantClassicGroupProps } from "../engine/helpers";

export const TYPES = {
  classicGroup: "aws:codedeploy/deploymentGroup:DeploymentGroup",
  classicConfig: "aws:codedeploy/deploymentConfig:DeploymentConfig",
  classicApplication: "aws:codedeploy/application:Application",
  nativeGroup: "aws-native:codedeploy:DeploymentGroup",
  nativeConfig: "aws-native:codedeploy:DeploymentConfig",
  nativeApplication: "aws-native:codedeploy:Application",
} as const;
export const UNRELATED_TYPES = [
  "aws:s3/bucket:Bucket",
  "aws:lambda/function:Function",
  "random:index/randomPet:RandomPet",
  "pulumi:providers:aws",
];
export const FUZZ_TYPES = [...Object.values(TYPES), "aws:s3/bucket:Bucket"] as const;

/** The policies whose findings the oracle expects at mandatory level: those mandatory by default. */
export const MANDATORY_POLICIES: readonly string[] = POLICY_RUNNERS.filter(
  (runner) => runner.metadata.enforcementLevel === "mandatory",
).map((runner) => runner.metadata.name);

// ---- random JSON, as the engine can send it ------------------------------------------------------

export interface JsonOptions {
  /** Longest generated string (a few cases get one this long). */
  readonly maxStringLength: number;
  /** Longest generated array (a few cases get one this long). */
  readonly maxArrayLength: number;
  /** Deepest nesting of the deep-chain generator. */
  readonly maxDepth: number;
}

export const DEFAULT_JSON_OPTIONS: JsonOptions = { maxStringLength: 4_096, maxArrayLength: 500, maxDepth: 60 };

/** Strings: ASCII, full unicode (astral, combining), lone surrogates, sentinel-like, huge. */
function stringArb(options: JsonOptions): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 16 }) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }) },
    { weight: 1, arbitrary: fc.constantFrom("\ud800", "\udfff", "a\ud83d", "\ude00b", "\u0000", "\u202e", "𝔘𝔫𝔦", "") },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "DEPLOYMENT_FAILURE",
        "DEPLOYMENT_STOP_ON_ALARM",
        "BLUE_GREEN",
        "IN_PLACE",
        "TERMINATE",
        "KEEP_ALIVE",
        "IGNORE",
        "UPDATE",
        "HOST_COUNT",
        "FLEET_PERCENT",
        "MOST_CONCURRENCY",
        "Server",
        "Lambda",
        "ECS",
        "AllAtOnce",
        "TimeBasedCanary",
        "CodeDeployDefault.OneAtATime",
        "CodeDeployDefault.AllAtOnce",
        "CodeDeployDefault.LambdaAllAtOnce",
        "CodeDeployDefault.ECSCanary10Percent5Minutes",
        "CodeDeployDefault.Nope",
        "true",
        "1",
        "__proto__",
        "constructor",
      ),
    },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: options.maxStringLength }).map((length) => "x".repeat(length)) },
  );
}

function numberArb(): fc.Arbitrary<number> {
  return fc.oneof(
    fc.integer({ min: -5, max: 200 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0.5, -0, 1e21, Number.MAX_SAFE_INTEGER + 2, -1e308, 5e-324, 99.999),
  );
}

/** Any wire value; `unknown` and secret wrappers appear at any depth. */
export function wireValueArb(options: JsonOptions = DEFAULT_JSON_OPTIONS): fc.Arbitrary<WireValue> {
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 8 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "enabled",
        "events",
        "alarms",
        "name",
        "type",
        "value",
        "action",
        "__proto__",
        "constructor",
        "toString",
        "length",
      ),
    },
  );
  const { value } = fc.letrec<{ value: WireValue; leaf: WireValue }>((tie) => ({
    leaf: fc.oneof(
      { weight: 2, arbitrary: fc.constant(null) },
      { weight: 2, arbitrary: fc.boolean() },
      { weight: 3, arbitrary: numberArb() },
      { weight: 5, arbitrary: stringArb(options) },
      { weight: 2, arbitrary: fc.constant(UNKNOWN_SENTINEL) },
    ),
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      { weight: 6, arbitrary: tie("leaf") },
      { weight: 2, arbitrary: fc.array(tie("value"), { maxLength: 5 }) },
      { weight: 2, arbitrary: fc.dictionary(key, tie("value"), { maxKeys: 5 }) },
      { weight: 1, arbitrary: tie("value").map((inner) => secret(inner)) },
      // Huge arrays and deep chains, rarely: they are slow to build and send.
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            fc.integer({ min: 0, max: options.maxArrayLength }),
            fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.string({ maxLength: 8 }), fc.constant(UNKNOWN_SENTINEL)),
          )
          .map(([length, item]) => Array.from({ length }, () => item)),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(fc.integer({ min: 1, max: options.maxDepth }), fc.boolean(), tie("leaf")).map(([depth, asArray, leaf]) => {
          let result: WireValue = leaf;
          for (let index = 0; index < depth; index++) result = asArray ? [result] : { nested: result };
          return result;
        }),
      },
    ),
  }));
  return value;
}

export function wirePropsArb(options: JsonOptions = DEFAULT_JSON_OPTIONS): fc.Arbitrary<WireProperties> {
  const fieldNames = fc.constantFrom(
    "appName",
    "applicationName",
    "deploymentGroupName",
    "deploymentConfigName",
    "computePlatform",
    "ecsService",
    "ecsServices",
    "autoRollbackConfiguration",
    "alarmConfiguration",
    "deploymentStyle",
    "blueGreenDeploymentConfig",
    "blueGreenDeploymentConfiguration",
    "outdatedInstancesStrategy",
    "minimumHealthyHosts",
    "trafficRoutingConfig",
    "zonalConfig",
    "name",
    "tags",
  );
  return fc.dictionary(
    fc.oneof({ weight: 4, arbitrary: fieldNames }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }),
    wireValueArb(options),
    {
      maxKeys: 10,
    },
  );
}

// ---- valid resources and the fields a mandatory check reads ----------------------------------------

type Expected = "object" | "boolean" | "string" | "array" | "integer" | "stringItem" | "objectItem";

export interface FieldSpec {
  /** Dotted path with `[n]` indices, in the provider's own names: what a message must name. */
  readonly path: string;
  readonly expected: Expected;
  /** Read by a mandatory check of this resource (the oracle applies), or only fuzzed. */
  readonly mandatory: boolean;
}

export type Flavor = "classicServer" | "classicLambda" | "nativeServer" | "nativeEcs";

export interface ValidStack {
  readonly application: WireProperties;
  readonly config: WireProperties | undefined;
  readonly group: WireProperties;
}

/** The valid stack of a flavor; `suffix` makes its names unique, so cases sharing one AnalyzeStack never resolve each other's resources. */
export function validStack(flavor: Flavor, suffix = ""): ValidStack {
  const stack = validStackTemplate(flavor);
  if (!suffix) return stack;
  const rename = (props: WireProperties): WireProperties => {
    const copy = { ...props };
    for (const key of ["name", "appName", "applicationName", "deploymentConfigName"]) {
      const value = copy[key];
      if (typeof value === "string" && !value.startsWith("CodeDeployDefault.")) copy[key] = `${value}-${suffix}`;
    }
    return copy;
  };
  return { application: rename(stack.application), config: stack.config && rename(stack.config), group: rename(stack.group) };
}

function validStackTemplate(flavor: Flavor): ValidStack {
  switch (flavor) {
    case "classicServer":
      return {
        application: { name: "inference", computePlatform: "Server" },
        config: {
          deploymentConfigName: "safe-rolling",
          computePlatform: "Server",
          minimumHealthyHosts: { type: "FLEET_PERCENT", value: 75 },
          zonalConfig: { monitorDurationInSeconds: 60, minimumHealthyHostsPerZone: { type: "HOST_COUNT", value: 1 } },
        },
        // The gRPC tests' compliant Server group, without its Auto Scaling group list.
        group: (({ autoscalingGroups: _asg, ...group }) => group)(compliantClassicGroupProps()),
      };
    case "classicLambda":
      return {
        application: { name: "scorer", computePlatform: "Lambda" },
        config: {
          deploymentConfigName: "canary",
          computePlatform: "Lambda",
          trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: { interval: 5, percentage: 10 } },
        },
        group: {
          appName: "scorer",
          deploymentGroupName: "scorer-prod",
          serviceRoleArn: "arn:aws:iam::123456789012:role/codedeploy",
          deploymentConfigName: "canary",
          autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
          alarmConfiguration: { enabled: true, alarms: ["scorer-errors"], ignorePollAlarmFailure: false },
          deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
        },
      };
    case "nativeServer":
      return {
        application: { applicationName: "inference", computePlatform: "Server" },
        config: {
          deploymentConfigName: "safe-rolling",
          computePlatform: "Server",
          minimumHealthyHosts: { type: "HOST_COUNT", value: 2 },
        },
        group: {
          applicationName: "inference",
          deploymentGroupName: "inference-prod",
          serviceRoleArn: "arn:aws:iam::123456789012:role/codedeploy",
          deploymentConfigName: "safe-rolling",
          autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
          alarmConfiguration: {
            enabled: true,
            alarms: [{ name: "inference-5xx" }, { name: "inference-p99" }],
            ignorePollAlarmFailure: false,
          },
          deploymentStyle: { deploymentType: "IN_PLACE", deploymentOption: "WITHOUT_TRAFFIC_CONTROL" },
          outdatedInstancesStrategy: "UPDATE",
        },
      };
    case "nativeEcs":
      return {
        application: { applicationName: "ranker", computePlatform: "ECS" },
        config: undefined,
        group: {
          applicationName: "ranker",
          deploymentGroupName: "ranker-prod",
          serviceRoleArn: "arn:aws:iam::123456789012:role/codedeploy",
          deploymentConfigName: "CodeDeployDefault.ECSCanary10Percent5Minutes",
          ecsServices: [{ clusterName: "ml", serviceName: "ranker" }],
          autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
          alarmConfiguration: { enabled: true, alarms: [{ name: "ranker-5xx" }], ignorePollAlarmFailure: false },
          deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
          blueGreenDeploymentConfiguration: {
            terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 120 },
          },
        },
      };
  }
}

const GROUP_FIELDS_COMMON: FieldSpec[] = [
  { path: "autoRollbackConfiguration", expected: "object", mandatory: true },
  { path: "autoRollbackConfiguration.enabled", expected: "boolean", mandatory: true },
  { path: "autoRollbackConfiguration.events", expected: "array", mandatory: true },
  { path: "autoRollbackConfiguration.events[0]", expected: "stringItem", mandatory: true },
  { path: "autoRollbackConfiguration.events[1]", expected: "stringItem", mandatory: true },
  { path: "alarmConfiguration", expected: "object", mandatory: true },
  { path: "alarmConfiguration.enabled", expected: "boolean", mandatory: true },
  { path: "alarmConfiguration.alarms", expected: "array", mandatory: true },
  { path: "alarmConfiguration.ignorePollAlarmFailure", expected: "boolean", mandatory: true },
  { path: "deploymentConfigName", expected: "string", mandatory: true },
  { path: "deploymentStyle", expected: "object", mandatory: false },
  { path: "deploymentStyle.deploymentType", expected: "string", mandatory: false },
  { path: "outdatedInstancesStrategy", expected: "string", mandatory: false },
  { path: "deploymentGroupName", expected: "string", mandatory: false },
];

export function groupFields(flavor: Flavor): FieldSpec[] {
  const native = flavor === "nativeServer" || flavor === "nativeEcs";
  const fields = [...GROUP_FIELDS_COMMON];
  if (native) {
    fields.push(
      { path: "alarmConfiguration.alarms[0]", expected: "objectItem", mandatory: true },
      { path: "alarmConfiguration.alarms[0].name", expected: "stringItem", mandatory: true },
      { path: "applicationName", expected: "string", mandatory: false },
      // The platform falls back without it, and the policy checking that platform names the field.
      { path: "ecsServices", expected: "array", mandatory: true },
      { path: "blueGreenDeploymentConfiguration", expected: "object", mandatory: false },
      { path: "blueGreenDeploymentConfiguration.terminateBlueInstancesOnDeploymentSuccess", expected: "object", mandatory: false },
      { path: "blueGreenDeploymentConfiguration.terminateBlueInstancesOnDeploymentSuccess.action", expected: "string", mandatory: false },
    );
  } else {
    fields.push(
      { path: "alarmConfiguration.alarms[0]", expected: "stringItem", mandatory: true },
      { path: "appName", expected: "string", mandatory: false },
      { path: "ecsService", expected: "object", mandatory: true },
      { path: "blueGreenDeploymentConfig", expected: "object", mandatory: false },
    );
  }
  return fields;
}

export function configFields(flavor: Flavor): FieldSpec[] {
  if (flavor === "classicLambda") {
    return [
      { path: "trafficRoutingConfig", expected: "object", mandatory: true },
      { path: "trafficRoutingConfig.type", expected: "string", mandatory: true },
      { path: "computePlatform", expected: "string", mandatory: false },
      { path: "deploymentConfigName", expected: "string", mandatory: false },
    ];
  }
  const fields: FieldSpec[] = [
    { path: "minimumHealthyHosts", expected: "object", mandatory: true },
    { path: "minimumHealthyHosts.type", expected: "string", mandatory: true },
    { path: "minimumHealthyHosts.value", expected: "integer", mandatory: true },
    // A Server config whose platform is garbage cannot be created: minimum-healthy-hosts names it.
    { path: "computePlatform", expected: "string", mandatory: true },
    { path: "deploymentConfigName", expected: "string", mandatory: false },
    { path: "zonalConfig", expected: "object", mandatory: true },
  ];
  if (flavor === "classicServer") {
    fields.push(
      { path: "zonalConfig.minimumHealthyHostsPerZone", expected: "object", mandatory: true },
      { path: "zonalConfig.minimumHealthyHostsPerZone.type", expected: "string", mandatory: true },
      { path: "zonalConfig.minimumHealthyHostsPerZone.value", expected: "integer", mandatory: true },
    );
  }
  return fields;
}

export function applicationFields(flavor: Flavor): FieldSpec[] {
  const nameKey = flavor.startsWith("native") ? "applicationName" : "name";
  return [
    { path: nameKey, expected: "string", mandatory: false },
    { path: "computePlatform", expected: "string", mandatory: false },
  ];
}

function parsePath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const part of path.split(".")) {
    const match = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (!match) throw new Error(`bad path ${path}`);
    segments.push(match[1]!);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}

/** A copy of `props` with the value at `path` replaced (or removed when `value` is undefined). */
export function setAt(props: WireProperties, path: string, value: WireValue | undefined): WireProperties {
  const copy = structuredClone(props) as WireValue;
  const segments = parsePath(path);
  let target = copy as Record<string | number, WireValue>;
  for (const segment of segments.slice(0, -1)) {
    // Secrets are transparent: a path goes through a secret block into its value, so a mutation
    // never produces a signature object without a value (which no engine sends).
    const next = unwrapSecret(target[segment] ?? null);
    if (typeof next !== "object" || next === null) return copy as WireProperties;
    target = next as Record<string | number, WireValue>;
  }
  if (isSecretObject(target)) target = unwrapSecret(target) as Record<string | number, WireValue>;
  const last = segments[segments.length - 1]!;
  // Never leave a hole in an array (a sparse array is not JSON).
  if (Array.isArray(target) && (typeof last !== "number" || last > target.length)) return copy as WireProperties;
  if (value === undefined) {
    if (Array.isArray(target) && typeof last === "number") target.splice(last, 1);
    else delete target[last];
  } else target[last] = value;
  return copy as WireProperties;
}

function unwrapSecret(value: WireValue): WireValue {
  let current = value;
  while (isSecretObject(current)) current = current.value ?? null;
  return current;
}

function isSecretObject(value: WireValue): value is { [key: string]: WireValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && value[SPECIAL_SIG_KEY] === SECRET_SIG;
}

/** True when `value` (secrets unwrapped) is certainly not what `expected` allows, nor absent nor unknown. */
export function definitelyMalformed(value: WireValue, expected: Expected): boolean {
  const plain = unwrapSecret(value);
  if (plain === UNKNOWN_SENTINEL) return false;
  if (plain === null) return expected === "stringItem" || expected === "objectItem";
  switch (expected) {
    case "object":
    case "objectItem":
      return typeof plain !== "object" || Array.isArray(plain);
    case "boolean":
      return typeof plain !== "boolean";
    case "string":
    case "stringItem":
      return typeof plain !== "string";
    case "array":
      return !Array.isArray(plain);
    case "integer":
      return typeof plain !== "number" || !Number.isInteger(plain);
  }
}

/** Garbage that is certainly of the wrong type for `expected` (the oracle's main diet). */
export function wrongTypeArb(expected: Expected, options: JsonOptions = DEFAULT_JSON_OPTIONS): fc.Arbitrary<WireValue> {
  return wireValueArb(options).filter((value) => definitelyMalformed(value, expected));
}

// ---- cases ------------------------------------------------------------------------------------

export type CaseRole = "group" | "config" | "application" | "unrelated";

export interface FuzzCase {
  readonly kind: "random" | "near-valid";
  /** The resource under test. */
  readonly target: EngineResource;
  /** The whole stack of the case (the target included), for AnalyzeStack. */
  readonly stack: readonly EngineResource[];
  /** Set when the oracle applies: a mandatory violation must name this path. */
  readonly expectMalformed?: string;
  readonly mutation?: string;
}

let caseCounter = 0;
function uniqueSuffix(): string {
  caseCounter = (caseCounter + 1) % 1_000_000_000;
  return caseCounter.toString(36);
}

function res(type: string, name: string, properties: WireProperties, extra: Partial<EngineResource> = {}): EngineResource {
  return { urn: makeUrn("fuzz", "hardening", type, name), type, name, properties, ...extra };
}

function flavorTypes(flavor: Flavor) {
  return flavor.startsWith("native")
    ? { group: TYPES.nativeGroup, config: TYPES.nativeConfig, application: TYPES.nativeApplication }
    : { group: TYPES.classicGroup, config: TYPES.classicConfig, application: TYPES.classicApplication };
}

/** The stack of a flavor with `mutate` applied to the props of the resource playing `role`. */
export function buildStack(
  flavor: Flavor,
  role: Exclude<CaseRole, "unrelated">,
  mutate: (props: WireProperties) => WireProperties,
  suffix = uniqueSuffix(),
) {
  const types = flavorTypes(flavor);
  const valid = validStack(flavor, suffix);
  const application = res(types.application, `app-${suffix}`, role === "application" ? mutate(valid.application) : valid.application);
  const config = valid.config ? res(types.config, `config-${suffix}`, role === "config" ? mutate(valid.config) : valid.config) : undefined;
  const nameKey = flavor.startsWith("native") ? "applicationName" : "appName";
  const group = res(types.group, `group-${suffix}`, role === "group" ? mutate(valid.group) : valid.group, {
    dependencies: [application.urn, ...(config ? [config.urn] : [])],
    propertyDependencies: { [nameKey]: [application.urn], ...(config ? { deploymentConfigName: [config.urn] } : {}) },
  });
  const stack = [application, ...(config ? [config] : []), group];
  const target = role === "group" ? group : role === "config" ? config! : application;
  return { target, stack };
}

const FLAVORS: readonly Flavor[] = ["classicServer", "classicLambda", "nativeServer", "nativeEcs"];

function fieldsFor(flavor: Flavor, role: Exclude<CaseRole, "unrelated">): FieldSpec[] {
  return role === "group" ? groupFields(flavor) : role === "config" ? configFields(flavor) : applicationFields(flavor);
}

/** A near-valid case: a valid stack, one field of one resource replaced by garbage, removed, or made secret. */
export function nearValidCaseArb(
  role: Exclude<CaseRole, "unrelated">,
  provider: "classic" | "native",
  options: JsonOptions = DEFAULT_JSON_OPTIONS,
): fc.Arbitrary<FuzzCase> {
  const flavors = FLAVORS.filter((flavor) => flavor.startsWith(provider) && (role !== "config" || validStack(flavor).config !== undefined));
  return fc
    .constantFrom(...flavors)
    .chain((flavor) =>
      fc
        .record({
          field: fc.oneof(
            {
              weight: 3,
              arbitrary: fc.constantFrom(
                ...fieldsFor(flavor, role)
                  .filter((field) => field.mandatory)
                  .concat(fieldsFor(flavor, role).slice(0, 1)),
              ),
            },
            { weight: 1, arbitrary: fc.constantFrom(...fieldsFor(flavor, role)) },
          ),
          action: fc.constantFrom(
            "wrong-type",
            "wrong-type",
            "wrong-type",
            "wrong-type",
            "wrong-type",
            "secret-wrong-type",
            "garbage",
            "garbage",
            "secret-garbage",
            "remove",
            "unknown",
            "secret-valid",
          ),
          extra: fc.option(fc.tuple(fc.constantFrom(...fieldsFor(flavor, role)), wireValueArb(options)), { freq: 8 }),
        })
        .chain((picked) =>
          (picked.action.endsWith("wrong-type") ? wrongTypeArb(picked.field.expected, options) : wireValueArb(options)).map((garbage) => ({
            flavor,
            ...picked,
            action: picked.action.replace("wrong-type", "garbage"),
            garbage,
          })),
        ),
    )
    .map(({ flavor, field, action, garbage, extra }) => {
      let expectMalformed: string | undefined;
      const mutate = (props: WireProperties): WireProperties => {
        let result = props;
        // An optional second mutation first, so it cannot hide the first one's oracle.
        if (extra) result = setAt(result, extra[0].path, extra[1]);
        switch (action) {
          case "garbage":
          case "secret-garbage": {
            const value = action === "garbage" ? garbage : secret(garbage);
            const applied = parentExists(result, field.path);
            result = setAt(result, field.path, value);
            if (
              field.mandatory &&
              !extra &&
              applied &&
              !resolvedByDependencies(flavor, role, field.path) &&
              definitelyMalformed(value, field.expected)
            )
              expectMalformed = field.path;
            return result;
          }
          case "remove":
            return setAt(result, field.path, undefined);
          case "unknown":
            return setAt(result, field.path, UNKNOWN_SENTINEL);
          default: {
            const current = getAt(result, field.path);
            return current === undefined ? result : setAt(result, field.path, secret(current));
          }
        }
      };
      const { target, stack } = buildStack(flavor, role, mutate);
      return {
        kind: "near-valid" as const,
        target,
        stack,
        expectMalformed,
        mutation: `${flavor} ${role} ${field.path} ${action}${extra ? ` + ${extra[0].path}` : ""}`,
      };
    });
}

/**
 * A group's name field that the stack's property dependencies already resolve (buildStack gives a
 * group with a config in the stack a `deploymentConfigName` dependency): the resource it names is
 * the one the dependency names, whatever the field holds (docs/resolution.md, step 1), so no check
 * has to read it. (The provider's Check refuses a name of the wrong type before any policy runs.)
 */
function resolvedByDependencies(flavor: Flavor, role: Exclude<CaseRole, "unrelated">, path: string): boolean {
  return role === "group" && path === "deploymentConfigName" && validStack(flavor).config !== undefined;
}

function parentExists(props: WireProperties, path: string): boolean {
  const segments = parsePath(path);
  let target: WireValue = props;
  for (const segment of segments.slice(0, -1)) {
    if (typeof target !== "object" || target === null) return false;
    target = unwrapSecret((target as Record<string | number, WireValue>)[segment] ?? null);
  }
  return typeof target === "object" && target !== null;
}

export function getAt(props: WireProperties, path: string): WireValue | undefined {
  let target: WireValue | undefined = props;
  for (const segment of parsePath(path)) {
    const plain: WireValue | undefined = target === undefined ? undefined : unwrapSecret(target);
    if (typeof plain !== "object" || plain === null) return undefined;
    target = (plain as Record<string | number, WireValue>)[segment];
  }
  return target;
}

/** A fully random resource of `type`, alone or beside a random group/config/application. */
export function randomCaseArb(type: string, options: JsonOptions = DEFAULT_JSON_OPTIONS): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(
      wirePropsArb(options),
      fc.array(fc.tuple(fc.constantFrom(...Object.values(TYPES), ...UNRELATED_TYPES), wirePropsArb(options)), { maxLength: 2 }),
    )
    .map(([props, others]) => {
      const suffix = uniqueSuffix();
      const target = res(type, `random-${suffix}`, props);
      const neighbours = others.map(([otherType, otherProps], index) => res(otherType, `n${index}-${suffix}`, otherProps));
      // Random property dependencies from the target to its neighbours.
      const withDeps: EngineResource =
        neighbours.length > 0
          ? {
              ...target,
              propertyDependencies: {
                deploymentConfigName: neighbours.map((item) => item.urn),
                appName: [neighbours[0]!.urn],
                applicationName: [neighbours[0]!.urn],
              },
            }
          : target;
      return { kind: "random" as const, target: withDeps, stack: [...neighbours, withDeps] };
    });
}

/** Cases for one resource type: a third fully random, the rest near-valid. */
export function caseArbFor(type: string, options: JsonOptions = DEFAULT_JSON_OPTIONS): fc.Arbitrary<FuzzCase> {
  const role: CaseRole = type.endsWith("DeploymentGroup")
    ? "group"
    : type.endsWith("DeploymentConfig")
      ? "config"
      : type.endsWith("Application")
        ? "application"
        : "unrelated";
  if (role === "unrelated") return randomCaseArb(type, options);
  const provider = type.startsWith("aws-native:") ? "native" : "classic";
  return fc.oneof(
    { weight: 1, arbitrary: randomCaseArb(type, options) },
    { weight: 2, arbitrary: nearValidCaseArb(role, provider, options) },
  );
}

// ---- the direct path: what the SDK hands the policies, then the rule core ------------------------

/** Wire props as the SDK hands them to a policy in Analyze/AnalyzeStack: secrets unwrapped, sentinels kept. */
export function sdkView(value: WireValue): unknown {
  if (Array.isArray(value)) return value.map(sdkView);
  if (typeof value === "object" && value !== null) {
    if (isSecretObject(value)) return sdkView(value.value ?? null);
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key] = sdkView(item as WireValue);
    return result;
  }
  return value;
}

export function toPulumiResource(resource: EngineResource): PulumiResource {
  return {
    type: resource.type,
    urn: resource.urn,
    name: resource.name,
    props: sdkView(resource.properties) as Record<string, unknown>,
    propertyDependencies: resource.propertyDependencies,
  };
}

export function evaluateDirect(stack: readonly EngineResource[], now = new Date("2026-01-15T00:00:00Z")): EvaluatedFinding[] {
  const models = stack
    .map((resource) => toModel(toPulumiResource(resource)))
    .filter((model): model is CodeDeployModel => model !== undefined);
  return evaluateStack(models, {}, now);
}

export interface Verdict {
  readonly urn: string;
  readonly policy: string;
  readonly level: string;
  readonly message: string;
}

/** The oracle over the findings of a case (either path): a failure message, or undefined. */
export function checkOracle(fuzzCase: FuzzCase, verdicts: readonly Verdict[]): string | undefined {
  for (const verdict of verdicts) {
    if (typeof verdict.message !== "string" || verdict.message.length === 0) return `empty message from ${verdict.policy}`;
  }
  const path = fuzzCase.expectMalformed;
  if (!path) return undefined;
  // Resource policies report on the analyzed resource (urn ""); stack policies may report a
  // malformed config field on the group that uses the config.
  const urns = new Set(fuzzCase.stack.map((resource) => resource.urn));
  const about = verdicts.filter((verdict) => verdict.urn === "" || urns.has(verdict.urn));
  const naming = about.filter(
    (verdict) => verdict.level === "mandatory" && MANDATORY_POLICIES.includes(verdict.policy) && verdict.message.includes(path),
  );
  if (naming.length === 0) {
    return `${fuzzCase.mutation}: no mandatory violation names the malformed field ${path}; got ${JSON.stringify(about.map((verdict) => `${verdict.level} ${verdict.policy}: ${verdict.message}`))}`;
  }
  return undefined;
}

export function directVerdicts(findings: readonly EvaluatedFinding[]): Verdict[] {
  return findings.map((finding) => ({
    urn: finding.resource.urn,
    policy: finding.policy,
    level: finding.enforcementLevel,
    message: finding.message,
  }));
}

// ---- the gRPC path ------------------------------------------------------------------------------

export interface GrpcClient {
  readonly pid: number;
  analyze(
    resource: EngineResource,
  ): Promise<{ diagnostics: readonly { policyName: string; enforcementLevel: string; message: string; urn: string }[] }>;
  analyzeStack(
    resources: readonly EngineResource[],
  ): Promise<{ diagnostics: readonly { policyName: string; enforcementLevel: string; message: string; urn: string }[] }>;
  remediate(resource: EngineResource): Promise<unknown>;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * How a chunk reaches the pack: `undefined` sends the cases' props as they are (Analyze on each
 * target, AnalyzeStack over every stack); otherwise as a real preview or update sends them
 * (tools/engine/realEngine.ts): every resource behind one AWS provider, Analyze on each resource's
 * checked inputs, AnalyzeStack on the outputs in a seeded order, and, when `unknownProvider`, a
 * provider whose configuration is unknown during the preview (every output `{}`).
 */
export interface ChunkShapes {
  readonly mode: "preview" | "update";
  readonly shuffleSeed: number;
  readonly unknownProvider: boolean;
}

export const FUZZ_PROVIDER = {
  urn: "urn:pulumi:fuzz::hardening::pulumi:providers:aws::default_7_0_0",
  type: "pulumi:providers:aws",
  name: "default_7_0_0",
  properties: { region: "eu-west-1", version: "7.0.0" },
} as const;

/** Half the chunks in real shapes, a fifth of those behind a provider whose configuration is unknown. */
export const chunkShapesArb: fc.Arbitrary<ChunkShapes | undefined> = fc.option(
  fc.record({
    mode: fc.constantFrom("preview" as const, "update" as const),
    shuffleSeed: fc.integer(),
    unknownProvider: fc.integer({ min: 0, max: 4 }).map((draw) => draw === 0),
  }),
  { freq: 2 },
);

interface ChunkRequests {
  /** Analyze requests: the resource and whether it is a case's target (its diagnostics carry urn ""). */
  readonly analyze: readonly { readonly resource: EngineResource; readonly target: boolean }[];
  readonly remediate: readonly EngineResource[];
  readonly analyzeStack: readonly EngineResource[];
}

function chunkRequests(cases: readonly FuzzCase[], shapes: ChunkShapes | undefined): ChunkRequests {
  if (!shapes) {
    return {
      analyze: cases.map((fuzzCase) => ({ resource: fuzzCase.target, target: true })),
      remediate: cases.map((fuzzCase) => fuzzCase.target),
      analyzeStack: cases.flatMap((fuzzCase) => fuzzCase.stack),
    };
  }
  const targets = new Set(cases.map((fuzzCase) => fuzzCase.target.urn));
  const resources = cases.flatMap((fuzzCase) => fuzzCase.stack).map((resource) => ({ ...resource, provider: FUZZ_PROVIDER }));
  const payloads = realEnginePayloads(resources, {
    mode: shapes.mode,
    shuffleSeed: shapes.shuffleSeed,
    unknownProviderConfiguration: shapes.unknownProvider ? [FUZZ_PROVIDER.urn] : [],
  });
  // The engine analyzes every resource, but only an unconfigured provider's `{}` outputs make the
  // pack need what it saw in Analyze; otherwise the targets alone keep a chunk within its time
  // budget. Remediation runs on the same checked inputs.
  return {
    analyze: payloads.analyze
      .filter((resource) => shapes.unknownProvider || targets.has(resource.urn))
      .map((resource) => ({ resource, target: targets.has(resource.urn) })),
    remediate: payloads.analyze.filter((resource) => targets.has(resource.urn)),
    analyzeStack: payloads.analyzeStack,
  };
}

/**
 * Runs a chunk of cases through the pack: Analyze (and Remediate on each target), then one
 * AnalyzeStack over every case's stack, shaped as `shapes` says. Returns a failure description, or
 * undefined. A gRPC error throws.
 */
export async function runGrpcChunk(pack: GrpcClient, cases: readonly FuzzCase[], shapes?: ChunkShapes): Promise<string | undefined> {
  const requests = chunkRequests(cases, shapes);
  const describe = (resource: EngineResource) =>
    `${cases.find((fuzzCase) => fuzzCase.stack.some((item) => item.urn === resource.urn))?.mutation ?? "random"} ${JSON.stringify(resource).slice(0, 3000)}${shapes ? ` (shapes ${JSON.stringify(shapes)})` : ""}`;
  const call = async <T>(what: string, resource: EngineResource, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new Error(`${what} failed on ${describe(resource)}: ${detail}`);
    }
  };
  const analyzed = await Promise.all(
    requests.analyze.map(async ({ resource, target }) =>
      (await call("Analyze", resource, () => pack.analyze(resource))).diagnostics.map((diagnostic) => ({
        // A resource policy's finding is about the resource analyzed: "" for a target, as the oracle expects.
        urn: target ? "" : resource.urn,
        target: resource.urn,
        policy: diagnostic.policyName,
        level: diagnostic.enforcementLevel,
        message: diagnostic.message,
      })),
    ),
  );
  await Promise.all(requests.remediate.map((resource) => call("Remediate", resource, () => pack.remediate(resource))));
  const stack = await pack.analyzeStack(requests.analyzeStack);
  const stackVerdicts = stack.diagnostics.map((diagnostic) => ({
    urn: diagnostic.urn,
    policy: diagnostic.policyName,
    level: diagnostic.enforcementLevel,
    message: diagnostic.message,
  }));
  const analyzeVerdicts = analyzed.flat();
  for (const fuzzCase of cases) {
    const own = analyzeVerdicts.filter((verdict) => verdict.target === fuzzCase.target.urn);
    const failure = checkOracle(fuzzCase, [...own, ...stackVerdicts]);
    if (failure) return shapes ? `${failure} (shapes ${JSON.stringify(shapes)})` : failure;
  }
  if (!isAlive(pack.pid)) return "the pack process died";
  return undefined;
}

/** One case through adapters + evaluateStack; throws on any exception, returns an oracle failure. */
export function runDirectCase(fuzzCase: FuzzCase): string | undefined {
  return checkOracle(fuzzCase, directVerdicts(evaluateDirect(fuzzCase.stack)));
}

/** Every policy that can fix a group at `remediate`, so the fuzzer drives Remediate too. */
export const FUZZ_PACK_CONFIG: Readonly<Record<string, "remediate">> = Object.fromEntries(
  POLICY_RUNNERS.filter((runner) => runner.remediable).map((runner) => [runner.metadata.name, "remediate"]),
);

/** A fast-check reporter that reports a failure by seed, path and the failing case's message only (chunks are long). */
export function conciseReporter<T>(details: fc.RunDetails<T>): void {
  if (!details.failed) return;
  if (details.interrupted && details.counterexample === null) {
    throw new Error(`fuzz run interrupted by its time limit after ${details.numRuns} run(s): not every case ran (seed ${details.seed})`);
  }
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(`fuzz failure (replay with seed ${details.seed}, path "${details.counterexamplePath ?? ""}"): ${error.slice(0, 4000)}`);
}
