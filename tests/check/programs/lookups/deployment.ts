// The deployment group lives in its own file, as in most real programs: `check` must locate a finding
// on the line below that creates it, not on the program's entry file.
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** A Server group that rolls back on failure but configures no alarm. */
export function serverDeploymentGroup(name: string, appName: pulumi.Input<string>, serviceRoleArn: pulumi.Input<string>) {
  return new aws.codedeploy.DeploymentGroup(name, {
    appName,
    deploymentGroupName: name,
    serviceRoleArn,
    deploymentConfigName: "CodeDeployDefault.HalfAtATime",
    autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
  });
}
