// Reference stack: an AI model-serving service on AWS, deployed with CodeDeploy and rolled back
// automatically when a model release degrades it.
//
// - EC2 path: an Auto Scaling group of inference hosts behind an Application Load Balancer, a
//   CodeDeploy `Server` application, a custom deployment config that keeps two thirds of the fleet
//   (and a host per zone) healthy, and an in-place deployment group with traffic control through the
//   load balancer's target group.
// - Lambda path: a small inference function with a `live` alias, a CodeDeploy `Lambda` application
//   and a deployment group on a canary config.
// - Both groups come from SafeDeploymentGroup: rollback on DEPLOYMENT_FAILURE and
//   DEPLOYMENT_STOP_ON_ALARM, with alarms on what a bad model release breaks (5xx rate, p99 latency,
//   Lambda errors and duration, and the prediction error rate the service publishes).

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./config";
import { SafeDeploymentGroup } from "./safeDeploymentGroup";

const config = loadConfig();
const stack = pulumi.getStack();
const service = config.serviceName;
const tags = { Service: service, Stack: stack, ManagedBy: "pulumi" };

const provider = new aws.Provider("aws", { region: config.region, defaultTags: { tags } });
const opts: pulumi.CustomResourceOptions = { provider };

// ---------------------------------------------------------------------------------------------
// Network: a VPC with two public subnets in two zones. Hosts get public addresses to reach the
// CodeDeploy and S3 endpoints without a NAT gateway, but accept traffic only from the load balancer.
const zones = aws.getAvailabilityZonesOutput({ state: "available" }, { provider });
const vpc = new aws.ec2.Vpc(`${service}-vpc`, { cidrBlock: config.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true }, opts);
const gateway = new aws.ec2.InternetGateway(`${service}-igw`, { vpcId: vpc.id }, opts);
const routeTable = new aws.ec2.RouteTable(
  `${service}-public`,
  { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }] },
  opts,
);
const subnets = [0, 1].map((i) => {
  const subnet = new aws.ec2.Subnet(
    `${service}-public-${i}`,
    {
      vpcId: vpc.id,
      cidrBlock: vpc.cidrBlock.apply((cidr) => subnetCidr(cidr, i)),
      availabilityZone: zones.names.apply((names) => names[i % names.length]!),
      mapPublicIpOnLaunch: true,
    },
    opts,
  );
  new aws.ec2.RouteTableAssociation(`${service}-public-${i}`, { subnetId: subnet.id, routeTableId: routeTable.id }, opts);
  return subnet;
});

/** The i-th /20 inside the VPC's CIDR block. */
function subnetCidr(vpcCidr: string, index: number): string {
  const [base, bits] = vpcCidr.split("/");
  const octets = base!.split(".").map(Number);
  const value = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const prefix = Math.max(Number(bits), 20);
  const start = (value + index * 2 ** (32 - prefix)) >>> 0;
  return `${[start >>> 24, (start >>> 16) & 255, (start >>> 8) & 255, start & 255].join(".")}/${prefix}`;
}

const albSecurityGroup = new aws.ec2.SecurityGroup(
  `${service}-alb`,
  {
    vpcId: vpc.id,
    description: "Inference load balancer",
    ingress: [{ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: [config.ingressCidr], description: "HTTP from clients" }],
    egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "To the inference hosts" }],
  },
  opts,
);
const hostSecurityGroup = new aws.ec2.SecurityGroup(
  `${service}-hosts`,
  {
    vpcId: vpc.id,
    description: "Inference hosts: model server traffic from the load balancer only",
    ingress: [
      {
        protocol: "tcp",
        fromPort: config.appPort,
        toPort: config.appPort,
        securityGroups: [albSecurityGroup.id],
        description: "Model server from the load balancer",
      },
    ],
    egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "CodeDeploy, S3, CloudWatch endpoints" }],
  },
  opts,
);

// ---------------------------------------------------------------------------------------------
// Revisions bucket: CodeDeploy bundles (appspec + model server + model artifact) for the EC2 path.
const revisions = new aws.s3.Bucket(`${service}-revisions`, { forceDestroy: false }, opts);
new aws.s3.BucketPublicAccessBlock(
  `${service}-revisions`,
  { bucket: revisions.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
  opts,
);
new aws.s3.BucketVersioning(`${service}-revisions`, { bucket: revisions.id, versioningConfiguration: { status: "Enabled" } }, opts);

// ---------------------------------------------------------------------------------------------
// EC2 path: hosts, load balancer, CodeDeploy Server application.
const assumeRole = (servicePrincipal: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: servicePrincipal }, Action: "sts:AssumeRole" }],
  });

const hostRole = new aws.iam.Role(`${service}-host`, { assumeRolePolicy: assumeRole("ec2.amazonaws.com") }, opts);
new aws.iam.RolePolicy(
  `${service}-host`,
  {
    role: hostRole.id,
    policy: pulumi.jsonStringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReadRevisions",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:GetObjectVersion"],
          Resource: pulumi.interpolate`${revisions.arn}/*`,
        },
        { Sid: "ListRevisions", Effect: "Allow", Action: ["s3:ListBucket"], Resource: revisions.arn },
        {
          Sid: "PublishModelMetrics",
          Effect: "Allow",
          Action: ["cloudwatch:PutMetricData"],
          Resource: "*",
          Condition: { StringEquals: { "cloudwatch:namespace": config.metricsNamespace } },
        },
      ],
    }),
  },
  opts,
);
const hostProfile = new aws.iam.InstanceProfile(`${service}-host`, { role: hostRole.name }, opts);

const bootstrap = `#!/bin/bash
# Bootstrap: the CodeDeploy agent plus a minimal model server answering health checks until the first
# CodeDeploy revision (from the revisions bucket) installs the real model and server.
set -euo pipefail
dnf install -y ruby wget python3
cd /tmp
wget -q https://aws-codedeploy-${config.region}.s3.${config.region}.amazonaws.com/latest/install
chmod +x ./install
./install auto
systemctl enable --now codedeploy-agent
mkdir -p /opt/inference
cat > /opt/inference/server.py <<'PY'
import json, os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Handler(BaseHTTPRequestHandler):
    def _send(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/healthz":
            self._send(200, {"status": "ok", "model": os.environ.get("MODEL_VERSION", "bootstrap")})
        else:
            self._send(404, {"error": "not found"})

    def do_POST(self):
        if self.path != "/predict":
            return self._send(404, {"error": "not found"})
        length = int(self.headers.get("Content-Length", "0"))
        try:
            features = json.loads(self.rfile.read(length) or b"{}").get("features", [])
            score = sum(float(x) for x in features) / max(len(features), 1)
            self._send(200, {"model": os.environ.get("MODEL_VERSION", "bootstrap"), "score": score})
        except (ValueError, TypeError):
            self._send(400, {"error": "features must be a list of numbers"})

ThreadingHTTPServer(("0.0.0.0", ${config.appPort}), Handler).serve_forever()
PY
cat > /etc/systemd/system/inference.service <<'UNIT'
[Unit]
Description=Model inference server
After=network-online.target
[Service]
ExecStart=/usr/bin/python3 /opt/inference/server.py
Restart=always
[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now inference
`;

const launchTemplate = new aws.ec2.LaunchTemplate(
  `${service}-host`,
  {
    imageId: config.imageId,
    instanceType: config.instanceType,
    iamInstanceProfile: { arn: hostProfile.arn },
    vpcSecurityGroupIds: [hostSecurityGroup.id],
    userData: Buffer.from(bootstrap).toString("base64"),
    metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" },
    tagSpecifications: [{ resourceType: "instance", tags: { ...tags, Name: `${service}-host` } }],
    updateDefaultVersion: true,
  },
  opts,
);

const loadBalancer = new aws.lb.LoadBalancer(
  `${service}-alb`,
  {
    loadBalancerType: "application",
    securityGroups: [albSecurityGroup.id],
    subnets: subnets.map((s) => s.id),
    dropInvalidHeaderFields: true,
  },
  opts,
);
const targetGroup = new aws.lb.TargetGroup(
  `${service}-tg`,
  {
    vpcId: vpc.id,
    port: config.appPort,
    protocol: "HTTP",
    targetType: "instance",
    deregistrationDelay: 30,
    healthCheck: { path: "/healthz", matcher: "200", interval: 15, healthyThreshold: 2, unhealthyThreshold: 3 },
  },
  opts,
);
new aws.lb.Listener(
  `${service}-http`,
  { loadBalancerArn: loadBalancer.arn, port: 80, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }] },
  opts,
);

const fleet = new aws.autoscaling.Group(
  `${service}-fleet`,
  {
    vpcZoneIdentifiers: subnets.map((s) => s.id),
    minSize: config.fleetSize,
    maxSize: config.fleetSize + 1,
    desiredCapacity: config.fleetSize,
    launchTemplate: { id: launchTemplate.id, version: "$Latest" },
    targetGroupArns: [targetGroup.arn],
    healthCheckType: "ELB",
    healthCheckGracePeriod: 300,
  },
  opts,
);

// ---------------------------------------------------------------------------------------------
// Lambda path: a small inference function (a logistic model) with a `live` alias. It publishes a
// prediction error metric through the CloudWatch embedded metric format.
const lambdaRole = new aws.iam.Role(`${service}-fn`, { assumeRolePolicy: assumeRole("lambda.amazonaws.com") }, opts);
new aws.iam.RolePolicyAttachment(
  `${service}-fn-logs`,
  { role: lambdaRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" },
  opts,
);
const lambdaLogs = new aws.cloudwatch.LogGroup(`${service}-fn`, { name: `/${service}/${stack}/lambda`, retentionInDays: 30 }, opts);

const handlerSource = `// Inference handler: a logistic model over a fixed-size feature vector.
const WEIGHTS = [0.42, -1.3, 0.77, 0.05];
const BIAS = -0.2;
const NAMESPACE = process.env.METRICS_NAMESPACE;
const SERVICE = process.env.SERVICE_NAME;

function emit(predictionError) {
  // CloudWatch embedded metric format: the log line becomes a metric, no API call needed.
  console.log(JSON.stringify({
    _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: NAMESPACE, Dimensions: [["Service", "Platform"]], Metrics: [{ Name: "PredictionError", Unit: "None" }] }] },
    Service: SERVICE,
    Platform: "lambda",
    ModelVersion: process.env.MODEL_VERSION,
    PredictionError: predictionError,
  }));
}

export const handler = async (event) => {
  const features = event && Array.isArray(event.features) ? event.features.map(Number) : null;
  if (!features || features.length !== WEIGHTS.length || features.some((x) => !Number.isFinite(x))) {
    emit(1);
    return { statusCode: 400, body: JSON.stringify({ error: "features must be " + WEIGHTS.length + " numbers" }) };
  }
  const z = features.reduce((acc, x, i) => acc + x * WEIGHTS[i], BIAS);
  const score = 1 / (1 + Math.exp(-z));
  emit(Number.isFinite(score) ? 0 : 1);
  return { statusCode: 200, body: JSON.stringify({ model: process.env.MODEL_VERSION, score }) };
};
`;

const inferenceFunction = new aws.lambda.Function(
  `${service}-fn`,
  {
    runtime: aws.lambda.Runtime.NodeJS20dX,
    handler: "index.handler",
    role: lambdaRole.arn,
    code: new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.StringAsset(handlerSource) }),
    publish: true,
    memorySize: 512,
    timeout: 10,
    loggingConfig: { logFormat: "Text", logGroup: lambdaLogs.name },
    environment: {
      variables: { METRICS_NAMESPACE: config.metricsNamespace, SERVICE_NAME: service, MODEL_VERSION: "2024-01-01" },
    },
  },
  opts,
);
// CodeDeploy moves the alias between versions; Pulumi must not move it back.
const liveAlias = new aws.lambda.Alias(
  `${service}-live`,
  { name: "live", functionName: inferenceFunction.name, functionVersion: inferenceFunction.version },
  { ...opts, ignoreChanges: ["functionVersion", "routingConfig"] },
);

// ---------------------------------------------------------------------------------------------
// CodeDeploy: service roles (one per platform, each with only its AWS managed policy), applications,
// the custom Server config, the notification topic and the two safe deployment groups.
const codedeployRole = (platform: string, policy: string) => {
  const role = new aws.iam.Role(`${service}-codedeploy-${platform}`, { assumeRolePolicy: assumeRole("codedeploy.amazonaws.com") }, opts);
  new aws.iam.RolePolicyAttachment(`${service}-codedeploy-${platform}`, { role: role.name, policyArn: policy }, opts);
  return role;
};
const serverRole = codedeployRole("server", "arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole");
const lambdaDeployRole = codedeployRole("lambda", "arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda");

const deploymentTopic = new aws.sns.Topic(`${service}-deployments`, {}, opts);
if (config.notificationEmail) {
  new aws.sns.TopicSubscription(
    `${service}-deployments-email`,
    { topic: deploymentTopic.arn, protocol: "email", endpoint: config.notificationEmail },
    opts,
  );
}

const serverApp = new aws.codedeploy.Application(`${service}-server`, { computePlatform: "Server" }, opts);
const lambdaApp = new aws.codedeploy.Application(`${service}-lambda`, { computePlatform: "Lambda" }, opts);

// Two thirds of the fleet stays in service, and one zone is deployed (and watched) before the next.
const serverDeploymentConfig = new aws.codedeploy.DeploymentConfig(
  `${service}-server`,
  {
    computePlatform: "Server",
    minimumHealthyHosts: { type: "FLEET_PERCENT", value: config.minHealthyFleetPercent },
    zonalConfig: {
      firstZoneMonitorDurationInSeconds: config.firstZoneMonitorSeconds,
      monitorDurationInSeconds: config.zoneMonitorSeconds,
      minimumHealthyHostsPerZone: { type: "HOST_COUNT", value: config.minHealthyHostsPerZone },
    },
  },
  opts,
);

const predictionErrorAlarm = (platform: "ec2" | "lambda") => ({
  key: "prediction-errors",
  description: `Share of failed ${platform} predictions above ${config.predictionErrorRate * 100}% (model quality)`,
  metric: {
    namespace: config.metricsNamespace,
    metricName: "PredictionError",
    dimensions: { Service: service, Platform: platform },
    stat: "Average",
  },
  threshold: config.predictionErrorRate,
});

const serverGroup = new SafeDeploymentGroup(
  `${service}-server`,
  {
    applicationName: serverApp.name,
    computePlatform: "Server",
    serviceRoleArn: serverRole.arn,
    deploymentConfigName: serverDeploymentConfig.deploymentConfigName,
    autoscalingGroups: [fleet.name],
    targetGroupNames: [targetGroup.name],
    notificationTopicArn: deploymentTopic.arn,
    alarms: [
      {
        key: "alb-5xx-rate",
        description: `Target 5xx responses above ${config.alb5xxRatePercent}% of requests`,
        expression: {
          expression: "100 * FILL(errors, 0) / requests",
          label: "5xx rate (%)",
          metrics: {
            errors: {
              namespace: "AWS/ApplicationELB",
              metricName: "HTTPCode_Target_5XX_Count",
              dimensions: { LoadBalancer: loadBalancer.arnSuffix, TargetGroup: targetGroup.arnSuffix },
              stat: "Sum",
            },
            requests: {
              namespace: "AWS/ApplicationELB",
              metricName: "RequestCount",
              dimensions: { LoadBalancer: loadBalancer.arnSuffix, TargetGroup: targetGroup.arnSuffix },
              stat: "Sum",
            },
          },
        },
        threshold: config.alb5xxRatePercent,
      },
      {
        key: "alb-p99-latency",
        description: `p99 target response time above ${config.albP99LatencySeconds}s`,
        metric: {
          namespace: "AWS/ApplicationELB",
          metricName: "TargetResponseTime",
          dimensions: { LoadBalancer: loadBalancer.arnSuffix, TargetGroup: targetGroup.arnSuffix },
          stat: "p99",
        },
        threshold: config.albP99LatencySeconds,
      },
      predictionErrorAlarm("ec2"),
    ],
    tags,
  },
  { provider },
);

const aliasResource = pulumi.interpolate`${inferenceFunction.name}:${liveAlias.name}`;
const lambdaGroup = new SafeDeploymentGroup(
  `${service}-lambda`,
  {
    applicationName: lambdaApp.name,
    computePlatform: "Lambda",
    serviceRoleArn: lambdaDeployRole.arn,
    deploymentConfigName: config.lambdaDeploymentConfig,
    notificationTopicArn: deploymentTopic.arn,
    alarms: [
      {
        key: "fn-errors",
        description: `More than ${config.lambdaErrorsPerMinute} invocation errors a minute on the live alias`,
        metric: {
          namespace: "AWS/Lambda",
          metricName: "Errors",
          dimensions: { FunctionName: inferenceFunction.name, Resource: aliasResource },
          stat: "Sum",
        },
        threshold: config.lambdaErrorsPerMinute,
        evaluationPeriods: 2,
      },
      {
        key: "fn-p99-duration",
        description: `p99 duration above ${config.lambdaP99DurationMs} ms on the live alias`,
        metric: {
          namespace: "AWS/Lambda",
          metricName: "Duration",
          dimensions: { FunctionName: inferenceFunction.name, Resource: aliasResource },
          stat: "p99",
        },
        threshold: config.lambdaP99DurationMs,
      },
      predictionErrorAlarm("lambda"),
    ],
    tags,
  },
  { provider },
);

// ---------------------------------------------------------------------------------------------
export const region = config.region;
export const endpoint = pulumi.interpolate`http://${loadBalancer.dnsName}`;
export const revisionsBucket = revisions.bucket;
export const deploymentTopicArn = deploymentTopic.arn;
export const server = {
  applicationName: serverApp.name,
  deploymentGroupName: serverGroup.deploymentGroupName,
  deploymentConfigName: serverDeploymentConfig.deploymentConfigName,
  autoScalingGroupName: fleet.name,
  alarmNames: serverGroup.alarmNames,
};
export const lambda = {
  applicationName: lambdaApp.name,
  deploymentGroupName: lambdaGroup.deploymentGroupName,
  deploymentConfigName: config.lambdaDeploymentConfig,
  functionName: inferenceFunction.name,
  aliasName: liveAlias.name,
  alarmNames: lambdaGroup.alarmNames,
};
