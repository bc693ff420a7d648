// Test program for `check`: the deployment config name is a secret in the stack's config, so its
// plaintext is unknown offline and the verdict that depends on it can only be advisory.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const app = new aws.codedeploy.Application("app", { computePlatform: "Server" });
new aws.codedeploy.DeploymentGroup("api", {
  appName: app.name,
  deploymentGroupName: "api",
  serviceRoleArn: "arn:aws:iam::123456789012:role/deployer",
  deploymentConfigName: config.requireSecret("deploymentConfig"),
  autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
  alarmConfiguration: { enabled: true, alarms: [config.require("alarmName")] },
  tags: { minHealthyHosts: String(config.requireNumber("minHealthyHosts")) },
});
