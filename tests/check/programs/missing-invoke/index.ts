// Test program for `check`: the ECS cluster lookup has no built-in result, so it needs --mocks.
import * as aws from "@pulumi/aws";

const cluster = aws.ecs.getClusterOutput({ clusterName: "inference" });
const app = new aws.codedeploy.Application("app", { computePlatform: "ECS" });
new aws.codedeploy.DeploymentGroup("api", {
  appName: app.name,
  deploymentGroupName: "api",
  serviceRoleArn: "arn:aws:iam::123456789012:role/deployer",
  deploymentConfigName: "CodeDeployDefault.ECSCanary10Percent5Minutes",
  autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
  alarmConfiguration: { enabled: true, alarms: ["api-5xx"] },
  deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" },
  ecsService: { clusterName: cluster.clusterName, serviceName: cluster.arn.apply((arn) => arn.split("/").pop()!) },
});
