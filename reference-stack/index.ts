// Reference stack: an AI model-serving service on AWS, deployed with CodeDeploy and rolled back
// automatically when a model release degrades it. Three paths, each of which can be left out
// (`enableEc2`, `enableLambda`, `enableEcs`):
//
// - EC2 (./ec2.ts): an Auto Scaling group of inference hosts behind an Application Load Balancer, a
//   CodeDeploy `Server` application and a custom config that keeps two thirds of the fleet healthy.
// - Lambda (./lambda.ts): an inference function with a `live` alias, shifted by canary.
// - ECS (./ecs.ts): a Fargate service with the CODE_DEPLOY controller behind a load balancer with a
//   production and a test listener and two target groups, shifted blue/green by canary.
//
// Every group comes from SafeDeploymentGroup: rollback on DEPLOYMENT_FAILURE and DEPLOYMENT_STOP_ON_ALARM,
// with alarms on what a bad model release breaks (5xx rate, p99 latency, Lambda errors and duration, and
// the prediction error rate the service publishes).

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./config";
import type { StackContext } from "./context";
import { ec2Path } from "./ec2";
import { ecsPath } from "./ecs";
import { lambdaPath } from "./lambda";
import { createNetwork } from "./network";

const config = loadConfig();
const stack = pulumi.getStack();
const service = config.serviceName;
const tags = { Service: service, Stack: stack, ManagedBy: "pulumi" };

const provider = new aws.Provider("aws", { region: config.region, defaultTags: { tags } });
const opts: pulumi.CustomResourceOptions = { provider };

const { vpc, subnets } = createNetwork(service, config.vpcCidr, opts);
const deploymentTopic = new aws.sns.Topic(`${service}-deployments`, {}, opts);
if (config.notificationEmail) {
  new aws.sns.TopicSubscription(
    `${service}-deployments-email`,
    { topic: deploymentTopic.arn, protocol: "email", endpoint: config.notificationEmail },
    opts,
  );
}
const ctx: StackContext = { config, service, stack, tags, provider, opts, vpc, subnets, deploymentTopic };

const ec2 = config.paths.has("ec2") ? ec2Path(ctx) : undefined;
const fn = config.paths.has("lambda") ? lambdaPath(ctx) : undefined;
const container = config.paths.has("ecs") ? ecsPath(ctx) : undefined;

// ---------------------------------------------------------------------------------------------
export const region = config.region;
export const deploymentTopicArn = deploymentTopic.arn;
export const endpoint = ec2?.endpoint;
export const revisionsBucket = ec2?.revisionsBucket;
export const server = ec2?.outputs;
export const lambda = fn;
export const ecs = container;
/** What a reviewer should know before exposing this stack; empty when nothing needs attention. */
export const warnings: string[] = [
  ...(config.certificateArn === undefined && (ec2 || container)
    ? [
        "No certificateArn is configured: the load balancers serve plain HTTP, unencrypted. Set certificateArn to an ACM certificate to serve HTTPS (HTTP then redirects to it).",
      ]
    : []),
  ...(config.ingressCidrs.includes("0.0.0.0/0") && (ec2 || container)
    ? [
        "ingressCidr is 0.0.0.0/0: the load balancers accept requests from the whole internet. Narrow it to your clients' CIDR blocks if they are known.",
      ]
    : []),
];
