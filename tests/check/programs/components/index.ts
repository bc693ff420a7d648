// Test program for `check`: URNs as the engine forms them. A group inside a component inside a
// component, a top-level group, and a group whose explicit parent is a custom resource.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const ROLLBACK = { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] };

class Rollout extends pulumi.ComponentResource {
  readonly group: aws.codedeploy.DeploymentGroup;
  constructor(name: string, appName: pulumi.Input<string>, opts?: pulumi.ComponentResourceOptions) {
    super("acme:inference:Rollout", name, {}, opts);
    this.group = new aws.codedeploy.DeploymentGroup(
      `${name}-group`,
      {
        appName,
        deploymentGroupName: name,
        serviceRoleArn: "arn:aws:iam::123456789012:role/deployer",
        autoRollbackConfiguration: ROLLBACK,
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}

class InferenceService extends pulumi.ComponentResource {
  readonly rollout: Rollout;
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("acme:inference:Service", name, {}, opts);
    const app = new aws.codedeploy.Application(`${name}-app`, { computePlatform: "Server" }, { parent: this });
    this.rollout = new Rollout(`${name}-rollout`, app.name, { parent: this });
    this.registerOutputs({});
  }
}

new InferenceService("inference");

const app = new aws.codedeploy.Application("batch-app", { computePlatform: "Server" });
new aws.codedeploy.DeploymentGroup("batch", {
  appName: app.name,
  deploymentGroupName: "batch",
  serviceRoleArn: "arn:aws:iam::123456789012:role/deployer",
  autoRollbackConfiguration: ROLLBACK,
});
new aws.codedeploy.DeploymentGroup(
  "batch-canary",
  {
    appName: app.name,
    deploymentGroupName: "batch-canary",
    serviceRoleArn: "arn:aws:iam::123456789012:role/deployer",
    autoRollbackConfiguration: ROLLBACK,
  },
  { parent: app },
);
