// ECS path: the model server as a Fargate service behind its own Application Load Balancer, deployed by
// CodeDeploy blue/green. The service uses the CODE_DEPLOY deployment controller; the load balancer has a
// production listener and a test listener, and two target groups (blue: where the service starts; green:
// where each replacement task set starts). A deployment starts the new task set in the other target
// group, lets the test listener reach it, shifts production traffic by canary (or linear) while the
// alarms watch, and keeps the original task set for `ecsTerminationWaitMinutes` so a rollback is a
// listener switch.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assumeRolePolicy, codedeployServiceRole, loadBalancerAlarms, predictionErrorAlarm, type StackContext } from "./context";
import { modelServerSource } from "./modelServer";
import { modelServerSecurityGroup, publicLoadBalancer } from "./network";
import { SafeDeploymentGroup } from "./safeDeploymentGroup";

const CONTAINER = "model-server";

export function ecsPath(ctx: StackContext) {
  const { config, service, stack, tags, opts } = ctx;

  const cluster = new aws.ecs.Cluster(`${service}-ecs`, { settings: [{ name: "containerInsights", value: "enabled" }] }, opts);
  const logs = new aws.cloudwatch.LogGroup(`${service}-ecs`, { name: `/${service}/${stack}/ecs`, retentionInDays: 30 }, opts);

  // Task execution role: pull the image and write the container's logs, nothing else. The task itself
  // needs no AWS permissions (its metrics leave through the logs), so it gets no task role.
  const executionRole = new aws.iam.Role(
    `${service}-ecs-execution`,
    { assumeRolePolicy: assumeRolePolicy("ecs-tasks.amazonaws.com") },
    opts,
  );
  new aws.iam.RolePolicyAttachment(
    `${service}-ecs-execution`,
    { role: executionRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" },
    opts,
  );

  const taskDefinition = new aws.ecs.TaskDefinition(
    `${service}-ecs`,
    {
      family: `${service}-${stack}`,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(config.ecsCpu),
      memory: String(config.ecsMemory),
      executionRoleArn: executionRole.arn,
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      containerDefinitions: pulumi.jsonStringify([
        {
          name: CONTAINER,
          image: config.ecsImage,
          essential: true,
          // The stock image runs the placeholder server; a real release replaces the task definition.
          command: ["python3", "-c", modelServerSource(config.appPort)],
          portMappings: [{ containerPort: config.appPort, protocol: "tcp" }],
          environment: [
            { name: "SERVICE_NAME", value: service },
            { name: "METRICS_NAMESPACE", value: config.metricsNamespace },
            { name: "PLATFORM", value: "ecs" },
            { name: "MODEL_VERSION", value: "bootstrap" },
          ],
          user: "65534",
          readonlyRootFilesystem: true,
          logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": logs.name, "awslogs-region": config.region, "awslogs-stream-prefix": CONTAINER },
          },
        },
      ]),
    },
    opts,
  );

  const targetGroup = (color: "blue" | "green") =>
    new aws.lb.TargetGroup(
      `${service}-ecs-${color}`,
      {
        vpcId: ctx.vpc.id,
        port: config.appPort,
        protocol: "HTTP",
        targetType: "ip",
        deregistrationDelay: 30,
        healthCheck: { path: "/healthz", matcher: "200", interval: 15, healthyThreshold: 2, unhealthyThreshold: 3 },
      },
      opts,
    );
  const blue = targetGroup("blue");
  const green = targetGroup("green");
  const alb = publicLoadBalancer(ctx, {
    prefix: `${service}-ecs-alb`,
    httpListenerName: `${service}-ecs-http`,
    targetGroupArn: blue.arn,
    testListenerPort: config.testListenerPort,
    codeDeployOwnsListeners: true,
  });

  const taskSecurityGroup = modelServerSecurityGroup(ctx, `${service}-ecs-tasks`, {
    description: "Inference tasks: model server traffic from the load balancer only",
    loadBalancer: alb,
    egressPurpose: "Image registry, CloudWatch Logs",
  });

  const ecsService = new aws.ecs.Service(
    `${service}-ecs`,
    {
      cluster: cluster.arn,
      taskDefinition: taskDefinition.arn,
      desiredCount: config.ecsDesiredCount,
      launchType: "FARGATE",
      deploymentController: { type: "CODE_DEPLOY" },
      networkConfiguration: { subnets: ctx.subnets.map((s) => s.id), securityGroups: [taskSecurityGroup.id], assignPublicIp: true },
      loadBalancers: [{ targetGroupArn: blue.arn, containerName: CONTAINER, containerPort: config.appPort }],
      healthCheckGracePeriodSeconds: 60,
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
    },
    {
      ...opts,
      // The target group must be attached to a listener before the service registers tasks in it.
      dependsOn: [alb.productionListener, ...(alb.testListener ? [alb.testListener] : [])],
      // Releases go through CodeDeploy, which replaces the task set (task definition and target group):
      // Pulumi must not put them back.
      ignoreChanges: ["taskDefinition", "loadBalancers"],
    },
  );

  const ecsDeployRole = codedeployServiceRole(ctx, "ecs", "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS");
  const ecsApp = new aws.codedeploy.Application(`${service}-ecs`, { computePlatform: "ECS" }, opts);
  const group = new SafeDeploymentGroup(
    `${service}-ecs`,
    {
      applicationName: ecsApp.name,
      computePlatform: "ECS",
      serviceRoleArn: ecsDeployRole.arn,
      deploymentConfigName: config.ecsDeploymentConfig,
      ecsService: { clusterName: cluster.name, serviceName: ecsService.name },
      targetGroupPair: {
        targetGroupNames: [blue.name, green.name],
        productionListenerArns: [alb.productionListener.arn],
        ...(alb.testListener ? { testListenerArns: [alb.testListener.arn] } : {}),
      },
      blueGreen: { terminationWaitMinutes: config.ecsTerminationWaitMinutes },
      notificationTopicArn: ctx.deploymentTopic.arn,
      // Load-balancer-wide: whichever target group holds the new task set, its errors and latency count.
      alarms: [...loadBalancerAlarms(ctx, { LoadBalancer: alb.loadBalancer.arnSuffix }), predictionErrorAlarm(ctx, "ecs")],
      tags,
    },
    { provider: ctx.provider },
  );

  return {
    endpoint: alb.url,
    testEndpoint: alb.testUrl,
    applicationName: ecsApp.name,
    deploymentGroupName: group.deploymentGroupName,
    deploymentConfigName: config.ecsDeploymentConfig,
    terminationWaitMinutes: config.ecsTerminationWaitMinutes,
    clusterName: cluster.name,
    serviceName: ecsService.name,
    taskDefinitionFamily: taskDefinition.family,
    containerName: CONTAINER,
    containerPort: config.appPort,
    alarmNames: group.alarmNames,
  };
}
