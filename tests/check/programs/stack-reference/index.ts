// Test program for `check`: the alarms come from the monitoring stack through a StackReference, so
// the verdict depends on that stack's outputs, given to `check` with --mocks.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const monitoring = new pulumi.StackReference("acme/monitoring/prod");
const alarmNames = monitoring.requireOutput("alarmNames").apply((names) => (names as string[]).map((name) => name.trim()));

const app = new aws.codedeploy.Application("app", { computePlatform: "Server" });
new aws.codedeploy.DeploymentGroup("api", {
  appName: app.name,
  deploymentGroupName: "api",
  serviceRoleArn: "arn:aws:iam::123456789012:role/deployer",
  deploymentConfigName: "CodeDeployDefault.HalfAtATime",
  autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
  alarmConfiguration: { enabled: true, alarms: alarmNames },
});
