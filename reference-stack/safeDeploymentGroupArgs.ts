// The pure half of SafeDeploymentGroup: from a few arguments to the exact `aws.codedeploy.DeploymentGroup`
// and `aws.cloudwatch.MetricAlarm` arguments. No resource is created here and `@pulumi/aws` is only
// imported for its types, so tests (including property-based ones) can call these functions directly.
//
// What "safe" means, by construction:
// - automatic rollback is enabled on DEPLOYMENT_FAILURE and DEPLOYMENT_STOP_ON_ALARM (and, on request,
//   DEPLOYMENT_STOP_ON_REQUEST), never fewer;
// - at least one and at most 10 CloudWatch alarms are attached, alarm monitoring is enabled and
//   `ignorePollAlarmFailure` is false, so an unreadable alarm stops the deployment instead of letting it pass;
// - Server groups keep outdated instances in sync (`UPDATE`) and default to one host at a time;
// - Lambda groups shift traffic gradually (a canary by default) and refuse all-at-once configs;
// - blue/green Server groups keep the original fleet for at least an hour after success.

import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

export type ComputePlatform = "Server" | "Lambda";

export const REQUIRED_ROLLBACK_EVENTS = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] as const;
export const MAX_ALARMS = 10;
export const MIN_BLUE_GREEN_TERMINATION_WAIT_MINUTES = 60;
export const MAX_BLUE_GREEN_TERMINATION_WAIT_MINUTES = 2880;

export const DEFAULT_DEPLOYMENT_CONFIG: Record<ComputePlatform, string> = {
  Server: "CodeDeployDefault.OneAtATime",
  Lambda: "CodeDeployDefault.LambdaCanary10Percent5Minutes",
};

/** Built-in configs that deploy everywhere at once (or to half the fleet): never the safe choice. */
export const UNSAFE_BUILT_IN_CONFIGS: Record<ComputePlatform, readonly string[]> = {
  Server: ["CodeDeployDefault.AllAtOnce", "CodeDeployDefault.HalfAtATime"],
  Lambda: ["CodeDeployDefault.LambdaAllAtOnce"],
};

/** The CodeDeploy trigger events the notification topic receives. */
export const TRIGGER_EVENTS = [
  "DeploymentStart",
  "DeploymentSuccess",
  "DeploymentFailure",
  "DeploymentStop",
  "DeploymentRollback",
  "DeploymentReady",
] as const;

export type ComparisonOperator =
  "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";

export type TreatMissingData = "notBreaching" | "breaching" | "ignore" | "missing";

export interface AlarmMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions?: Readonly<Record<string, pulumi.Input<string>>>;
  /** A plain statistic (`Sum`, `Average`, ...) or a percentile (`p99`). Default `Average`. */
  readonly stat?: string;
  readonly unit?: string;
}

export interface AlarmExpression {
  /** Metric math over the `metrics` ids, e.g. `100 * FILL(errors, 0) / requests`. */
  readonly expression: string;
  readonly label: string;
  readonly metrics: Readonly<Record<string, AlarmMetric>>;
}

/** One CloudWatch alarm that stops (and so rolls back) a deployment when it fires. */
export interface AlarmSpec {
  /** Short name, unique in the group; the alarm resource is `<group>-<key>`. Lowercase letters, digits and dashes. */
  readonly key: string;
  readonly description: string;
  /** Exactly one of `metric` and `expression`. */
  readonly metric?: AlarmMetric;
  readonly expression?: AlarmExpression;
  readonly threshold: number;
  /** Default `GreaterThanThreshold`. */
  readonly comparisonOperator?: ComparisonOperator;
  /** Default 60. */
  readonly periodSeconds?: number;
  /** Default 3. */
  readonly evaluationPeriods?: number;
  /** Default 2 (or `evaluationPeriods` when smaller). */
  readonly datapointsToAlarm?: number;
  /** Default `notBreaching`: no traffic is not a failed release. */
  readonly treatMissingData?: TreatMissingData;
}

export interface BlueGreenOptions {
  /** How long the original fleet stays after success, available for a rollback. Default 120, at least 60. */
  readonly terminationWaitMinutes?: number;
}

export interface SafeDeploymentGroupArgs {
  /** The CodeDeploy application's name (e.g. `application.name`). */
  readonly applicationName: pulumi.Input<string>;
  /** Must match the application's compute platform. */
  readonly computePlatform: ComputePlatform;
  /** A service role with the AWS managed CodeDeploy policy for the platform. */
  readonly serviceRoleArn: pulumi.Input<string>;
  /** Default: the component's name. */
  readonly deploymentGroupName?: pulumi.Input<string>;
  /** Default: `CodeDeployDefault.OneAtATime` (Server) or `CodeDeployDefault.LambdaCanary10Percent5Minutes` (Lambda). */
  readonly deploymentConfigName?: pulumi.Input<string>;
  /** The alarms the component creates and attaches. */
  readonly alarms: readonly AlarmSpec[];
  /** Names of alarms defined elsewhere, attached as well (at most 10 alarms in total). */
  readonly additionalAlarmNames?: readonly pulumi.Input<string>[];
  /** Also roll back when someone stops a deployment by hand (DEPLOYMENT_STOP_ON_REQUEST). */
  readonly rollbackOnManualStop?: boolean;
  /** Server: the Auto Scaling groups deployed to. */
  readonly autoscalingGroups?: readonly pulumi.Input<string>[];
  /** Server: target groups CodeDeploy takes instances out of while it deploys (traffic control). */
  readonly targetGroupNames?: readonly pulumi.Input<string>[];
  /** Server: a blue/green deployment (copies the Auto Scaling group) instead of in-place. */
  readonly blueGreen?: BlueGreenOptions;
  /** SNS topic for deployment triggers and alarm notifications. */
  readonly notificationTopicArn?: pulumi.Input<string>;
  readonly tags?: Readonly<Record<string, string>>;
}

const ALARM_KEY = /^[a-z0-9][a-z0-9-]{0,39}$/;
const STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];
const PERCENTILE = /^p(\d{1,2}(\.\d{1,2})?|100)$/;

function isPercentile(stat: string): boolean {
  return PERCENTILE.test(stat);
}

/** Every reason the arguments would not give a safe group; empty when they do. */
export function validateSafeDeploymentGroupArgs(args: SafeDeploymentGroupArgs): string[] {
  const problems: string[] = [];
  const platform = args.computePlatform;
  if (platform !== "Server" && platform !== "Lambda") {
    problems.push(`computePlatform must be Server or Lambda, got ${String(platform)}`);
    return problems;
  }
  const alarmCount = args.alarms.length + (args.additionalAlarmNames?.length ?? 0);
  if (alarmCount < 1) {
    problems.push("at least one alarm is required: DEPLOYMENT_STOP_ON_ALARM does nothing without alarms");
  }
  if (alarmCount > MAX_ALARMS) {
    problems.push(`at most ${MAX_ALARMS} alarms can be attached to a deployment group (CodeDeploy limit), got ${alarmCount}`);
  }
  const keys = new Set<string>();
  for (const alarm of args.alarms) {
    if (!ALARM_KEY.test(alarm.key)) problems.push(`alarm key '${alarm.key}' must be 1-40 lowercase letters, digits or dashes`);
    if (keys.has(alarm.key)) problems.push(`alarm key '${alarm.key}' is used twice`);
    keys.add(alarm.key);
    if ((alarm.metric === undefined) === (alarm.expression === undefined)) {
      problems.push(`alarm '${alarm.key}' needs exactly one of metric and expression`);
    }
    if (!Number.isFinite(alarm.threshold)) problems.push(`alarm '${alarm.key}' has a threshold that is not a finite number`);
    const period = alarm.periodSeconds ?? 60;
    if (![10, 20, 30].includes(period) && (period < 60 || period % 60 !== 0)) {
      problems.push(`alarm '${alarm.key}' period must be 10, 20, 30 or a multiple of 60 seconds, got ${period}`);
    }
    const evaluationPeriods = alarm.evaluationPeriods ?? 3;
    if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) {
      problems.push(`alarm '${alarm.key}' evaluationPeriods must be a positive integer`);
    }
    const datapoints = alarm.datapointsToAlarm;
    if (datapoints !== undefined && (!Number.isInteger(datapoints) || datapoints < 1 || datapoints > evaluationPeriods)) {
      problems.push(`alarm '${alarm.key}' datapointsToAlarm must be between 1 and evaluationPeriods (${evaluationPeriods})`);
    }
    const metrics = alarm.metric ? [alarm.metric] : Object.values(alarm.expression?.metrics ?? {});
    for (const m of metrics) {
      const stat = m.stat ?? "Average";
      if (!STATISTICS.includes(stat) && !isPercentile(stat)) {
        problems.push(`alarm '${alarm.key}' statistic '${stat}' is neither a CloudWatch statistic nor a percentile like p99`);
      }
    }
  }
  const configName = args.deploymentConfigName;
  if (typeof configName === "string") {
    if (UNSAFE_BUILT_IN_CONFIGS[platform].includes(configName)) {
      problems.push(
        platform === "Lambda"
          ? `${configName} shifts all traffic at once; use a canary or linear config such as ${DEFAULT_DEPLOYMENT_CONFIG.Lambda}`
          : `${configName} takes too many hosts out of service at once; use ${DEFAULT_DEPLOYMENT_CONFIG.Server} or a custom config`,
      );
    }
    if (configName.startsWith("CodeDeployDefault.")) {
      const lambdaConfig = configName.startsWith("CodeDeployDefault.Lambda");
      const ecsConfig = configName.startsWith("CodeDeployDefault.ECS");
      if ((platform === "Lambda" && !lambdaConfig) || (platform === "Server" && (lambdaConfig || ecsConfig))) {
        problems.push(`${configName} is not a ${platform} deployment config`);
      }
    }
  }
  if (platform === "Lambda") {
    if (args.autoscalingGroups?.length) problems.push("autoscalingGroups only apply to Server groups");
    if (args.targetGroupNames?.length) problems.push("targetGroupNames only apply to Server groups");
    if (args.blueGreen)
      problems.push("blueGreen options only apply to Server groups (Lambda deployments always shift traffic between versions)");
  } else {
    if (!args.autoscalingGroups?.length) problems.push("a Server group needs at least one Auto Scaling group to deploy to");
    if (args.blueGreen) {
      const wait = args.blueGreen.terminationWaitMinutes ?? 120;
      if (!Number.isInteger(wait) || wait < MIN_BLUE_GREEN_TERMINATION_WAIT_MINUTES || wait > MAX_BLUE_GREEN_TERMINATION_WAIT_MINUTES) {
        problems.push(
          `blueGreen.terminationWaitMinutes must be an integer from ${MIN_BLUE_GREEN_TERMINATION_WAIT_MINUTES} to ${MAX_BLUE_GREEN_TERMINATION_WAIT_MINUTES} so the original fleet stays available for a rollback, got ${wait}`,
        );
      }
      if (!args.targetGroupNames?.length) problems.push("a blue/green Server group needs targetGroupNames to reroute traffic");
    }
  }
  return problems;
}

export function rollbackEvents(args: Pick<SafeDeploymentGroupArgs, "rollbackOnManualStop">): string[] {
  return [...REQUIRED_ROLLBACK_EVENTS, ...(args.rollbackOnManualStop ? ["DEPLOYMENT_STOP_ON_REQUEST"] : [])];
}

/** Arguments of the `aws.codedeploy.DeploymentGroup`, given the names of the alarms to attach. */
export function safeDeploymentGroupArgs(
  name: string,
  args: SafeDeploymentGroupArgs,
  alarmNames: readonly pulumi.Input<string>[],
): aws.codedeploy.DeploymentGroupArgs {
  const platform = args.computePlatform;
  const server = platform === "Server";
  const trafficControl = !server || (args.targetGroupNames?.length ?? 0) > 0;
  const blueGreen = server && args.blueGreen !== undefined;
  return {
    appName: args.applicationName,
    deploymentGroupName: args.deploymentGroupName ?? name,
    serviceRoleArn: args.serviceRoleArn,
    deploymentConfigName: args.deploymentConfigName ?? DEFAULT_DEPLOYMENT_CONFIG[platform],
    autoRollbackConfiguration: { enabled: true, events: rollbackEvents(args) },
    alarmConfiguration: { enabled: true, alarms: [...alarmNames], ignorePollAlarmFailure: false },
    deploymentStyle: {
      deploymentOption: trafficControl ? "WITH_TRAFFIC_CONTROL" : "WITHOUT_TRAFFIC_CONTROL",
      deploymentType: server && !blueGreen ? "IN_PLACE" : "BLUE_GREEN",
    },
    ...(server
      ? {
          autoscalingGroups: [...(args.autoscalingGroups ?? [])],
          outdatedInstancesStrategy: "UPDATE",
          ...(args.targetGroupNames?.length
            ? { loadBalancerInfo: { targetGroupInfos: args.targetGroupNames.map((tg) => ({ name: tg })) } }
            : {}),
        }
      : {}),
    ...(blueGreen
      ? {
          blueGreenDeploymentConfig: {
            deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
            greenFleetProvisioningOption: { action: "COPY_AUTO_SCALING_GROUP" },
            terminateBlueInstancesOnDeploymentSuccess: {
              action: "TERMINATE",
              terminationWaitTimeInMinutes: args.blueGreen?.terminationWaitMinutes ?? 120,
            },
          },
        }
      : {}),
    ...(args.notificationTopicArn !== undefined
      ? {
          triggerConfigurations: [
            { triggerName: `${name}-deployments`, triggerTargetArn: args.notificationTopicArn, triggerEvents: [...TRIGGER_EVENTS] },
          ],
        }
      : {}),
    ...(args.tags ? { tags: { ...args.tags } } : {}),
  };
}

function metricStat(m: AlarmMetric): { statistic?: string; extendedStatistic?: string } {
  const stat = m.stat ?? "Average";
  return isPercentile(stat) ? { extendedStatistic: stat } : { statistic: stat };
}

/** Arguments of one `aws.cloudwatch.MetricAlarm`. */
export function safeAlarmArgs(
  spec: AlarmSpec,
  options: { notificationTopicArn?: pulumi.Input<string>; tags?: Readonly<Record<string, string>> } = {},
): aws.cloudwatch.MetricAlarmArgs {
  const period = spec.periodSeconds ?? 60;
  const evaluationPeriods = spec.evaluationPeriods ?? 3;
  const actions = options.notificationTopicArn !== undefined ? [options.notificationTopicArn] : undefined;
  const common: aws.cloudwatch.MetricAlarmArgs = {
    alarmDescription: spec.description,
    comparisonOperator: spec.comparisonOperator ?? "GreaterThanThreshold",
    threshold: spec.threshold,
    evaluationPeriods,
    datapointsToAlarm: spec.datapointsToAlarm ?? Math.min(2, evaluationPeriods),
    treatMissingData: spec.treatMissingData ?? "notBreaching",
    actionsEnabled: true,
    ...(actions ? { alarmActions: actions, okActions: actions } : {}),
    ...(options.tags ? { tags: { ...options.tags } } : {}),
  };
  if (spec.metric) {
    const m = spec.metric;
    const stat = metricStat(m);
    return {
      ...common,
      namespace: m.namespace,
      metricName: m.metricName,
      period,
      ...(stat.statistic ? { statistic: stat.statistic } : { extendedStatistic: stat.extendedStatistic }),
      ...(m.dimensions ? { dimensions: { ...m.dimensions } } : {}),
      ...(m.unit ? { unit: m.unit } : {}),
    };
  }
  const e = spec.expression!;
  return {
    ...common,
    metricQueries: [
      { id: "e1", expression: e.expression, label: e.label, returnData: true },
      ...Object.entries(e.metrics).map(([id, m]) => ({
        id,
        returnData: false,
        metric: {
          namespace: m.namespace,
          metricName: m.metricName,
          period,
          stat: m.stat ?? "Sum",
          ...(m.dimensions ? { dimensions: { ...m.dimensions } } : {}),
          ...(m.unit ? { unit: m.unit } : {}),
        },
      })),
    ],
  };
}
