// What every deployment path of the reference stack shares: the config, the explicit AWS provider, the
// tags, the network, the notification topic, and small builders for roles and alarms.

import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config";
import type { AlarmSpec } from "./safeDeploymentGroupArgs";

export interface StackContext {
  readonly config: StackConfig;
  readonly service: string;
  readonly stack: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly provider: aws.Provider;
  /** `{ provider }`: every resource uses the explicit provider, never a default one. */
  readonly opts: pulumi.CustomResourceOptions;
  readonly vpc: aws.ec2.Vpc;
  readonly subnets: readonly aws.ec2.Subnet[];
  readonly deploymentTopic: aws.sns.Topic;
}

export function assumeRolePolicy(servicePrincipal: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: servicePrincipal }, Action: "sts:AssumeRole" }],
  });
}

/**
 * A CodeDeploy service role for one platform with only that platform's AWS managed policy
 * (`AWSCodeDeployRole` for Server, `AWSCodeDeployRoleForLambda`, `AWSCodeDeployRoleForECS`).
 */
export function codedeployServiceRole(ctx: StackContext, platform: string, managedPolicyArn: string): aws.iam.Role {
  const role = new aws.iam.Role(
    `${ctx.service}-codedeploy-${platform}`,
    { assumeRolePolicy: assumeRolePolicy("codedeploy.amazonaws.com") },
    ctx.opts,
  );
  new aws.iam.RolePolicyAttachment(`${ctx.service}-codedeploy-${platform}`, { role: role.name, policyArn: managedPolicyArn }, ctx.opts);
  return role;
}

/** The model-quality alarm: the share of failed predictions the service publishes for one platform. */
export function predictionErrorAlarm(ctx: StackContext, platform: "ec2" | "lambda" | "ecs"): AlarmSpec {
  return {
    key: "prediction-errors",
    description: `Share of failed ${platform} predictions above ${ctx.config.predictionErrorRate * 100}% (model quality)`,
    metric: {
      namespace: ctx.config.metricsNamespace,
      metricName: "PredictionError",
      dimensions: { Service: ctx.service, Platform: platform },
      stat: "Average",
    },
    threshold: ctx.config.predictionErrorRate,
  };
}

/**
 * The load balancer alarms: target 5xx share of requests and p99 target response time, for the given
 * dimensions (a load balancer, and a target group when one is fixed).
 */
export function loadBalancerAlarms(ctx: StackContext, dimensions: Readonly<Record<string, pulumi.Input<string>>>): AlarmSpec[] {
  const metric = (metricName: string) => ({ namespace: "AWS/ApplicationELB", metricName, dimensions, stat: "Sum" });
  return [
    {
      key: "alb-5xx-rate",
      description: `Target 5xx responses above ${ctx.config.alb5xxRatePercent}% of requests`,
      expression: {
        expression: "100 * FILL(errors, 0) / requests",
        label: "5xx rate (%)",
        metrics: { errors: metric("HTTPCode_Target_5XX_Count"), requests: metric("RequestCount") },
      },
      threshold: ctx.config.alb5xxRatePercent,
    },
    {
      key: "alb-p99-latency",
      description: `p99 target response time above ${ctx.config.albP99LatencySeconds}s`,
      metric: { namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime", dimensions, stat: "p99" },
      threshold: ctx.config.albP99LatencySeconds,
    },
  ];
}
