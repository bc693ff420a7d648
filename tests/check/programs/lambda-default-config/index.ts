// Test program for `check`: the AWS classic provider fills `deploymentConfigName:
// CodeDeployDefault.OneAtATime` into a group that names none, Lambda groups included, so what the
// pack sees in a real preview is not what the program wrote. The group is otherwise compliant.
import * as aws from "@pulumi/aws";

const app = new aws.codedeploy.Application("scoring-app", { computePlatform: "Lambda" });
const alarm = new aws.cloudwatch.MetricAlarm("scoring-errors", {
  comparisonOperator: "GreaterThanThreshold",
  evaluationPeriods: 1,
  metricName: "Errors",
  namespace: "AWS/Lambda",
  period: 60,
  statistic: "Sum",
  threshold: 0,
});
new aws.codedeploy.DeploymentGroup("scoring", {
  appName: app.name,
  deploymentGroupName: "scoring",
  serviceRoleArn: "arn:aws:iam::123456789012:role/deployer",
  deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
  autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
  alarmConfiguration: { enabled: true, alarms: [alarm.name] },
});
