// AWS Native (`aws-native:codedeploy:*`, the CloudFormation schema) onto the model. The CodeDeploy
// API answers in the same shapes, so the API adapter reuses these readers.
import {
  isMalformed,
  isUnknown,
  type ApplicationModel,
  type BlueGreenModel,
  type DeploymentConfigModel,
  type DeploymentGroupModel,
  type Field,
} from "../core/model";
import { minimumHealthyHostsFrom, asObjectField, zonalMinimum } from "./awsClassic";
import { asBoolean, asInteger, asList, asObject, asString, jsonTypeOf, readProperty, type Raw } from "./read";
import { dependenciesOf, refOf, type PulumiResource } from "./resource";

export const AWS_NATIVE_TYPES = {
  deploymentGroup: "aws-native:codedeploy:DeploymentGroup",
  deploymentConfig: "aws-native:codedeploy:DeploymentConfig",
  application: "aws-native:codedeploy:Application",
} as const;

function nullItem(path: string) {
  return { kind: "malformed" as const, path, expected: "string", found: "null" };
}

/** ECS services named (even if unknown) make the group ECS; a value of the wrong shape is malformed, not a platform. */
function hasEcsServices(props: Raw): Field<boolean> {
  const services = readProperty(props, "ecsServices");
  if (isUnknown(services)) return true;
  if (services === undefined || services === null) return false;
  if (!Array.isArray(services)) return { kind: "malformed", path: "ecsServices", expected: "array", found: jsonTypeOf(services) };
  return services.length > 0;
}

/** The group fields the CloudFormation schema and the CodeDeploy API share. */
export type SharedGroupFields = Omit<
  DeploymentGroupModel,
  "kind" | "resource" | "applicationDependencies" | "deploymentConfigDependencies"
>;

export function groupFieldsFromCloudFormationShape(props: Raw): SharedGroupFields {
  return {
    applicationName: asString(readProperty(props, "applicationName"), "applicationName"),
    deploymentGroupName: asString(readProperty(props, "deploymentGroupName"), "deploymentGroupName"),
    deploymentConfigName: asString(readProperty(props, "deploymentConfigName"), "deploymentConfigName"),
    hasEcsService: hasEcsServices(props),
    autoRollback: asObject(readProperty(props, "autoRollbackConfiguration"), "autoRollbackConfiguration", (block) => ({
      enabled: asBoolean(readProperty(block, "enabled"), "autoRollbackConfiguration.enabled"),
      events: asList(
        readProperty(block, "events"),
        "autoRollbackConfiguration.events",
        (item, index) =>
          asString(item, `autoRollbackConfiguration.events[${index}]`) ?? nullItem(`autoRollbackConfiguration.events[${index}]`),
      ),
    })),
    alarmConfiguration: asObject(readProperty(props, "alarmConfiguration"), "alarmConfiguration", (block) => ({
      enabled: asBoolean(readProperty(block, "enabled"), "alarmConfiguration.enabled"),
      ignorePollAlarmFailure: asBoolean(readProperty(block, "ignorePollAlarmFailure"), "alarmConfiguration.ignorePollAlarmFailure"),
      alarms: asList(readProperty(block, "alarms"), "alarmConfiguration.alarms", (item, index) => {
        const path = `alarmConfiguration.alarms[${index}]`;
        const alarm = asObject(item, path, (entry) => asString(readProperty(entry, "name"), `${path}.name`) ?? nullItem(`${path}.name`));
        return alarm ?? nullItem(path);
      }),
    })),
    deploymentType: asObjectField(props, "deploymentStyle", "deploymentType"),
    blueGreen: asObject(
      readProperty(props, "blueGreenDeploymentConfiguration"),
      "blueGreenDeploymentConfiguration",
      (block): BlueGreenModel => {
        const path = "blueGreenDeploymentConfiguration.terminateBlueInstancesOnDeploymentSuccess";
        const option = asObject(readProperty(block, "terminateBlueInstancesOnDeploymentSuccess"), path, (inner): BlueGreenModel => ({
          terminationAction: asString(readProperty(inner, "action"), `${path}.action`),
          terminationWaitMinutes: asInteger(readProperty(inner, "terminationWaitTimeInMinutes"), `${path}.terminationWaitTimeInMinutes`),
        }));
        return option === undefined || isUnknown(option) || isMalformed(option) ? { terminationAction: option } : option;
      },
    ),
    outdatedInstancesStrategy: asString(readProperty(props, "outdatedInstancesStrategy"), "outdatedInstancesStrategy"),
  };
}

export function configFieldsFromCloudFormationShape(props: Raw): Omit<DeploymentConfigModel, "kind" | "resource"> {
  return {
    name: asString(readProperty(props, "deploymentConfigName"), "deploymentConfigName"),
    computePlatform: asString(readProperty(props, "computePlatform"), "computePlatform"),
    minimumHealthyHosts: asObject(readProperty(props, "minimumHealthyHosts"), "minimumHealthyHosts", (block) =>
      minimumHealthyHostsFrom(block, "minimumHealthyHosts"),
    ),
    trafficRouting: asObject(readProperty(props, "trafficRoutingConfig"), "trafficRoutingConfig", (block) => ({
      type: asString(readProperty(block, "type"), "trafficRoutingConfig.type"),
    })),
    minimumHealthyHostsPerZone: zonalMinimum(props),
  };
}

export function nativeDeploymentGroup(resource: PulumiResource): DeploymentGroupModel {
  return {
    kind: "deploymentGroup",
    resource: refOf(resource),
    ...groupFieldsFromCloudFormationShape(resource.props),
    applicationDependencies: dependenciesOf(resource, "applicationName"),
    deploymentConfigDependencies: dependenciesOf(resource, "deploymentConfigName"),
  };
}

export function nativeDeploymentConfig(resource: PulumiResource): DeploymentConfigModel {
  return { kind: "deploymentConfig", resource: refOf(resource), ...configFieldsFromCloudFormationShape(resource.props) };
}

export function nativeApplication(resource: PulumiResource): ApplicationModel {
  return {
    kind: "application",
    resource: refOf(resource),
    name: asString(readProperty(resource.props, "applicationName"), "applicationName"),
    computePlatform: asString(readProperty(resource.props, "computePlatform"), "computePlatform"),
  };
}
