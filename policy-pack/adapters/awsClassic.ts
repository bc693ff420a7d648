// AWS classic (`@pulumi/aws` 7) CodeDeploy resources onto the model. Nested blocks are objects.
import {
  isMalformed,
  isUnknown,
  type ApplicationModel,
  type BlueGreenModel,
  type DeploymentConfigModel,
  type DeploymentGroupModel,
  type Field,
  type MinimumHealthyHostsModel,
} from "../core/model";
import { asBoolean, asInteger, asList, asObject, asString, readProperty, type Raw } from "./read";
import { dependenciesOf, refOf, type PulumiResource } from "./resource";

export const AWS_CLASSIC_TYPES = {
  deploymentGroup: "aws:codedeploy/deploymentGroup:DeploymentGroup",
  deploymentConfig: "aws:codedeploy/deploymentConfig:DeploymentConfig",
  application: "aws:codedeploy/application:Application",
} as const;

export function minimumHealthyHostsFrom(block: Raw, path: string): MinimumHealthyHostsModel {
  return {
    type: asString(readProperty(block, "type"), `${path}.type`),
    value: asInteger(readProperty(block, "value"), `${path}.value`),
  };
}

/** An ECS service block (even if unknown) makes the group ECS; a value of the wrong shape is malformed, not a platform. */
function ecsServicePresent(props: Raw): Field<boolean> {
  const block = asObject(readProperty(props, "ecsService"), "ecsService", () => true);
  return block === undefined ? false : isUnknown(block) ? true : block;
}

export function classicDeploymentGroup(resource: PulumiResource): DeploymentGroupModel {
  const props = resource.props;
  return {
    kind: "deploymentGroup",
    resource: refOf(resource),
    applicationName: asString(readProperty(props, "appName"), "appName"),
    deploymentGroupName: asString(readProperty(props, "deploymentGroupName"), "deploymentGroupName"),
    deploymentConfigName: asString(readProperty(props, "deploymentConfigName"), "deploymentConfigName"),
    computePlatform: asString(readProperty(props, "computePlatform"), "computePlatform"),
    hasEcsService: ecsServicePresent(props),
    autoRollback: asObject(readProperty(props, "autoRollbackConfiguration"), "autoRollbackConfiguration", (block) => ({
      enabled: asBoolean(readProperty(block, "enabled"), "autoRollbackConfiguration.enabled"),
      events: asList(
        readProperty(block, "events"),
        "autoRollbackConfiguration.events",
        (item, index) =>
          asString(item, `autoRollbackConfiguration.events[${index}]`) ?? {
            kind: "malformed",
            path: `autoRollbackConfiguration.events[${index}]`,
            expected: "string",
            found: "null",
          },
      ),
    })),
    alarmConfiguration: asObject(readProperty(props, "alarmConfiguration"), "alarmConfiguration", (block) => ({
      enabled: asBoolean(readProperty(block, "enabled"), "alarmConfiguration.enabled"),
      ignorePollAlarmFailure: asBoolean(readProperty(block, "ignorePollAlarmFailure"), "alarmConfiguration.ignorePollAlarmFailure"),
      alarms: asList(
        readProperty(block, "alarms"),
        "alarmConfiguration.alarms",
        (item, index) =>
          asString(item, `alarmConfiguration.alarms[${index}]`) ?? {
            kind: "malformed",
            path: `alarmConfiguration.alarms[${index}]`,
            expected: "string",
            found: "null",
          },
      ),
    })),
    deploymentType: asObjectField(props, "deploymentStyle", "deploymentType"),
    blueGreen: asObject(readProperty(props, "blueGreenDeploymentConfig"), "blueGreenDeploymentConfig", (block): BlueGreenModel => {
      const path = "blueGreenDeploymentConfig.terminateBlueInstancesOnDeploymentSuccess";
      const terminate = readProperty(block, "terminateBlueInstancesOnDeploymentSuccess");
      const option = asObject(terminate, path, (inner): BlueGreenModel => ({
        terminationAction: asString(readProperty(inner, "action"), `${path}.action`),
        terminationWaitMinutes: asInteger(readProperty(inner, "terminationWaitTimeInMinutes"), `${path}.terminationWaitTimeInMinutes`),
      }));
      // An unknown or malformed option block makes its action so; the rule reads the action first.
      return option === undefined || isUnknown(option) || isMalformed(option) ? { terminationAction: option } : option;
    }),
    outdatedInstancesStrategy: asString(readProperty(props, "outdatedInstancesStrategy"), "outdatedInstancesStrategy"),
    applicationDependencies: dependenciesOf(resource, "appName"),
    deploymentConfigDependencies: dependenciesOf(resource, "deploymentConfigName"),
  };
}

/** Reads `props[block][field]` as a string, keeping unknown and malformed states of either level. */
export function asObjectField(props: Raw, block: string, field: string): Field<string> | undefined {
  const outer = asObject(readProperty(props, block), block, (inner) => asString(readProperty(inner, field), `${block}.${field}`));
  return outer;
}

export function classicDeploymentConfig(resource: PulumiResource): DeploymentConfigModel {
  const props = resource.props;
  return {
    kind: "deploymentConfig",
    resource: refOf(resource),
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

export function zonalMinimum(props: Raw): Field<MinimumHealthyHostsModel> | undefined {
  const zonal = asObject(readProperty(props, "zonalConfig"), "zonalConfig", (block) =>
    asObject(readProperty(block, "minimumHealthyHostsPerZone"), "zonalConfig.minimumHealthyHostsPerZone", (inner) =>
      minimumHealthyHostsFrom(inner, "zonalConfig.minimumHealthyHostsPerZone"),
    ),
  );
  return zonal;
}

export function classicApplication(resource: PulumiResource): ApplicationModel {
  return {
    kind: "application",
    resource: refOf(resource),
    name: asString(readProperty(resource.props, "name"), "name"),
    computePlatform: asString(readProperty(resource.props, "computePlatform"), "computePlatform"),
  };
}
