// One entry point from any Pulumi resource to the model: a new provider is a new adapter here.
import type { CodeDeployModel, DeploymentGroupModel } from "../core/model";
import type { GroupPatch } from "../core/patch";
import { AWS_CLASSIC_TYPES, classicApplication, classicDeploymentConfig, classicDeploymentGroup } from "./awsClassic";
import { AWS_NATIVE_TYPES, nativeApplication, nativeDeploymentConfig, nativeDeploymentGroup } from "./awsNative";
import { readProperty, UNKNOWN_STRING_SENTINEL, type Raw } from "./read";
import type { PulumiResource } from "./resource";

const ADAPTERS: Readonly<Record<string, (resource: PulumiResource) => CodeDeployModel>> = {
  [AWS_CLASSIC_TYPES.deploymentGroup]: classicDeploymentGroup,
  [AWS_CLASSIC_TYPES.deploymentConfig]: classicDeploymentConfig,
  [AWS_CLASSIC_TYPES.application]: classicApplication,
  [AWS_NATIVE_TYPES.deploymentGroup]: nativeDeploymentGroup,
  [AWS_NATIVE_TYPES.deploymentConfig]: nativeDeploymentConfig,
  [AWS_NATIVE_TYPES.application]: nativeApplication,
};

export const DEPLOYMENT_GROUP_TYPES: readonly string[] = [AWS_CLASSIC_TYPES.deploymentGroup, AWS_NATIVE_TYPES.deploymentGroup];
export const HANDLED_TYPES: readonly string[] = Object.keys(ADAPTERS);

export function isHandledType(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(ADAPTERS, type);
}

/** The model of a CodeDeploy resource, or undefined for any other type. */
export function toModel(resource: PulumiResource): CodeDeployModel | undefined {
  const adapter = isHandledType(resource.type) ? ADAPTERS[resource.type] : undefined;
  return adapter?.(resource);
}

/**
 * The field that identifies each kind of resource and that its provider requires: AnalyzeStack
 * outputs without it are not the resource's real properties.
 */
const IDENTITY_FIELDS: Readonly<Record<string, string>> = {
  [AWS_CLASSIC_TYPES.deploymentGroup]: "appName",
  [AWS_CLASSIC_TYPES.deploymentConfig]: "deploymentConfigName",
  [AWS_CLASSIC_TYPES.application]: "name",
  [AWS_NATIVE_TYPES.deploymentGroup]: "applicationName",
};

/**
 * Why a handled resource's props cannot be what the engine would check (docs/resolution.md): empty
 * (only keys starting with `__`), or without the field that identifies it. Undefined when they are.
 */
export function unreadableReason(type: string, props: Raw): string | undefined {
  let empty = true;
  if (typeof props === "object" && props !== null) {
    for (const key in props) {
      if (!key.startsWith("__")) {
        empty = false;
        break;
      }
    }
  }
  if (empty) return "the engine sent no properties for it (outputs are empty while its provider's configuration is unknown during preview)";
  const field = IDENTITY_FIELDS[type];
  if (field === undefined) return undefined;
  const value = readProperty(props, field);
  return value === undefined || value === null ? `the engine sent its properties without ${field}` : undefined;
}

/** Props in which every field is unknown: what an unreadable resource is modelled from. */
const ALL_UNKNOWN: Record<string, unknown> = new Proxy({}, { get: () => UNKNOWN_STRING_SENTINEL });

/** The model of a resource whose props could not be read: every field unknown, and why. */
export function unreadableModel(resource: PulumiResource, reason: string): CodeDeployModel | undefined {
  const model = toModel({ ...resource, props: ALL_UNKNOWN });
  return model && { ...model, unreadable: reason };
}

export function toGroupModel(resource: PulumiResource): DeploymentGroupModel | undefined {
  const model = toModel(resource);
  return model?.kind === "deploymentGroup" ? model : undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Writes a patch back into a group's props. AWS classic and AWS Native name these three settings
 * alike (`autoRollbackConfiguration`, `alarmConfiguration`, `outdatedInstancesStrategy`), so one
 * writer serves both. Everything the patch does not touch is kept as it was.
 */
export function applyGroupPatch(props: Record<string, unknown>, patch: GroupPatch): Record<string, unknown> {
  const result: Record<string, unknown> = { ...props };
  if (patch.autoRollback) {
    result["autoRollbackConfiguration"] = {
      ...asRecord(props["autoRollbackConfiguration"]),
      enabled: true,
      events: [...patch.autoRollback.events],
    };
  }
  if (patch.alarmFlags) {
    result["alarmConfiguration"] = { ...asRecord(props["alarmConfiguration"]), ...patch.alarmFlags };
  }
  if (patch.outdatedInstancesStrategy) result["outdatedInstancesStrategy"] = patch.outdatedInstancesStrategy;
  return result;
}

export type { ProviderRef, PulumiResource } from "./resource";
