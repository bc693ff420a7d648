// The CodeDeploy API's own answers (GetApplication/BatchGetApplications `applicationInfo`,
// GetDeploymentGroup/BatchGetDeploymentGroups `deploymentGroupInfo`, GetDeploymentConfig
// `deploymentConfigInfo`) onto the model, for `audit`. The API uses the CloudFormation shapes, so
// the AWS Native readers do the work; a live resource is named by its ARN. Pure: no I/O, no SDK.
import type { ApplicationModel, DeploymentConfigModel, DeploymentGroupModel, ResourceScope } from "../core/model";
import { groupFieldsFromCloudFormationShape } from "./awsNative";
import { deploymentConfigFields } from "./blocks";
import { asString, readProperty, type Raw } from "./read";

export const CODEDEPLOY_API_TYPES = {
  deploymentGroup: "AWS::CodeDeploy::DeploymentGroup",
  deploymentConfig: "AWS::CodeDeploy::DeploymentConfig",
  application: "AWS::CodeDeploy::Application",
} as const;

/** Where the live resources are: ARNs are built from it. */
export interface ApiLocation {
  readonly region: string;
  /** 12-digit account id; empty when it could not be learnt (the ARN then has an empty account field). */
  readonly accountId: string;
  /** Defaults to the region's partition (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition?: string;
  /**
   * Where a name matches (docs/resolution.md): by default the account and region the resources
   * were read in, so resources read from two accounts or regions never resolve to each other.
   */
  readonly scope?: ResourceScope;
}

/** The scope of resources read in `location`: the account stands where a Pulumi provider would. */
export function scopeOfLocation(location: ApiLocation): ResourceScope {
  return location.scope ?? { provider: `account:${location.accountId}`, region: location.region };
}

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The account id in an ARN such as a group's `serviceRoleArn`, if it has one. */
export function accountIdFromArn(arn: unknown): string | undefined {
  if (typeof arn !== "string") return undefined;
  const match = /^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(arn);
  return match?.[1];
}

function arn(location: ApiLocation, resource: string): string {
  const partition = location.partition ?? partitionOf(location.region);
  return `arn:${partition}:codedeploy:${location.region}:${location.accountId}:${resource}`;
}

export function applicationArn(location: ApiLocation, application: string): string {
  return arn(location, `application:${application}`);
}

export function deploymentGroupArn(location: ApiLocation, application: string, group: string): string {
  return arn(location, `deploymentgroup:${application}/${group}`);
}

export function deploymentConfigArn(location: ApiLocation, name: string): string {
  return arn(location, `deploymentconfig:${name}`);
}

function text(info: Raw, key: string): string {
  const value = readProperty(info, key);
  return typeof value === "string" ? value : "";
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

/**
 * The API (and emulators) answer an unset settings block with `{}` rather than leaving it out.
 * An empty block means exactly what an absent one means (nothing enabled, nothing listed, nothing
 * set), for every rule; reading it as absent gives the clearer message ("has no
 * alarmConfiguration" rather than "enabled is not set; watches 0 alarms").
 */
const SETTINGS_BLOCKS = ["autoRollbackConfiguration", "alarmConfiguration", "deploymentStyle", "blueGreenDeploymentConfiguration"] as const;

function withoutEmptyBlocks(info: Raw): Raw {
  if (typeof info !== "object" || info === null || Array.isArray(info)) return info;
  const copy: Record<string, unknown> = { ...(info as Record<string, unknown>) };
  for (const block of SETTINGS_BLOCKS) if (isEmptyObject(copy[block])) delete copy[block];
  return copy;
}

/** A `deploymentGroupInfo`. The API states the group's `computePlatform`. */
export function apiDeploymentGroup(info: Raw, location: ApiLocation): DeploymentGroupModel {
  const application = text(info, "applicationName");
  const group = text(info, "deploymentGroupName");
  return {
    kind: "deploymentGroup",
    resource: {
      urn: deploymentGroupArn(location, application, group),
      name: `${application}/${group}`,
      type: CODEDEPLOY_API_TYPES.deploymentGroup,
    },
    scope: scopeOfLocation(location),
    ...groupFieldsFromCloudFormationShape(withoutEmptyBlocks(info)),
    computePlatform: asString(readProperty(info, "computePlatform"), "computePlatform"),
    applicationDependencies: [],
    deploymentConfigDependencies: [],
  };
}

/** A `deploymentConfigInfo`. The API states `computePlatform`; an absent one is Server. */
export function apiDeploymentConfig(info: Raw, location: ApiLocation): DeploymentConfigModel {
  const name = text(info, "deploymentConfigName");
  return {
    kind: "deploymentConfig",
    resource: { urn: deploymentConfigArn(location, name), name, type: CODEDEPLOY_API_TYPES.deploymentConfig },
    scope: scopeOfLocation(location),
    ...deploymentConfigFields(info),
  };
}

/** An `applicationInfo`. */
export function apiApplication(info: Raw, location: ApiLocation): ApplicationModel {
  const name = text(info, "applicationName");
  return {
    kind: "application",
    resource: { urn: applicationArn(location, name), name, type: CODEDEPLOY_API_TYPES.application },
    scope: scopeOfLocation(location),
    name: asString(readProperty(info, "applicationName"), "applicationName"),
    computePlatform: asString(readProperty(info, "computePlatform"), "computePlatform"),
  };
}
