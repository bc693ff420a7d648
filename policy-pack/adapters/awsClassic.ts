// AWS classic (`@pulumi/aws` 7) CodeDeploy resources onto the model. Nested blocks are objects.
import { isUnknown, type ApplicationModel, type DeploymentConfigModel, type DeploymentGroupModel, type Field } from "../core/model";
import { alarmConfigurationFrom, asObjectField, autoRollbackFrom, blueGreenFrom, deploymentConfigFields, stringItem } from "./blocks";
import { asObject, asString, readProperty, type Raw } from "./read";
import { dependenciesOf, refOf, scopeOf, type PulumiResource } from "./resource";

export const AWS_CLASSIC_TYPES = {
  deploymentGroup: "aws:codedeploy/deploymentGroup:DeploymentGroup",
  deploymentConfig: "aws:codedeploy/deploymentConfig:DeploymentConfig",
  application: "aws:codedeploy/application:Application",
} as const;

/** An ECS service block (even if unknown) makes the group ECS; a value of the wrong shape is malformed, not a platform. */
function ecsServicePresent(props: Raw): Field<boolean> {
  // An empty block names no service, as an empty AWS Native `ecsServices` list names none. Keys
  // starting with `__` (the classic bridge's nested `__defaults` list) are not the user's fields.
  const block = asObject(readProperty(props, "ecsService"), "ecsService", (service) =>
    Object.keys(service as object).some((key) => !key.startsWith("__")),
  );
  return block === undefined ? false : isUnknown(block) ? true : block;
}

export function classicDeploymentGroup(resource: PulumiResource): DeploymentGroupModel {
  const props = resource.props;
  return {
    kind: "deploymentGroup",
    resource: refOf(resource),
    scope: scopeOf(resource),
    applicationName: asString(readProperty(props, "appName"), "appName"),
    deploymentGroupName: asString(readProperty(props, "deploymentGroupName"), "deploymentGroupName"),
    deploymentConfigName: asString(readProperty(props, "deploymentConfigName"), "deploymentConfigName"),
    // An output of the group (the input belongs to the application): set in AnalyzeStack only.
    computePlatform: asString(readProperty(props, "computePlatform"), "computePlatform"),
    hasEcsService: ecsServicePresent(props),
    autoRollback: autoRollbackFrom(props),
    alarmConfiguration: alarmConfigurationFrom(props, stringItem),
    deploymentType: asObjectField(props, "deploymentStyle", "deploymentType"),
    blueGreen: blueGreenFrom(props, "blueGreenDeploymentConfig"),
    outdatedInstancesStrategy: asString(readProperty(props, "outdatedInstancesStrategy"), "outdatedInstancesStrategy"),
    applicationDependencies: dependenciesOf(resource, "appName"),
    deploymentConfigDependencies: dependenciesOf(resource, "deploymentConfigName"),
  };
}

export function classicDeploymentConfig(resource: PulumiResource): DeploymentConfigModel {
  return { kind: "deploymentConfig", resource: refOf(resource), scope: scopeOf(resource), ...deploymentConfigFields(resource.props) };
}

export function classicApplication(resource: PulumiResource): ApplicationModel {
  return {
    kind: "application",
    resource: refOf(resource),
    scope: scopeOf(resource),
    name: asString(readProperty(resource.props, "name"), "name"),
    computePlatform: asString(readProperty(resource.props, "computePlatform"), "computePlatform"),
  };
}
