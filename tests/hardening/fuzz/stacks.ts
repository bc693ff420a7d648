// Valid CodeDeploy stacks per provider flavour, the fields a mandatory check reads, and how to
// replace one of them: the near-valid half of the fuzzers' cases.
import type fc from "fast-check";
import { SECRET_SIG, SPECIAL_SIG_KEY, UNKNOWN_SENTINEL, type WireProperties, type WireValue } from "../../../packages/tools/src/engine";
import { classicStackInputs, COMPLIANT_CONFIGS, COMPLIANT_GROUPS, nativeStackProps, type StackProps } from "../../support/fixtures";
import { DEFAULT_JSON_OPTIONS, type JsonOptions, wireValueArb } from "./json";

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

export type ValidStack = StackProps;

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

/** The shared compliant fixtures (tests/support/fixtures), each on a custom config where its platform has one. */
function validStackTemplate(flavor: Flavor): ValidStack {
  switch (flavor) {
    case "classicServer":
      return classicStackInputs(COMPLIANT_GROUPS.Server, COMPLIANT_CONFIGS.Server);
    case "classicLambda":
      return classicStackInputs(COMPLIANT_GROUPS.Lambda, COMPLIANT_CONFIGS.Lambda);
    case "nativeServer":
      return nativeStackProps(COMPLIANT_GROUPS.Server, COMPLIANT_CONFIGS.Server);
    case "nativeEcs":
      return nativeStackProps(COMPLIANT_GROUPS.ECS);
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

export function parsePath(path: string): (string | number)[] {
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

export function unwrapSecret(value: WireValue): WireValue {
  let current = value;
  while (isSecretObject(current)) current = current.value ?? null;
  return current;
}

export function isSecretObject(value: WireValue): value is { [key: string]: WireValue } {
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
