// SafeDeploymentGroup: a CodeDeploy deployment group that rolls back by itself, for EC2/on-premises
// (`Server`), `Lambda` and `ECS`. It creates the CloudWatch alarms it is given, attaches them, and wires
// automatic rollback on failure and on alarm, so the safe configuration is the one you get by default.
// The argument-to-args logic lives in ./safeDeploymentGroupArgs (pure, no resources) and is re-exported here.
//
//   // EC2: in place through a target group, one host at a time unless a custom config says otherwise.
//   new SafeDeploymentGroup("api-server", {
//     computePlatform: "Server", applicationName: serverApp.name, serviceRoleArn: serverRole.arn,
//     autoscalingGroups: [fleet.name], targetGroupNames: [targetGroup.name], alarms: [...],
//   });
//   // Lambda: a canary on the alias named in each deployment (10 %, then the rest after 5 minutes).
//   new SafeDeploymentGroup("api-fn", {
//     computePlatform: "Lambda", applicationName: lambdaApp.name, serviceRoleArn: lambdaRole.arn, alarms: [...],
//   });
//   // ECS: blue/green between two target groups, a canary shift, the old task set kept two hours.
//   new SafeDeploymentGroup("api-ecs", {
//     computePlatform: "ECS", applicationName: ecsApp.name, serviceRoleArn: ecsRole.arn,
//     ecsService: { clusterName: cluster.name, serviceName: service.name },
//     targetGroupPair: { targetGroupNames: [blue.name, green.name], productionListenerArns: [prod.arn], testListenerArns: [test.arn] },
//     alarms: [...],
//   });
//
// Arguments that would give an unsafe group (no alarm, an all-at-once config, a config of another
// platform, a short blue/green termination wait, an ECS group without its service or target group pair,
// a field another platform takes) throw before any resource is registered, with every reason and what
// to change.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  safeAlarmArgs,
  safeDeploymentGroupArgs,
  validateSafeDeploymentGroupArgs,
  type SafeDeploymentGroupArgs,
} from "./safeDeploymentGroupArgs";

export * from "./safeDeploymentGroupArgs";

export const SAFE_DEPLOYMENT_GROUP_TYPE = "guardrails:codedeploy:SafeDeploymentGroup";

export class SafeDeploymentGroup extends pulumi.ComponentResource {
  /** The CodeDeploy deployment group. */
  public readonly deploymentGroup: aws.codedeploy.DeploymentGroup;
  /** The alarms this component created, in the order of `args.alarms`. */
  public readonly alarms: aws.cloudwatch.MetricAlarm[];
  public readonly deploymentGroupName: pulumi.Output<string>;
  /** Every alarm the group watches (created here and additional ones). */
  public readonly alarmNames: pulumi.Output<string[]>;

  constructor(name: string, args: SafeDeploymentGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SAFE_DEPLOYMENT_GROUP_TYPE, name, {}, opts);
    const problems = validateSafeDeploymentGroupArgs(args);
    if (problems.length > 0) {
      throw new Error(`SafeDeploymentGroup '${name}' is not safe: ${problems.join("; ")}.`);
    }
    this.alarms = args.alarms.map(
      (spec) =>
        new aws.cloudwatch.MetricAlarm(
          `${name}-${spec.key}`,
          safeAlarmArgs(spec, { notificationTopicArn: args.notificationTopicArn, tags: args.tags }),
          { parent: this },
        ),
    );
    const alarmNames = [...this.alarms.map((a) => a.name), ...(args.additionalAlarmNames ?? [])];
    this.deploymentGroup = new aws.codedeploy.DeploymentGroup(name, safeDeploymentGroupArgs(name, args, alarmNames), {
      parent: this,
    });
    this.deploymentGroupName = this.deploymentGroup.deploymentGroupName;
    this.alarmNames = pulumi.all(alarmNames);
    this.registerOutputs({
      deploymentGroupName: this.deploymentGroupName,
      deploymentGroupArn: this.deploymentGroup.arn,
      alarmNames: this.alarmNames,
    });
  }
}
