// The classic "automatic rollback on CodeDeploy" example that many tutorials give, ported to
// TypeScript as it is usually written. It deploys, and it looks safe: automatic rollback is enabled
// and lists DEPLOYMENT_STOP_ON_ALARM. But no CloudWatch alarm is configured, so nothing can ever stop
// a deployment on an alarm: a release that breaks the service rolls back only if the deployment itself
// fails. The custom config keeps a single host healthy (HOST_COUNT 1), whatever the fleet size.
//
// Run the codedeploy-guardrails pack on it to see the report; ../../reference-stack is the fix.

import * as aws from "@pulumi/aws";

const fooRole = new aws.iam.Role("foo_role", {
  name: "foo-role",
  assumeRolePolicy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "",
        Effect: "Allow",
        Principal: { Service: "codedeploy.amazonaws.com" },
        Action: "sts:AssumeRole",
      },
    ],
  }),
});

new aws.iam.RolePolicyAttachment("AWSCodeDeployRole", {
  policyArn: "arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole",
  role: fooRole.name,
});

const fooApp = new aws.codedeploy.Application("foo_app", {
  computePlatform: "Server",
  name: "foo-app",
});

const fooTopic = new aws.sns.Topic("foo_topic", { name: "foo-topic" });

const fooDeploymentConfig = new aws.codedeploy.DeploymentConfig("foo", {
  deploymentConfigName: "test-deployment-config",
  minimumHealthyHosts: {
    type: "HOST_COUNT",
    value: 1,
  },
});

const foo = new aws.codedeploy.DeploymentGroup("foo", {
  appName: fooApp.name,
  deploymentGroupName: "bar",
  serviceRoleArn: fooRole.arn,
  deploymentConfigName: fooDeploymentConfig.id,
  ec2TagFilters: [
    {
      key: "filterkey",
      type: "KEY_AND_VALUE",
      value: "filtervalue",
    },
  ],
  triggerConfigurations: [
    {
      triggerEvents: ["DeploymentFailure"],
      triggerName: "foo-trigger",
      triggerTargetArn: fooTopic.arn,
    },
  ],
  autoRollbackConfiguration: {
    enabled: true,
    events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
  },
});

export const deploymentGroupName = foo.deploymentGroupName;
export const deploymentConfigName = fooDeploymentConfig.deploymentConfigName;
