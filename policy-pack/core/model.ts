// The provider-neutral model every rule reads. Adapters (AWS classic, AWS Native, the CodeDeploy
// API) map their own shapes onto it; rules never see provider property names.
//
// A field of the model is in one of four states:
//   - absent: `undefined` (the user did not set it; CodeDeploy applies its default)
//   - known: the value itself
//   - unknown: `UNKNOWN`, a value Pulumi computes during the update (preview only)
//   - malformed: a `Malformed` record, a value of the wrong shape; rules report it, never pass it

export const UNKNOWN: unique symbol = Symbol("codedeploy-guardrails.unknown");
export type Unknown = typeof UNKNOWN;

export interface Malformed {
  readonly kind: "malformed";
  /** Path of the offending field in the provider's own property names, e.g. `autoRollbackConfiguration.enabled`. */
  readonly path: string;
  readonly expected: string;
  /** The JSON type that was found (never the value: it may be a secret). */
  readonly found: string;
}

/** A field the adapter could read: known, unknown during preview, or malformed. */
export type Field<T> = T | Unknown | Malformed;

export function isUnknown(value: unknown): value is Unknown {
  return value === UNKNOWN;
}

export function isMalformed(value: unknown): value is Malformed {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown }).kind === "malformed" &&
    typeof (value as { path?: unknown }).path === "string"
  );
}

export type ComputePlatform = "Server" | "Lambda" | "ECS";
export const COMPUTE_PLATFORMS: readonly ComputePlatform[] = ["Server", "Lambda", "ECS"];

export const ROLLBACK_EVENTS = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"] as const;
export type RollbackEvent = (typeof ROLLBACK_EVENTS)[number];

/**
 * Where a resource lives, so a name only matches within one account and region: the provider's
 * URN (explicit or default; `none` without provider information; the account in `audit`) and the
 * region (the resource's own, else its provider's; `UNKNOWN` during preview; absent when none).
 */
export interface ResourceScope {
  readonly provider: string;
  readonly region?: string | Unknown;
}

export const NO_SCOPE: ResourceScope = { provider: "none" };

/** Where a model came from, so findings can name it. */
export interface ResourceRef {
  /** Pulumi URN for pack and check; the ARN for a live resource in `audit`. */
  readonly urn: string;
  /** Logical name for Pulumi resources; `<application>/<group>` or the config name for live ones. */
  readonly name: string;
  /** Provider type token, or `AWS::CodeDeploy::*` for live resources. */
  readonly type: string;
}

export interface AutoRollbackModel {
  readonly enabled?: Field<boolean>;
  readonly events?: Field<readonly Field<string>[]>;
}

export interface AlarmModel {
  readonly enabled?: Field<boolean>;
  /** Alarm names; only their count and presence matter to the rules. */
  readonly alarms?: Field<readonly Field<string>[]>;
  readonly ignorePollAlarmFailure?: Field<boolean>;
  /**
   * How many listed alarm names were looked up in CloudWatch (in the group's account and region)
   * and found not to exist; those names are already left out of `alarms`. Only `audit` sets it.
   */
  readonly absentAlarms?: number;
}

export interface BlueGreenModel {
  readonly terminationAction?: Field<string>;
  readonly terminationWaitMinutes?: Field<number>;
}

/** What every model carries besides its own fields. */
interface ModelBase {
  readonly resource: ResourceRef;
  /** Absent means provider `none`, region none. */
  readonly scope?: ResourceScope;
  /**
   * Set when the resource's props could not be read in this run (AnalyzeStack outputs that are
   * empty while the provider's configuration is unknown, with no Analyze inputs to fall back on):
   * why, in words. Every field of such a model is `UNKNOWN`.
   */
  readonly unreadable?: string;
}

export interface DeploymentGroupModel extends ModelBase {
  readonly kind: "deploymentGroup";
  readonly applicationName?: Field<string>;
  readonly deploymentGroupName?: Field<string>;
  readonly deploymentConfigName?: Field<string>;
  /** Set only where the source states it (the CodeDeploy API, classic outputs). */
  readonly computePlatform?: Field<string>;
  /** True when the group names an ECS service; ECS is then the platform. */
  readonly hasEcsService: Field<boolean>;
  readonly autoRollback?: Field<AutoRollbackModel>;
  readonly alarmConfiguration?: Field<AlarmModel>;
  readonly deploymentType?: Field<string>;
  readonly blueGreen?: Field<BlueGreenModel>;
  readonly outdatedInstancesStrategy?: Field<string>;
  /**
   * Pulumi property dependencies of the fields that name other resources, as URNs; how a group
   * finds its application and config in the stack when their names are unknown during preview.
   */
  readonly applicationDependencies: readonly string[];
  readonly deploymentConfigDependencies: readonly string[];
}

export interface MinimumHealthyHostsModel {
  readonly type?: Field<string>;
  readonly value?: Field<number>;
}

export interface TrafficRoutingModel {
  readonly type?: Field<string>;
}

export interface DeploymentConfigModel extends ModelBase {
  readonly kind: "deploymentConfig";
  readonly name?: Field<string>;
  /** CodeDeploy's default is Server. */
  readonly computePlatform?: Field<string>;
  readonly minimumHealthyHosts?: Field<MinimumHealthyHostsModel>;
  readonly trafficRouting?: Field<TrafficRoutingModel>;
  readonly minimumHealthyHostsPerZone?: Field<MinimumHealthyHostsModel>;
}

export interface ApplicationModel extends ModelBase {
  readonly kind: "application";
  readonly name?: Field<string>;
  readonly computePlatform?: Field<string>;
}

export type CodeDeployModel = DeploymentGroupModel | DeploymentConfigModel | ApplicationModel;
