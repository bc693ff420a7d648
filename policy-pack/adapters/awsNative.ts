// AWS Native (`aws-native:codedeploy:*`, the CloudFormation schema) onto the model. The CodeDeploy
// API answers in the same shapes, so the API adapter reuses these readers.
import { isUnknown, type ApplicationModel, type DeploymentConfigModel, type DeploymentGroupModel, type Field } from "../core/model";
import {
  alarmConfigurationFrom,
  asObjectField,
  autoRollbackFrom,
  blueGreenFrom,
  deploymentConfigFields,
  nullItem,
  stringItem,
} from "./blocks";
import { asObject, asString, jsonTypeOf, readProperty, type Raw } from "./read";
import { dependenciesOf, refOf, scopeOf, type PulumiResource } from "./resource";

export const AWS_NATIVE_TYPES = {
  deploymentGroup: "aws-native:codedeploy:DeploymentGroup",
  deploymentConfig: "aws-native:codedeploy:DeploymentConfig",
  application: "aws-native:codedeploy:Application",
} as const;

/** ECS services named (even if unknown) make the group ECS; a value of the wrong shape is malformed, not a platform. */
function hasEcsServices(props: Raw): Field<boolean> {
  const services = readProperty(props, "ecsServices");
  if (isUnknown(services)) return true;
  if (services === undefined || services === null) return false;
  if (!Array.isArray(services)) return { kind: "malformed", path: "ecsServices", expected: "array", found: jsonTypeOf(services) };
  return services.length > 0;
}

/** An alarm is `{ name }` in the CloudFormation schema and the API. */
function namedAlarm(item: Raw, path: string): Field<string> {
  return asObject(item, path, (entry) => stringItem(readProperty(entry, "name"), `${path}.name`)) ?? nullItem(path);
}

/** The group fields the CloudFormation schema and the CodeDeploy API share. */
export type SharedGroupFields = Omit<
  DeploymentGroupModel,
  "kind" | "resource" | "scope" | "unreadable" | "applicationDependencies" | "deploymentConfigDependencies"
>;

export function groupFieldsFromCloudFormationShape(props: Raw): SharedGroupFields {
  return {
    applicationName: asString(readProperty(props, "applicationName"), "applicationName"),
    deploymentGroupName: asString(readProperty(props, "deploymentGroupName"), "deploymentGroupName"),
    deploymentConfigName: asString(readProperty(props, "deploymentConfigName"), "deploymentConfigName"),
    hasEcsService: hasEcsServices(props),
    autoRollback: autoRollbackFrom(props),
    alarmConfiguration: alarmConfigurationFrom(props, namedAlarm),
    deploymentType: asObjectField(props, "deploymentStyle", "deploymentType"),
    blueGreen: blueGreenFrom(props, "blueGreenDeploymentConfiguration"),
    outdatedInstancesStrategy: asString(readProperty(props, "outdatedInstancesStrategy"), "outdatedInstancesStrategy"),
  };
}

export function nativeDeploymentGroup(resource: PulumiResource): DeploymentGroupModel {
  return {
    kind: "deploymentGroup",
    resource: refOf(resource),
    scope: scopeOf(resource),
    ...groupFieldsFromCloudFormationShape(resource.props),
    applicationDependencies: dependenciesOf(resource, "applicationName"),
    deploymentConfigDependencies: dependenciesOf(resource, "deploymentConfigName"),
  };
}

export function nativeDeploymentConfig(resource: PulumiResource): DeploymentConfigModel {
  return { kind: "deploymentConfig", resource: refOf(resource), scope: scopeOf(resource), ...deploymentConfigFields(resource.props) };
}

export function nativeApplication(resource: PulumiResource): ApplicationModel {
  return {
    kind: "application",
    resource: refOf(resource),
    scope: scopeOf(resource),
    name: asString(readProperty(resource.props, "applicationName"), "applicationName"),
    computePlatform: asString(readProperty(resource.props, "computePlatform"), "computePlatform"),
  };
}
