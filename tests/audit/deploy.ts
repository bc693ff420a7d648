// deployToEndpoint: creates what a Pulumi program registers (AWS classic inputs, as the mocks
// recorder records them in the engine's wire encoding) on an AWS endpoint through the SDK: IAM
// roles (and their policy attachments), CloudWatch metric alarms, CodeDeploy applications,
// deployment configs and deployment groups, in that order. Values unknown under mocks (the
// engine's unknown sentinel) that name another resource are taken from the resource they depend on
// (`propertyDependencies`). Lives with the tests: it needs the IAM and CloudWatch clients, which
// are dev dependencies, and it only ever talks to an explicit (loopback) endpoint.
import { CloudWatchClient, PutMetricAlarmCommand, type Dimension } from "@aws-sdk/client-cloudwatch";
import {
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentConfigCommand,
  CreateDeploymentGroupCommand,
} from "@aws-sdk/client-codedeploy";
import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { SECRET_SIG, SPECIAL_SIG_KEY, UNKNOWN_SENTINEL, type EngineResource, type WireValue } from "../../packages/tools/src/engine/types";

export interface EndpointClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

export interface DeployResult {
  readonly created: { readonly urn: string; readonly type: string; readonly name: string; readonly arn?: string }[];
  readonly failed: { readonly urn: string; readonly type: string; readonly message: string }[];
  readonly skipped: { readonly urn: string; readonly type: string }[];
  /** The deployment groups created, as `<application>/<group>`. */
  readonly groups: string[];
}

const T = {
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  application: "aws:codedeploy/application:Application",
  config: "aws:codedeploy/deploymentConfig:DeploymentConfig",
  group: "aws:codedeploy/deploymentGroup:DeploymentGroup",
} as const;
const ORDER: readonly string[] = [T.role, T.attachment, T.alarm, T.application, T.config, T.group];

type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain } | undefined;

/** Wire value to plain JSON: secrets unwrapped, unknowns become undefined. */
export function plain(value: WireValue | undefined): Plain {
  if (value === undefined || value === UNKNOWN_SENTINEL) return undefined;
  if (Array.isArray(value)) return value.map((item) => plain(item));
  if (value !== null && typeof value === "object") {
    if (value[SPECIAL_SIG_KEY] === SECRET_SIG) return plain(value["value"]);
    const result: { [key: string]: Plain } = {};
    for (const [key, item] of Object.entries(value)) {
      const converted = plain(item);
      if (converted !== undefined) result[key] = converted;
    }
    return result;
  }
  return value;
}

function obj(value: Plain): Record<string, Plain> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
}
function str(value: Plain): string | undefined {
  return typeof value === "string" ? value : undefined;
}
/** A metric dimension's value as text; CloudWatch dimension values are strings. */
function dimensionValue(value: Plain): string {
  return value !== null && typeof value === "object" ? JSON.stringify(value) : String(value);
}
function list(value: Plain): Plain[] | undefined {
  return Array.isArray(value) ? value : undefined;
}
function compact<V extends Record<string, unknown>>(value: V): V | undefined {
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as V);
}

/** AWS classic group inputs to CreateDeploymentGroup's shapes. */
export function groupInputFromClassic(
  props: Record<string, Plain>,
  names: { application?: string; serviceRoleArn?: string; deploymentConfigName?: string; alarms?: string[] },
) {
  const rollback = obj(props["autoRollbackConfiguration"]);
  const alarm = obj(props["alarmConfiguration"]);
  const style = obj(props["deploymentStyle"]);
  const blueGreen = obj(props["blueGreenDeploymentConfig"]);
  const terminate = obj(blueGreen?.["terminateBlueInstancesOnDeploymentSuccess"]);
  const ready = obj(blueGreen?.["deploymentReadyOption"]);
  const green = obj(blueGreen?.["greenFleetProvisioningOption"]);
  const ecs = obj(props["ecsService"]);
  const loadBalancer = obj(props["loadBalancerInfo"]);
  const names_ = (items: Plain) => list(items)?.map((item) => ({ name: str(obj(item)?.["name"]) }));
  const route = (value: Plain) =>
    compact({
      listenerArns: list(obj(value)?.["listenerArns"])
        ?.map(str)
        .filter((item): item is string => !!item),
    });
  return {
    applicationName: names.application,
    deploymentGroupName: str(props["deploymentGroupName"]),
    serviceRoleArn: names.serviceRoleArn,
    deploymentConfigName: names.deploymentConfigName,
    autoRollbackConfiguration: rollback
      ? {
          enabled: rollback["enabled"] === true,
          events: list(rollback["events"])
            ?.map(str)
            .filter((item): item is string => !!item) as never,
        }
      : undefined,
    alarmConfiguration: alarm
      ? {
          enabled: alarm["enabled"] === true,
          ignorePollAlarmFailure: alarm["ignorePollAlarmFailure"] === true,
          alarms: (names.alarms ?? []).map((name) => ({ name })),
        }
      : undefined,
    deploymentStyle: style
      ? compact({ deploymentType: str(style["deploymentType"]) as never, deploymentOption: str(style["deploymentOption"]) as never })
      : undefined,
    blueGreenDeploymentConfiguration: blueGreen
      ? compact({
          terminateBlueInstancesOnDeploymentSuccess: terminate
            ? compact({
                action: str(terminate["action"]) as never,
                terminationWaitTimeInMinutes:
                  typeof terminate["terminationWaitTimeInMinutes"] === "number" ? terminate["terminationWaitTimeInMinutes"] : undefined,
              })
            : undefined,
          deploymentReadyOption: ready
            ? compact({
                actionOnTimeout: str(ready["actionOnTimeout"]) as never,
                waitTimeInMinutes: typeof ready["waitTimeInMinutes"] === "number" ? ready["waitTimeInMinutes"] : undefined,
              })
            : undefined,
          greenFleetProvisioningOption: green ? compact({ action: str(green["action"]) as never }) : undefined,
        })
      : undefined,
    ecsServices: ecs ? [{ clusterName: str(ecs["clusterName"]), serviceName: str(ecs["serviceName"]) }] : undefined,
    outdatedInstancesStrategy: str(props["outdatedInstancesStrategy"]) as never,
    autoScalingGroups: list(props["autoscalingGroups"])
      ?.map(str)
      .filter((item): item is string => !!item),
    ec2TagFilters: list(props["ec2TagFilters"])?.map((item) => ({
      Key: str(obj(item)?.["key"]),
      Type: str(obj(item)?.["type"]) as never,
      Value: str(obj(item)?.["value"]),
    })),
    loadBalancerInfo: loadBalancer
      ? compact({
          elbInfoList: names_(loadBalancer["elbInfos"]),
          targetGroupInfoList: names_(loadBalancer["targetGroupInfos"]),
          // The classic provider takes one `targetGroupPairInfo` block (ECS blue/green); the API takes a list.
          targetGroupPairInfoList: (
            list(loadBalancer["targetGroupPairInfos"]) ??
            (obj(loadBalancer["targetGroupPairInfo"]) ? [loadBalancer["targetGroupPairInfo"]!] : undefined)
          )?.map((pair) => ({
            targetGroups: names_(obj(pair)?.["targetGroups"]),
            prodTrafficRoute: route(obj(pair)?.["prodTrafficRoute"] ?? null),
            testTrafficRoute: route(obj(pair)?.["testTrafficRoute"] ?? null),
          })),
        })
      : undefined,
    triggerConfigurations: list(props["triggerConfigurations"])?.map((item) => ({
      triggerName: str(obj(item)?.["triggerName"]),
      triggerTargetArn: str(obj(item)?.["triggerTargetArn"]),
      triggerEvents: list(obj(item)?.["triggerEvents"])
        ?.map(str)
        .filter((event): event is string => !!event) as never,
    })),
  };
}

/** AWS classic config inputs to CreateDeploymentConfig's shapes. */
export function configInputFromClassic(props: Record<string, Plain>, name: string) {
  const healthy = obj(props["minimumHealthyHosts"]);
  const routing = obj(props["trafficRoutingConfig"]);
  const canary = obj(routing?.["timeBasedCanary"]);
  const linear = obj(routing?.["timeBasedLinear"]);
  const zonal = obj(props["zonalConfig"]);
  const perZone = obj(zonal?.["minimumHealthyHostsPerZone"]);
  const num = (value: Plain) => (typeof value === "number" ? value : undefined);
  return {
    deploymentConfigName: name,
    computePlatform: str(props["computePlatform"]) as never,
    minimumHealthyHosts: healthy ? { type: str(healthy["type"]) as never, value: num(healthy["value"]) } : undefined,
    trafficRoutingConfig: routing
      ? compact({
          type: str(routing["type"]) as never,
          timeBasedCanary: canary ? { canaryInterval: num(canary["interval"]), canaryPercentage: num(canary["percentage"]) } : undefined,
          timeBasedLinear: linear ? { linearInterval: num(linear["interval"]), linearPercentage: num(linear["percentage"]) } : undefined,
        })
      : undefined,
    zonalConfig: zonal
      ? compact({
          firstZoneMonitorDurationInSeconds: num(zonal["firstZoneMonitorDurationInSeconds"]),
          monitorDurationInSeconds: num(zonal["monitorDurationInSeconds"]),
          minimumHealthyHostsPerZone: perZone ? { type: str(perZone["type"]) as never, value: num(perZone["value"]) } : undefined,
        })
      : undefined,
  };
}

export async function deployToEndpoint(resources: readonly EngineResource[], config: EndpointClientConfig): Promise<DeployResult> {
  if (!config.endpoint) throw new Error("deployToEndpoint needs an explicit endpoint");
  const clientConfig = {
    region: config.region,
    endpoint: config.endpoint,
    maxAttempts: 2,
    ...(config.credentials ? { credentials: config.credentials } : {}),
  };
  const iam = new IAMClient(clientConfig);
  const cloudwatch = new CloudWatchClient(clientConfig);
  const codedeploy = new CodeDeployClient(clientConfig);
  const result: DeployResult = { created: [], failed: [], skipped: [], groups: [] };
  /** What each created resource is called on the endpoint (name) and, for roles, its ARN. */
  const names = new Map<string, string>();
  const arns = new Map<string, string>();

  const props = (resource: EngineResource) => (plain(resource.properties) ?? {}) as Record<string, Plain>;
  /** A name-valued input: its own value when known, else the name of the resource it depends on. */
  const reference = (resource: EngineResource, key: string, lookup: Map<string, string>): string | undefined => {
    const own = str(props(resource)[key]);
    if (own) return own;
    for (const urn of resource.propertyDependencies?.[key] ?? []) {
      const found = lookup.get(urn);
      if (found) return found;
    }
    return undefined;
  };

  const sorted = [...resources].sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));
  try {
    for (const resource of sorted) {
      const p = props(resource);
      const name = str(p["name"]) ?? resource.name;
      try {
        switch (resource.type) {
          case T.role: {
            const policy = p["assumeRolePolicy"];
            const response = await iam.send(
              new CreateRoleCommand({
                RoleName: name,
                AssumeRolePolicyDocument: typeof policy === "string" ? policy : JSON.stringify(policy ?? {}),
              }),
            );
            names.set(resource.urn, name);
            if (response.Role?.Arn) arns.set(resource.urn, response.Role.Arn);
            result.created.push({ urn: resource.urn, type: resource.type, name, arn: response.Role?.Arn });
            break;
          }
          case T.attachment: {
            const role = reference(resource, "role", names);
            const policyArn = str(p["policyArn"]);
            if (!role || !policyArn) throw new Error("role or policyArn is not known");
            await iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: policyArn }));
            result.created.push({ urn: resource.urn, type: resource.type, name: `${role}:${policyArn}` });
            break;
          }
          case T.alarm: {
            const dimensions = obj(p["dimensions"]);
            await cloudwatch.send(
              new PutMetricAlarmCommand({
                AlarmName: name,
                ComparisonOperator: (str(p["comparisonOperator"]) ?? "GreaterThanThreshold") as never,
                EvaluationPeriods: typeof p["evaluationPeriods"] === "number" ? p["evaluationPeriods"] : 1,
                MetricName: str(p["metricName"]),
                Namespace: str(p["namespace"]),
                Period: typeof p["period"] === "number" ? p["period"] : undefined,
                Statistic: str(p["statistic"]) as never,
                Threshold: typeof p["threshold"] === "number" ? p["threshold"] : 0,
                Dimensions: dimensions
                  ? Object.entries(dimensions).map(([key, value]): Dimension => ({ Name: key, Value: dimensionValue(value) }))
                  : undefined,
              }),
            );
            names.set(resource.urn, name);
            result.created.push({ urn: resource.urn, type: resource.type, name });
            break;
          }
          case T.application: {
            await codedeploy.send(
              new CreateApplicationCommand({ applicationName: name, computePlatform: (str(p["computePlatform"]) ?? "Server") as never }),
            );
            names.set(resource.urn, name);
            result.created.push({ urn: resource.urn, type: resource.type, name });
            break;
          }
          case T.config: {
            const configName = str(p["deploymentConfigName"]) ?? resource.name;
            names.set(resource.urn, configName);
            await codedeploy.send(new CreateDeploymentConfigCommand(configInputFromClassic(p, configName)));
            result.created.push({ urn: resource.urn, type: resource.type, name: configName });
            break;
          }
          case T.group: {
            const application = reference(resource, "appName", names);
            const serviceRoleArn = reference(resource, "serviceRoleArn", arns) ?? "arn:aws:iam::123456789012:role/unknown-under-mocks";
            const deploymentConfigName = reference(resource, "deploymentConfigName", names);
            const alarmBlock = obj(p["alarmConfiguration"]);
            const ownAlarms =
              list(alarmBlock?.["alarms"])
                ?.map(str)
                .filter((item): item is string => !!item) ?? [];
            const dependedAlarms = (resource.propertyDependencies?.["alarmConfiguration"] ?? [])
              .map((urn) => names.get(urn))
              .filter((item): item is string => !!item);
            const alarms = ownAlarms.length > 0 ? ownAlarms : dependedAlarms;
            const input = groupInputFromClassic(p, { application, serviceRoleArn, deploymentConfigName, alarms });
            if (!input.applicationName || !input.deploymentGroupName) throw new Error("appName or deploymentGroupName is not known");
            await codedeploy.send(new CreateDeploymentGroupCommand(input as never));
            result.created.push({ urn: resource.urn, type: resource.type, name: `${input.applicationName}/${input.deploymentGroupName}` });
            result.groups.push(`${input.applicationName}/${input.deploymentGroupName}`);
            break;
          }
          default:
            result.skipped.push({ urn: resource.urn, type: resource.type });
        }
      } catch (error) {
        result.failed.push({
          urn: resource.urn,
          type: resource.type,
          message: `${(error as Error).name}: ${((error as Error).message ?? "").split("\n")[0]}`,
        });
      }
    }
  } finally {
    iam.destroy();
    cloudwatch.destroy();
    codedeploy.destroy();
  }
  return result;
}
