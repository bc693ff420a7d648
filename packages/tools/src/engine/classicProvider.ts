// What the AWS classic provider (`@pulumi/aws`, the Terraform bridge over terraform-provider-aws)
// does to CodeDeploy resources, in one place: the schema of the fields that matter (their types, the
// defaults its Check fills in, the fields it computes), and the two transformations built on it:
//
//   - checked inputs: the program's inputs after the provider's Check, as Analyze receives them;
//   - planned or applied outputs: what AnalyzeStack receives for the resource in a preview (computed
//     fields unknown) or after an update (computed fields known).
//
// Sources (see ../../../shared/engine-facts.md): terraform-provider-aws `internal/service/deploy/`
// (`app.go`, `deployment_config.go`, `deployment_group.go`) for defaults, types and computed fields;
// pulumi-terraform-bridge `pkg/tfbridge/provider.go` (`Check`) and `schema.go` (`applyDefaults`)
// for how they reach the engine. Values here are plain wire JSON without secrets: `realEngine.ts`
// strips secrets before and marks them again after, as the engine does around the provider.
import { createHash } from "node:crypto";
import { isUnknownSentinel, TYPED_UNKNOWN_SENTINELS, type UnknownKind, type WireProperties, type WireValue } from "./types";

export const CLASSIC_TYPES = {
  group: "aws:codedeploy/deploymentGroup:DeploymentGroup",
  config: "aws:codedeploy/deploymentConfig:DeploymentConfig",
  application: "aws:codedeploy/application:Application",
} as const;

/** The bridge's key for the names of the defaults it filled into an object (kept in nested objects). */
export const DEFAULTS_KEY = "__defaults";

/** The account every synthesized ARN names. */
export const ENGINE_ACCOUNT_ID = "123456789012";

type FieldKind = Exclude<UnknownKind, "asset" | "archive">;

export interface FieldSchema {
  readonly kind: FieldKind;
  /** Nested fields of a block (a Terraform block; MaxItems 1 blocks arrive as objects). Absent for maps such as `tags`. */
  readonly fields?: Readonly<Record<string, FieldSchema>>;
  /** Element schema of an array. */
  readonly items?: FieldSchema;
  /** The default Check fills in when the field is absent. Only non-zero defaults: since bridge v3.127 false, 0 and "" are not filled. */
  readonly default?: WireValue;
  /**
   * Set by the provider: `only` never comes from the program; `optional` may (Terraform's Optional +
   * Computed). Either is unknown in a preview's planned state when the program left it out.
   */
  readonly computed?: "only" | "optional";
  /** A Terraform set: duplicates collapse in the state. */
  readonly set?: boolean;
}

const str: FieldSchema = { kind: "string" };
const num: FieldSchema = { kind: "number" };
const bool: FieldSchema = { kind: "bool" };
const map: FieldSchema = { kind: "object" };
const computedString: FieldSchema = { kind: "string", computed: "only" };
const stringSet: FieldSchema = { kind: "array", items: str, set: true };
const block = (fields: Record<string, FieldSchema>, extra: Partial<FieldSchema> = {}): FieldSchema => ({
  kind: "object",
  fields,
  ...extra,
});
const blockList = (fields: Record<string, FieldSchema>, set = false): FieldSchema => ({ kind: "array", items: block(fields), set });

const tagFilter = { key: str, type: str, value: str };
const trafficRoute = block({ listenerArns: stringSet });
const timeBased = block({ interval: num, percentage: num });
const minimumHealthyHosts = block({ type: str, value: num });

/** The classic provider's schema of each CodeDeploy resource: the table every fact below is read from. */
export const CLASSIC_SCHEMAS: Readonly<Record<string, Readonly<Record<string, FieldSchema>>>> = {
  [CLASSIC_TYPES.group]: {
    appName: str,
    deploymentGroupName: str,
    serviceRoleArn: str,
    deploymentConfigName: { kind: "string", default: "CodeDeployDefault.OneAtATime" },
    outdatedInstancesStrategy: { kind: "string", default: "UPDATE" },
    alarmConfiguration: block({ alarms: stringSet, enabled: bool, ignorePollAlarmFailure: bool }),
    autoRollbackConfiguration: block({ enabled: bool, events: stringSet }),
    autoscalingGroups: stringSet,
    // Optional and computed: a preview plans it unknown when the program leaves it out.
    blueGreenDeploymentConfig: block(
      {
        deploymentReadyOption: block({ actionOnTimeout: str, waitTimeInMinutes: num }),
        greenFleetProvisioningOption: block({ action: str }),
        terminateBlueInstancesOnDeploymentSuccess: block({ action: str, terminationWaitTimeInMinutes: num }),
      },
      { computed: "optional" },
    ),
    deploymentStyle: block({
      deploymentOption: { kind: "string", default: "WITHOUT_TRAFFIC_CONTROL" },
      deploymentType: { kind: "string", default: "IN_PLACE" },
    }),
    ec2TagFilters: blockList(tagFilter, true),
    ec2TagSets: blockList({ ec2TagFilters: blockList(tagFilter, true) }, true),
    ecsService: block({ clusterName: str, serviceName: str }),
    loadBalancerInfo: block({
      elbInfos: blockList({ name: str }, true),
      targetGroupInfos: blockList({ name: str }, true),
      targetGroupPairInfo: block({
        prodTrafficRoute: trafficRoute,
        targetGroups: blockList({ name: str }),
        testTrafficRoute: trafficRoute,
      }),
    }),
    onPremisesInstanceTagFilters: blockList(tagFilter, true),
    triggerConfigurations: blockList({ triggerEvents: stringSet, triggerName: str, triggerTargetArn: str }, true),
    terminationHookEnabled: bool,
    tags: map,
    region: str,
    arn: computedString,
    computePlatform: computedString,
    deploymentGroupId: computedString,
    id: computedString,
    tagsAll: { kind: "object", computed: "only" },
  },
  [CLASSIC_TYPES.config]: {
    deploymentConfigName: str,
    computePlatform: { kind: "string", default: "Server" },
    minimumHealthyHosts,
    trafficRoutingConfig: block({
      type: { kind: "string", default: "AllAtOnce" },
      timeBasedCanary: timeBased,
      timeBasedLinear: timeBased,
    }),
    zonalConfig: block({
      firstZoneMonitorDurationInSeconds: num,
      minimumHealthyHostsPerZone: minimumHealthyHosts,
      monitorDurationInSeconds: num,
    }),
    region: str,
    arn: computedString,
    deploymentConfigId: computedString,
    id: computedString,
  },
  [CLASSIC_TYPES.application]: {
    name: str,
    computePlatform: { kind: "string", default: "Server" },
    tags: map,
    region: str,
    arn: computedString,
    applicationId: computedString,
    githubAccountName: computedString,
    linkedToGithub: { kind: "bool", computed: "only" },
    id: computedString,
    tagsAll: { kind: "object", computed: "only" },
  },
};

/** The classic provider's schema of `type`, when it is a CodeDeploy type this module models. */
export function classicSchema(type: string): Readonly<Record<string, FieldSchema>> | undefined {
  return Object.hasOwn(CLASSIC_SCHEMAS, type) ? CLASSIC_SCHEMAS[type] : undefined;
}

/** The Check defaults of the classic CodeDeploy resources, as `{ type: { "dotted.path": value } }` (read from CLASSIC_SCHEMAS). */
export function classicCheckDefaults(): Record<string, Record<string, WireValue>> {
  const result: Record<string, Record<string, WireValue>> = {};
  const walk = (fields: Readonly<Record<string, FieldSchema>>, prefix: string, into: Record<string, WireValue>) => {
    for (const [name, field] of Object.entries(fields)) {
      if (field.default !== undefined) into[`${prefix}${name}`] = field.default;
      if (field.fields) walk(field.fields, `${prefix}${name}.`, into);
    }
  };
  for (const [type, fields] of Object.entries(CLASSIC_SCHEMAS)) walk(fields, "", (result[type] = {}));
  return result;
}

function isPlainObject(value: WireValue | undefined): value is { [key: string]: WireValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The sentinel of a field's type, for a value the program left unknown. */
export function typedUnknown(kind: FieldKind): string {
  return TYPED_UNKNOWN_SENTINELS[kind];
}

/**
 * One value through Check: an unknown becomes its type's sentinel, an absent (or null) field with a
 * default gets it, and a present block is walked. Nested blocks carry `__defaults`, the names of
 * the defaults filled into them (the engine strips only the top-level one).
 */
function checkValue(value: WireValue | undefined, schema: FieldSchema): WireValue | undefined {
  if (value === undefined || value === null) return schema.default ?? value;
  if (isUnknownSentinel(value)) return typedUnknown(schema.kind);
  if (schema.fields && isPlainObject(value)) {
    const { object, defaulted } = checkFields(value, schema.fields);
    return { ...object, [DEFAULTS_KEY]: defaulted };
  }
  if (schema.items && Array.isArray(value)) return value.map((item) => checkValue(item, schema.items!) ?? null);
  return value;
}

function checkFields(
  value: { readonly [key: string]: WireValue },
  fields: Readonly<Record<string, FieldSchema>>,
): { object: { [key: string]: WireValue }; defaulted: string[] } {
  const object: { [key: string]: WireValue } = { ...value };
  const defaulted: string[] = [];
  for (const [name, field] of Object.entries(fields)) {
    if (field.computed === "only") continue;
    const checked = checkValue(value[name], field);
    if (checked === undefined) continue;
    if ((value[name] === undefined || value[name] === null) && field.default !== undefined) defaulted.push(name);
    object[name] = checked;
  }
  return { object, defaulted: defaulted.sort() };
}

/**
 * A classic CodeDeploy resource's inputs after the provider's Check (no secrets in `inputs`):
 * defaults filled in, unknowns typed, nested `__defaults` lists. Any other type comes back as given.
 */
export function checkClassicInputs(type: string, inputs: WireProperties): WireProperties {
  const fields = classicSchema(type);
  if (!fields) return inputs;
  // The top-level `__defaults` is stripped before Analyze, so it is never added here.
  return checkFields(inputs, fields).object;
}

// ---- outputs -------------------------------------------------------------------------------------

function withoutDefaultsKeys(value: WireValue): WireValue {
  if (Array.isArray(value)) return value.map(withoutDefaultsKeys);
  if (!isPlainObject(value)) return value;
  // fromEntries defines each key, so a key named `__proto__` stays a key.
  return Object.fromEntries(
    Object.entries(value).flatMap(([key, item]) => (key === DEFAULTS_KEY ? [] : [[key, withoutDefaultsKeys(item)]])),
  );
}

/** A Terraform set in the state: duplicate known elements collapse (the first one stays). */
function collapseSets(value: WireValue, schema: FieldSchema): WireValue {
  if (Array.isArray(value) && schema.items) {
    const items = value.map((item) => collapseSets(item, schema.items!));
    if (!schema.set) return items;
    const seen = new Set<string>();
    return items.filter((item) => {
      if (isUnknownSentinel(item)) return true;
      const key = JSON.stringify(item);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  if (isPlainObject(value) && schema.fields) {
    const result: { [key: string]: WireValue } = { ...value };
    for (const [name, field] of Object.entries(schema.fields)) {
      const item = value[name];
      if (item !== undefined) result[name] = collapseSets(item, field);
    }
    return result;
  }
  return value;
}

function digest(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

function uuidFrom(seed: string): string {
  const hex = digest(seed, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function knownString(value: WireValue | undefined): string | undefined {
  return typeof value === "string" && !isUnknownSentinel(value) ? value : undefined;
}

export interface OutputContext {
  readonly urn: string;
  readonly mode: "preview" | "update";
  /** The region the resource lives in (its own `region`, else its provider's), when known. */
  readonly region: string | undefined;
  /** Update: the compute platform AWS reports for a group (its application's), when known. */
  readonly groupPlatform?: string;
}

/** Computed fields of a classic CodeDeploy resource after an update: what AWS returns. */
function appliedComputed(type: string, checked: WireProperties, context: OutputContext): WireProperties {
  const region = context.region ?? "us-east-1";
  const arn = (resource: string) => `arn:aws:codedeploy:${region}:${ENGINE_ACCOUNT_ID}:${resource}`;
  switch (type) {
    case CLASSIC_TYPES.group: {
      const id = uuidFrom(context.urn);
      const computed: WireProperties = {
        arn: arn(`deploymentgroup:${knownString(checked["appName"]) ?? "app"}/${knownString(checked["deploymentGroupName"]) ?? "group"}`),
        deploymentGroupId: id,
        id,
      };
      // Only a platform this world knows; an application outside the stack is not invented.
      if (context.groupPlatform !== undefined) computed["computePlatform"] = context.groupPlatform;
      return computed;
    }
    case CLASSIC_TYPES.config: {
      const name = knownString(checked["deploymentConfigName"]) ?? "config";
      return { arn: arn(`deploymentconfig:${name}`), deploymentConfigId: uuidFrom(context.urn), id: name };
    }
    case CLASSIC_TYPES.application: {
      const name = knownString(checked["name"]) ?? "application";
      const applicationId = uuidFrom(context.urn);
      return {
        arn: arn(`application:${name}`),
        applicationId,
        githubAccountName: "",
        linkedToGithub: false,
        id: `${applicationId}:${name}`,
      };
    }
    default:
      return {};
  }
}

/**
 * AnalyzeStack's properties of a classic CodeDeploy resource (no secrets in `checked`, which holds
 * its checked inputs): the planned state in a preview, every computed field unknown (typed); the
 * state read back after an update, computed fields known. Sets collapse, `__defaults` is gone, and
 * `region` (optional and computed in @pulumi/aws 7) is the provider's when the program gave none.
 */
export function classicOutputs(type: string, checked: WireProperties, context: OutputContext): WireProperties {
  const fields = classicSchema(type);
  if (!fields) return checked;
  const plain = withoutDefaultsKeys(checked) as WireProperties;
  const outputs: WireProperties = Object.fromEntries(
    Object.entries(plain).map(([key, value]) => [key, Object.hasOwn(fields, key) ? collapseSets(value, fields[key]!) : value]),
  );
  if (outputs["region"] === undefined && context.region !== undefined) outputs["region"] = context.region;
  // The plan already knows tagsAll (the provider's CustomizeDiff merges tags with default tags).
  if (fields["tagsAll"] && outputs["tagsAll"] === undefined && !isUnknownSentinel(plain["tags"])) {
    outputs["tagsAll"] = isPlainObject(plain["tags"]) ? plain["tags"] : {};
  }
  const applied = context.mode === "update" ? appliedComputed(type, plain, context) : {};
  for (const [name, field] of Object.entries(fields)) {
    if (!field.computed || outputs[name] !== undefined) continue;
    if (context.mode === "preview") outputs[name] = typedUnknown(field.kind);
    else if (applied[name] !== undefined) outputs[name] = applied[name];
  }
  return outputs;
}

/** `id` and `arn` of any other classic resource: unknown in a preview, synthesized after an update. */
export function genericClassicOutputs(type: string, checked: WireProperties, context: OutputContext): WireProperties {
  const outputs: WireProperties = { ...checked };
  const [, module = "aws", kind = "resource"] = type.split(/[:/]/);
  const name = knownString(checked["name"]) ?? digest(context.urn, 12);
  const known: WireProperties = {
    id: `${kind.toLowerCase()}-${digest(context.urn, 17)}`,
    arn: `arn:aws:${module.toLowerCase()}:${context.region ?? "us-east-1"}:${ENGINE_ACCOUNT_ID}:${kind.toLowerCase()}/${name}`,
  };
  for (const [key, value] of Object.entries(known)) {
    if (outputs[key] === undefined) outputs[key] = context.mode === "preview" ? typedUnknown("string") : value;
  }
  return outputs;
}
