// Generated stacks for the benchmarks: engine resources as `pulumi preview` sends them to an
// analyzer. Every resource carries its provider reference with realistic provider props (the
// engine sends the provider's own inputs with each resource, and the SDK decodes them every time),
// dependencies and property dependencies. Deterministic: the same size always gives the same stack.
import { makeUrn, UNKNOWN_SENTINEL, type EngineProvider, type EngineResource, type WireProperties } from "../packages/tools/src/engine";
import { classicGroupInputs, COMPLIANT_GROUPS, forService, nativeGroupProps, type GroupFixture } from "../tests/support/fixtures";

const STACK = "prod";
const PROJECT = "ml-platform";
const ACCOUNT = "123456789012";
const REGION = "eu-west-1";

export const TYPES = {
  group: "aws:codedeploy/deploymentGroup:DeploymentGroup",
  config: "aws:codedeploy/deploymentConfig:DeploymentConfig",
  application: "aws:codedeploy/application:Application",
  nativeGroup: "aws-native:codedeploy:DeploymentGroup",
  nativeApplication: "aws-native:codedeploy:Application",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  bucket: "aws:s3/bucketV2:BucketV2",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  asg: "aws:autoscaling/group:Group",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  lambda: "aws:lambda/function:Function",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
} as const;

const urn = (type: string, name: string) => makeUrn(STACK, PROJECT, type, name);

/** The AWS provider as the engine sends it with each resource: its inputs, nested ones JSON-encoded. */
export function awsProvider(name = "aws"): EngineProvider {
  return {
    urn: urn("pulumi:providers:aws", name),
    type: "pulumi:providers:aws",
    name,
    properties: {
      region: REGION,
      version: "7.12.0",
      skipCredentialsValidation: "false",
      skipMetadataApiCheck: "true",
      skipRegionValidation: "true",
      defaultTags: JSON.stringify({ tags: { Service: "ml-platform", Stack: STACK, ManagedBy: "pulumi", CostCenter: "ml-4711" } }),
      assumeRoles: JSON.stringify([{ roleArn: `arn:aws:iam::${ACCOUNT}:role/pulumi-deployer`, sessionName: "pulumi" }]),
      allowedAccountIds: JSON.stringify([ACCOUNT]),
      maxRetries: "25",
    },
  };
}

const STACK_RESOURCE = urn("pulumi:pulumi:Stack", `${PROJECT}-${STACK}`);

function tags(service: string): WireProperties {
  return { Service: service, Stack: STACK, ManagedBy: "pulumi", CostCenter: "ml-4711" };
}

function res(
  type: string,
  name: string,
  properties: WireProperties,
  provider: EngineProvider,
  propertyDependencies: Record<string, string[]> = {},
): EngineResource {
  const dependencies = [...new Set(Object.values(propertyDependencies).flat())];
  return {
    urn: urn(type, name),
    type,
    name,
    properties,
    provider,
    parent: STACK_RESOURCE,
    dependencies,
    propertyDependencies,
  };
}

export interface GeneratedStack {
  readonly resources: EngineResource[];
  readonly groups: number;
  readonly counts: Record<string, number>;
}

/**
 * One service unit (~30 resources): an IAM role with attachments, an S3 bucket, a security group,
 * a launch template, an Auto Scaling group, a target group, a Lambda function, log groups, three
 * alarms, a CodeDeploy application, every second unit a custom deployment config, and a deployment
 * group. Groups vary: compliant, each kind of violation, AWS Native, unknown values during preview.
 */
function unit(index: number, provider: EngineProvider, out: EngineResource[]): void {
  const service = `svc-${index}`;
  const arn = (kind: string, name: string) => `arn:aws:${kind}:${REGION}:${ACCOUNT}:${name}`;
  const role = res(
    TYPES.role,
    `${service}-codedeploy`,
    {
      id: `${service}-codedeploy`,
      arn: `arn:aws:iam::${ACCOUNT}:role/${service}-codedeploy`,
      name: `${service}-codedeploy`,
      path: "/",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "codedeploy.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      maxSessionDuration: 3600,
      forceDetachPolicies: false,
      managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole"],
      inlinePolicies: [],
      tags: tags(service),
      tagsAll: tags(service),
      uniqueId: `AROA${String(index).padStart(17, "0")}`,
      createDate: "2025-01-01T00:00:00Z",
    },
    provider,
  );
  out.push(role);
  for (const policy of ["AWSCodeDeployRole", "CloudWatchReadOnlyAccess"]) {
    out.push(
      res(
        TYPES.attachment,
        `${service}-${policy}`,
        { id: `${service}-codedeploy-${policy}`, role: `${service}-codedeploy`, policyArn: `arn:aws:iam::aws:policy/${policy}` },
        provider,
        { role: [role.urn] },
      ),
    );
  }
  const bucket = res(
    TYPES.bucket,
    `${service}-artifacts`,
    {
      id: `${service}-artifacts-${index}`,
      arn: `arn:aws:s3:::${service}-artifacts-${index}`,
      bucket: `${service}-artifacts-${index}`,
      bucketDomainName: `${service}-artifacts-${index}.s3.amazonaws.com`,
      bucketRegionalDomainName: `${service}-artifacts-${index}.s3.${REGION}.amazonaws.com`,
      forceDestroy: false,
      hostedZoneId: "Z1BKCTXD74EZPE",
      objectLockEnabled: false,
      region: REGION,
      tags: tags(service),
      tagsAll: tags(service),
    },
    provider,
  );
  out.push(bucket);
  const sg = res(
    TYPES.securityGroup,
    `${service}-hosts`,
    {
      id: `sg-${index.toString(16).padStart(17, "0")}`,
      arn: arn("ec2", `security-group/sg-${index}`),
      name: `${service}-hosts`,
      description: "inference hosts",
      vpcId: "vpc-0abc",
      ingress: [{ fromPort: 8080, toPort: 8080, protocol: "tcp", securityGroups: ["sg-lb"], cidrBlocks: [], self: false }],
      egress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"], securityGroups: [], self: false }],
      revokeRulesOnDelete: false,
      tags: tags(service),
      tagsAll: tags(service),
    },
    provider,
  );
  out.push(sg);
  const launchTemplate = res(
    TYPES.launchTemplate,
    `${service}-lt`,
    {
      id: `lt-${index}`,
      arn: arn("ec2", `launch-template/lt-${index}`),
      name: `${service}-lt`,
      imageId: "ami-0123456789abcdef0",
      instanceType: "g5.xlarge",
      vpcSecurityGroupIds: [`sg-${index}`],
      userData: Buffer.from(`#!/bin/bash\nyum install -y codedeploy-agent\nsystemctl start codedeploy-agent # ${service}\n`).toString(
        "base64",
      ),
      iamInstanceProfile: { name: `${service}-hosts` },
      metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
      latestVersion: 3,
      defaultVersion: 3,
      tags: tags(service),
      tagsAll: tags(service),
    },
    provider,
    { vpcSecurityGroupIds: [sg.urn] },
  );
  out.push(launchTemplate);
  const asg = res(
    TYPES.asg,
    `${service}-asg`,
    {
      id: `${service}-asg`,
      arn: arn("autoscaling", `autoScalingGroup:${index}:autoScalingGroupName/${service}-asg`),
      name: `${service}-asg`,
      minSize: 2,
      maxSize: 6,
      desiredCapacity: 3,
      healthCheckType: "ELB",
      healthCheckGracePeriod: 300,
      launchTemplate: { id: `lt-${index}`, version: "$Latest" },
      vpcZoneIdentifiers: ["subnet-a", "subnet-b"],
      targetGroupArns: [arn("elasticloadbalancing", `targetgroup/${service}/abc`)],
      tags: [{ key: "Service", value: service, propagateAtLaunch: true }],
    },
    provider,
    { launchTemplate: [launchTemplate.urn] },
  );
  out.push(asg);
  const targetGroup = res(
    TYPES.targetGroup,
    `${service}-tg`,
    {
      id: arn("elasticloadbalancing", `targetgroup/${service}/abc`),
      arn: arn("elasticloadbalancing", `targetgroup/${service}/abc`),
      name: `${service}-tg`,
      port: 8080,
      protocol: "HTTP",
      vpcId: "vpc-0abc",
      targetType: "instance",
      healthCheck: { enabled: true, path: "/healthz", interval: 15, healthyThreshold: 3, unhealthyThreshold: 3, matcher: "200" },
      deregistrationDelay: "30",
      tags: tags(service),
      tagsAll: tags(service),
    },
    provider,
  );
  out.push(targetGroup);
  const lambda = res(
    TYPES.lambda,
    `${service}-fn`,
    {
      id: `${service}-fn`,
      arn: arn("lambda", `function:${service}-fn`),
      name: `${service}-fn`,
      runtime: "python3.12",
      handler: "app.handler",
      memorySize: 2048,
      timeout: 30,
      role: `arn:aws:iam::${ACCOUNT}:role/${service}-fn`,
      environment: { variables: { MODEL_BUCKET: `${service}-artifacts-${index}`, LOG_LEVEL: "info" } },
      publish: true,
      version: "7",
      qualifiedArn: arn("lambda", `function:${service}-fn:7`),
      sourceCodeHash: "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=",
      tags: tags(service),
      tagsAll: tags(service),
    },
    provider,
    { role: [role.urn], environment: [bucket.urn] },
  );
  out.push(lambda);
  out.push(
    res(
      TYPES.logGroup,
      `${service}-logs`,
      {
        id: `/aws/lambda/${service}-fn`,
        name: `/aws/lambda/${service}-fn`,
        retentionInDays: 30,
        tags: tags(service),
        tagsAll: tags(service),
      },
      provider,
    ),
  );
  const alarms = ["5xx", "p99", "errors"].map((metric) =>
    res(
      TYPES.alarm,
      `${service}-${metric}`,
      {
        id: `${service}-${metric}`,
        arn: arn("cloudwatch", `alarm:${service}-${metric}`),
        name: `${service}-${metric}`,
        comparisonOperator: "GreaterThanThreshold",
        evaluationPeriods: 3,
        metricName: metric === "5xx" ? "HTTPCode_Target_5XX_Count" : metric === "p99" ? "TargetResponseTime" : "Errors",
        namespace: metric === "errors" ? "AWS/Lambda" : "AWS/ApplicationELB",
        period: 60,
        statistic: "Sum",
        threshold: 5,
        treatMissingData: "notBreaching",
        dimensions: { TargetGroup: `targetgroup/${service}/abc` },
        alarmActions: [],
        tags: tags(service),
        tagsAll: tags(service),
      },
      provider,
      { dimensions: [targetGroup.urn] },
    ),
  );
  out.push(...alarms);

  const variant = index % 10;
  const native = variant === 9;
  const lambdaPlatform = variant === 7 || variant === 8;
  const platform = lambdaPlatform ? "Lambda" : "Server";
  const application = native
    ? res(TYPES.nativeApplication, `${service}-app`, { applicationName: service, computePlatform: platform, id: service }, provider)
    : res(
        TYPES.application,
        `${service}-app`,
        {
          id: `${index}:${service}`,
          arn: arn("codedeploy", `application:${service}`),
          name: service,
          applicationId: `app-${index}`,
          computePlatform: platform,
          githubAccountName: "",
          linkedToGithub: false,
          tags: tags(service),
          tagsAll: tags(service),
        },
        provider,
      );
  out.push(application);

  let configName = lambdaPlatform ? "CodeDeployDefault.LambdaCanary10Percent5Minutes" : "CodeDeployDefault.HalfAtATime";
  let configUrn: string | undefined;
  if (!native && !lambdaPlatform && index % 2 === 0) {
    configName = `${service}-rolling`;
    const config = res(
      TYPES.config,
      `${service}-rolling`,
      {
        id: `${service}-rolling`,
        arn: arn("codedeploy", `deploymentconfig:${service}-rolling`),
        deploymentConfigName: `${service}-rolling`,
        deploymentConfigId: `cfg-${index}`,
        computePlatform: "Server",
        // Every fourth unit keeps too few hosts (a violation of minimum-healthy-hosts).
        minimumHealthyHosts: { type: "FLEET_PERCENT", value: index % 4 === 0 ? 75 : 50 },
        trafficRoutingConfig: { type: "AllAtOnce" },
        zonalConfig: { minimumHealthyHostsPerZone: { type: "HOST_COUNT", value: 1 }, monitorDurationInSeconds: 600 },
      },
      provider,
    );
    out.push(config);
    configUrn = config.urn;
  }

  // The shared compliant group of the platform (tests/support/fixtures), renamed for this unit, with
  // its alarms, role and config; variants 1 to 5 each break one rule.
  const fixture: GroupFixture = {
    ...forService(COMPLIANT_GROUPS[platform], service),
    serviceRoleArn: `arn:aws:iam::${ACCOUNT}:role/${service}-codedeploy`,
    deploymentConfigName: configName,
    alarms: alarms.map((alarm) => alarm.name),
    ...(variant === 3 ? { rollbackEvents: ["DEPLOYMENT_FAILURE"] } : {}),
    ...(variant === 4 ? { outdatedInstancesStrategy: "IGNORE" } : {}),
    ...(variant === 5
      ? {
          deploymentType: "BLUE_GREEN",
          blueGreen: { terminationAction: "TERMINATE", terminationWaitMinutes: 5, readyActionOnTimeout: "CONTINUE_DEPLOYMENT" },
        }
      : {}),
  };
  const inputs = classicGroupInputs(fixture);
  const group: Record<string, WireProperties[string] | undefined> = native
    ? { ...nativeGroupProps(fixture), id: `${service}-prod` }
    : {
        // The state after an update: the checked inputs, the computed fields, and the empty lists the provider reads back.
        id: `${service}:${service}-prod`,
        arn: arn("codedeploy", `deploymentgroup:${service}/${service}-prod`),
        ...inputs,
        deploymentGroupId: `dg-${index}`,
        computePlatform: platform,
        // During preview a custom config's name is unknown: resolved through propertyDependencies.
        deploymentConfigName: configUrn && index % 6 === 0 ? UNKNOWN_SENTINEL : configName,
        ...(variant === 1 ? { autoRollbackConfiguration: { enabled: false, events: [] } } : {}),
        ...(variant === 2 ? { alarmConfiguration: { enabled: false, alarms: [], ignorePollAlarmFailure: false } } : {}),
        autoscalingGroups: inputs["autoscalingGroups"] ?? [],
        triggerConfigurations: [],
        ec2TagFilters: inputs["ec2TagFilters"] ?? [],
        ec2TagSets: [],
        onPremisesInstanceTagFilters: [],
        terminationHookEnabled: false,
        tags: tags(service),
        tagsAll: tags(service),
      };
  for (const key of Object.keys(group)) if (group[key] === undefined) delete group[key];
  const nameKey = native ? "applicationName" : "appName";
  const propertyDependencies: Record<string, string[]> = {
    [nameKey]: [application.urn],
    serviceRoleArn: [role.urn],
    alarmConfiguration: alarms.map((alarm) => alarm.urn),
  };
  if (configUrn) propertyDependencies["deploymentConfigName"] = [configUrn];
  if (!lambdaPlatform) {
    propertyDependencies["autoscalingGroups"] = [asg.urn];
    propertyDependencies["loadBalancerInfo"] = [targetGroup.urn];
  }
  out.push(res(native ? TYPES.nativeGroup : TYPES.group, `${service}-group`, group as WireProperties, provider, propertyDependencies));
}

/** A stack of exactly `size` resources (the last unit is cut short), provider and Stack resource first. */
export function generateStack(size: number): GeneratedStack {
  const provider = awsProvider();
  const resources: EngineResource[] = [
    { urn: STACK_RESOURCE, type: "pulumi:pulumi:Stack", name: `${PROJECT}-${STACK}`, properties: {} },
    { urn: provider.urn, type: provider.type, name: provider.name, properties: provider.properties, parent: STACK_RESOURCE },
  ];
  for (let index = 0; resources.length < size; index++) unit(index, provider, resources);
  resources.length = size;
  const counts: Record<string, number> = {};
  for (const resource of resources) counts[resource.type] = (counts[resource.type] ?? 0) + 1;
  const groups = (counts[TYPES.group] ?? 0) + (counts[TYPES.nativeGroup] ?? 0);
  return { resources, groups, counts };
}

/**
 * Deployment groups as Analyze sees them (inputs, no outputs), a fixed mix: compliant classic and
 * native groups, each kind of violation, a custom config name unknown during preview.
 */
export function analyzeRequests(): { label: string; resource: EngineResource }[] {
  const stack = generateStack(400).resources;
  const outputsOnly = new Set(["id", "arn", "deploymentGroupId", "computePlatform", "tagsAll"]);
  return stack
    .filter((resource) => resource.type === TYPES.group || resource.type === TYPES.nativeGroup)
    .slice(0, 10)
    .map((resource, index) => {
      const properties = Object.fromEntries(Object.entries(resource.properties).filter(([key]) => !outputsOnly.has(key)));
      const variant = index % 10;
      const label = [
        "compliant",
        "rollback-disabled",
        "alarms-disabled",
        "missing-event",
        "outdated-ignore",
        "blue-green-5min",
        "compliant",
        "lambda",
        "lambda",
        "native",
      ][variant]!;
      return { label, resource: { ...resource, properties, propertyDependencies: undefined, dependencies: undefined } };
    });
}
