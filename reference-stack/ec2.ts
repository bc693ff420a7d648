// EC2 path: an Auto Scaling group of inference hosts behind an Application Load Balancer, a CodeDeploy
// `Server` application, a custom deployment config that keeps two thirds of the fleet (and a host per
// zone) healthy, and a deployment group with traffic control through the load balancer's target group:
// in place by default, blue/green (CodeDeploy copies the Auto Scaling group) with `ec2BlueGreen`.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assumeRolePolicy, codedeployServiceRole, loadBalancerAlarms, predictionErrorAlarm, type StackContext } from "./context";
import { modelServerSource } from "./modelServer";
import { modelServerSecurityGroup, publicLoadBalancer } from "./network";
import { SafeDeploymentGroup } from "./safeDeploymentGroup";

export function ec2Path(ctx: StackContext) {
  const { config, service, tags, opts } = ctx;

  // Revisions bucket: CodeDeploy bundles (appspec + model server + model artifact).
  const revisions = new aws.s3.Bucket(`${service}-revisions`, { forceDestroy: false }, opts);
  new aws.s3.BucketPublicAccessBlock(
    `${service}-revisions`,
    { bucket: revisions.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    opts,
  );
  new aws.s3.BucketVersioning(`${service}-revisions`, { bucket: revisions.id, versioningConfiguration: { status: "Enabled" } }, opts);

  const hostRole = new aws.iam.Role(`${service}-host`, { assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com") }, opts);
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
${modelServerSource(config.appPort)}PY
cat > /etc/systemd/system/inference.service <<'UNIT'
[Unit]
Description=Model inference server
After=network-online.target
[Service]
Environment=SERVICE_NAME=${service} METRICS_NAMESPACE=${config.metricsNamespace} PLATFORM=ec2
ExecStart=/usr/bin/python3 /opt/inference/server.py
Restart=always
[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now inference
`;

  const targetGroup = new aws.lb.TargetGroup(
    `${service}-tg`,
    {
      vpcId: ctx.vpc.id,
      port: config.appPort,
      protocol: "HTTP",
      targetType: "instance",
      deregistrationDelay: 30,
      healthCheck: { path: "/healthz", matcher: "200", interval: 15, healthyThreshold: 2, unhealthyThreshold: 3 },
    },
    opts,
  );
  const alb = publicLoadBalancer(ctx, {
    prefix: `${service}-alb`,
    httpListenerName: `${service}-http`,
    targetGroupArn: targetGroup.arn,
    codeDeployOwnsListeners: false,
  });
  const hostSecurityGroup = modelServerSecurityGroup(ctx, `${service}-hosts`, {
    description: "Inference hosts: model server traffic from the load balancer only",
    loadBalancer: alb,
    egressPurpose: "CodeDeploy, S3, CloudWatch endpoints",
  });

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

  const fleet = new aws.autoscaling.Group(
    `${service}-fleet`,
    {
      vpcZoneIdentifiers: ctx.subnets.map((s) => s.id),
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

  const serverRole = codedeployServiceRole(ctx, "server", "arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole");
  // The CodeDeploy user guide: when the Auto Scaling group uses a launch template, the service role also
  // needs to launch and tag instances from it and pass the instance profile's role (AWSCodeDeployRole has
  // neither). A blue/green deployment launches the copy of the group this way; in place, CodeDeploy's
  // Auto Scaling lifecycle handling does.
  new aws.iam.RolePolicy(
    `${service}-codedeploy-server-launch-template`,
    {
      role: serverRole.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "LaunchFromTemplate", Effect: "Allow", Action: ["ec2:RunInstances"], Resource: "*" },
          {
            Sid: "TagAtLaunch",
            Effect: "Allow",
            Action: ["ec2:CreateTags"],
            Resource: "*",
            Condition: { StringEquals: { "ec2:CreateAction": "RunInstances" } },
          },
          {
            Sid: "PassHostRole",
            Effect: "Allow",
            Action: ["iam:PassRole"],
            Resource: hostRole.arn,
            Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
          },
        ],
      }),
    },
    opts,
  );

  const serverApp = new aws.codedeploy.Application(`${service}-server`, { computePlatform: "Server" }, opts);
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

  const group = new SafeDeploymentGroup(
    `${service}-server`,
    {
      applicationName: serverApp.name,
      computePlatform: "Server",
      serviceRoleArn: serverRole.arn,
      deploymentConfigName: serverDeploymentConfig.deploymentConfigName,
      autoscalingGroups: [fleet.name],
      targetGroupNames: [targetGroup.name],
      // Blue/green hands the Auto Scaling group to CodeDeploy: after a deployment the fleet is a copy this
      // stack does not manage (run `pulumi refresh`, then import or replace it). In place is the default.
      ...(config.ec2BlueGreen ? { blueGreen: { terminationWaitMinutes: config.ec2TerminationWaitMinutes } } : {}),
      notificationTopicArn: ctx.deploymentTopic.arn,
      alarms: [
        ...loadBalancerAlarms(ctx, { LoadBalancer: alb.loadBalancer.arnSuffix, TargetGroup: targetGroup.arnSuffix }),
        predictionErrorAlarm(ctx, "ec2"),
      ],
      tags,
    },
    { provider: ctx.provider },
  );

  return {
    endpoint: alb.url,
    revisionsBucket: revisions.bucket,
    outputs: {
      applicationName: serverApp.name,
      deploymentGroupName: group.deploymentGroupName,
      deploymentConfigName: serverDeploymentConfig.deploymentConfigName,
      deploymentType: config.ec2BlueGreen ? "BLUE_GREEN" : "IN_PLACE",
      autoScalingGroupName: fleet.name,
      alarmNames: group.alarmNames,
    },
  };
}
