// The benchmark stack in real-preview shapes: a program's resources (inputs as it registers them)
// turned by tools/engine/realEngine.ts into what `pulumi preview` sends: checked inputs for Analyze,
// planned outputs (computed fields unknown) for AnalyzeStack, in a shuffled order. A third of the
// resources are CodeDeploy ones (applications, deployment configs, deployment groups), the rest other
// AWS types. Deterministic: the same size always gives the same requests.
import {
  makeUrn,
  realEnginePayloads,
  UNKNOWN_SENTINEL,
  type EngineResource,
  type RealEnginePayloads,
  type WireProperties,
} from "../packages/tools/src/engine";
import { classicGroupInputs, COMPLIANT_GROUPS, forService, type GroupFixture } from "../tests/support/fixtures";
import { awsProvider, TYPES } from "./stack";

const STACK = "prod";
const PROJECT = "ml-platform";

/**
 * One service unit, 9 resources, 3 of them CodeDeploy: an IAM role, a Lambda function or an Auto
 * Scaling group, a log group, 3 CloudWatch alarms, a CodeDeploy application, a deployment config
 * (custom for Server units; for the others a same-name team canary in another region) and a
 * deployment group. Groups vary: Server on a custom config, Lambda on a canary,
 * Lambda naming no config (the provider's default, a violation), ECS, and each rollback mistake.
 */
function unit(index: number, out: EngineResource[]): void {
  const provider = awsProvider();
  const service = `svc-${index}`;
  const urn = (type: string, name: string) => makeUrn(STACK, PROJECT, type, name);
  const res = (type: string, name: string, properties: WireProperties, propertyDependencies: Record<string, string[]> = {}) => {
    const resource: EngineResource = {
      urn: urn(type, name),
      type,
      name,
      properties,
      provider,
      parent: makeUrn(STACK, PROJECT, "pulumi:pulumi:Stack", `${PROJECT}-${STACK}`),
      dependencies: [...new Set(Object.values(propertyDependencies).flat())],
      propertyDependencies,
    };
    out.push(resource);
    return resource;
  };
  const tags = { Service: service, Stack: STACK, ManagedBy: "pulumi" };
  const kind = ["server", "lambda", "lambda-default", "server", "ecs", "server-faulty"][index % 6]!;
  const platform = kind.startsWith("lambda") ? "Lambda" : kind === "ecs" ? "ECS" : "Server";

  const role = res(TYPES.role, `${service}-codedeploy`, {
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "codedeploy.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
    managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole"],
    tags,
  });
  const compute =
    platform === "Server"
      ? res(TYPES.asg, `${service}-asg`, {
          minSize: 2,
          maxSize: 6,
          desiredCapacity: 3,
          healthCheckType: "ELB",
          launchTemplate: { id: UNKNOWN_SENTINEL, version: "$Latest" },
          vpcZoneIdentifiers: ["subnet-a", "subnet-b"],
        })
      : res(TYPES.lambda, `${service}-fn`, {
          runtime: "python3.12",
          handler: "app.handler",
          memorySize: 2048,
          timeout: 30,
          role: UNKNOWN_SENTINEL,
          publish: true,
          environment: { variables: { LOG_LEVEL: "info" } },
          tags,
        });
  res(TYPES.logGroup, `${service}-logs`, { name: `/aws/codedeploy/${service}`, retentionInDays: 30, tags });
  const alarms = ["errors", "p99", "quality"].map((metric) =>
    res(TYPES.alarm, `${service}-${metric}`, {
      name: `${service}-${metric}`,
      comparisonOperator: "GreaterThanThreshold",
      evaluationPeriods: 3,
      metricName: metric === "quality" ? "PredictionErrorRate" : "Errors",
      namespace: metric === "quality" ? "ModelServing/Inference" : "AWS/Lambda",
      period: 60,
      statistic: "Sum",
      threshold: 5,
      tags,
    }),
  );

  const application = res(TYPES.application, `${service}-app`, { name: service, computePlatform: platform, tags });
  let configName: string | undefined;
  const dependencies: Record<string, string[]> = {
    appName: [application.urn],
    serviceRoleArn: [role.urn],
    alarmConfiguration: alarms.map((alarm) => alarm.urn),
  };
  if (platform === "Server") {
    const config = res(TYPES.config, `${service}-rolling`, {
      deploymentConfigName: `${service}-rolling`,
      minimumHealthyHosts: { type: "FLEET_PERCENT", value: index % 4 === 0 ? 50 : 75 },
      zonalConfig: { minimumHealthyHostsPerZone: { type: "HOST_COUNT", value: 1 }, monitorDurationInSeconds: 600 },
    });
    configName = `${service}-rolling`;
    dependencies["deploymentConfigName"] = [config.urn];
    dependencies["autoscalingGroups"] = [compute.urn];
  } else {
    // A team-wide canary kept in another region: one name, many resources, never a candidate for a
    // group of this region, which deploys with a built-in config (or, for lambda-default, none).
    res(TYPES.config, `${service}-canary-east`, {
      deploymentConfigName: "team-canary",
      computePlatform: platform,
      region: "us-east-1",
      trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: { interval: 5, percentage: 10 } },
    });
    if (kind !== "lambda-default")
      configName = platform === "ECS" ? "CodeDeployDefault.ECSCanary10Percent5Minutes" : "CodeDeployDefault.LambdaCanary10Percent5Minutes";
  }
  // The shared compliant group of the platform (tests/support/fixtures), renamed for this unit and
  // deploying with its alarms and config; server-faulty breaks two rules, lambda-default names no config.
  const fixture: GroupFixture = {
    ...forService(COMPLIANT_GROUPS[platform], service),
    alarms: alarms.map((alarm) => alarm.name),
    ...(configName !== undefined ? { deploymentConfigName: configName } : {}),
    ...(kind === "server-faulty" ? { rollbackEvents: ["DEPLOYMENT_FAILURE"], outdatedInstancesStrategy: "IGNORE" } : {}),
  };
  // The role is created in the same stack, so its ARN is unknown during the preview.
  const group: WireProperties = { ...classicGroupInputs(fixture), serviceRoleArn: UNKNOWN_SENTINEL, tags };
  // lambda-default names no config: the provider's Check fills in its default (a Server config).
  if (configName === undefined) delete group["deploymentConfigName"];
  res(TYPES.group, `${service}-group`, group, dependencies);
}

export interface RealShapesStack {
  readonly payloads: RealEnginePayloads;
  readonly resources: number;
  readonly codeDeploy: number;
  readonly groups: number;
}

/** `size` resources (the stack and provider first, the last unit cut short) as a real preview sends them. */
export function generateRealShapesStack(size: number, shuffleSeed = 20260115): RealShapesStack {
  const provider = awsProvider();
  const resources: EngineResource[] = [
    {
      urn: makeUrn(STACK, PROJECT, "pulumi:pulumi:Stack", `${PROJECT}-${STACK}`),
      type: "pulumi:pulumi:Stack",
      name: `${PROJECT}-${STACK}`,
      properties: {},
    },
    { urn: provider.urn, type: provider.type, name: provider.name, properties: provider.properties },
  ];
  for (let index = 0; resources.length < size; index++) unit(index, resources);
  resources.length = size;
  const payloads = realEnginePayloads(resources, { mode: "preview", shuffleSeed });
  const codeDeploy = resources.filter((resource) => resource.type.startsWith("aws:codedeploy/")).length;
  return { payloads, resources: size, codeDeploy, groups: resources.filter((resource) => resource.type === TYPES.group).length };
}
