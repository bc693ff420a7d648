// The pure half of SafeDeploymentGroup: from a few arguments to the exact `aws.codedeploy.DeploymentGroup`
// and `aws.cloudwatch.MetricAlarm` arguments. No resource is created here and `@pulumi/aws` is only
// imported for its types, so tests (including property-based ones) can call these functions directly.
//
// What "safe" means, by construction, on every platform:
// - automatic rollback is enabled on DEPLOYMENT_FAILURE and DEPLOYMENT_STOP_ON_ALARM (and, on request,
//   DEPLOYMENT_STOP_ON_REQUEST), never fewer;
// - at least one and at most 10 CloudWatch alarms are attached, alarm monitoring is enabled and
//   `ignorePollAlarmFailure` is false, so an unreadable alarm stops the deployment instead of letting it pass.
// And per platform:
// - Server (EC2/on-premises): outdated instances are kept in sync (`UPDATE`), the default config takes one
//   host at a time, and a blue/green group keeps the original fleet for at least an hour after success;
// - Lambda: traffic shifts gradually (a canary by default), never all at once;
// - ECS: always blue/green between two target groups behind a production (and optional test) listener,
//   traffic shifts gradually (a canary by default), and the original task set stays for at least an hour
//   after success, so a rollback is a listener switch, not a redeploy.

import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

export type ComputePlatform = "Server" | "Lambda" | "ECS";
export const COMPUTE_PLATFORMS: readonly ComputePlatform[] = ["Server", "Lambda", "ECS"];

export const REQUIRED_ROLLBACK_EVENTS = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] as const;
export const MAX_ALARMS = 10;
export const MIN_BLUE_GREEN_TERMINATION_WAIT_MINUTES = 60;
export const MAX_BLUE_GREEN_TERMINATION_WAIT_MINUTES = 2880;
export const DEFAULT_BLUE_GREEN_TERMINATION_WAIT_MINUTES = 120;

const BUILT_IN_PREFIX = "CodeDeployDefault.";

export const DEFAULT_DEPLOYMENT_CONFIG: Record<ComputePlatform, string> = {
  Server: "CodeDeployDefault.OneAtATime",
  Lambda: "CodeDeployDefault.LambdaCanary10Percent5Minutes",
  ECS: "CodeDeployDefault.ECSCanary10Percent5Minutes",
};

/** Built-in configs that deploy everywhere at once (or to half the fleet): never the safe choice. */
export const UNSAFE_BUILT_IN_CONFIGS: Record<ComputePlatform, readonly string[]> = {
  Server: ["CodeDeployDefault.AllAtOnce", "CodeDeployDefault.HalfAtATime"],
  Lambda: ["CodeDeployDefault.LambdaAllAtOnce"],
  ECS: ["CodeDeployDefault.ECSAllAtOnce"],
};

/**
 * The built-in canary and linear configs CodeDeploy documents for Lambda and ECS (the CodeDeploy user
 * guide's list of predefined deployment configurations). A `CodeDeployDefault.` name that is not listed
 * is refused rather than guessed at: it may not exist, or not shift gradually.
 */
export const GRADUAL_BUILT_IN_CONFIGS: Record<"Lambda" | "ECS", readonly string[]> = {
  Lambda: [
    "CodeDeployDefault.LambdaCanary10Percent5Minutes",
    "CodeDeployDefault.LambdaCanary10Percent10Minutes",
    "CodeDeployDefault.LambdaCanary10Percent15Minutes",
    "CodeDeployDefault.LambdaCanary10Percent30Minutes",
    "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
    "CodeDeployDefault.LambdaLinear10PercentEvery2Minutes",
    "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes",
    "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes",
  ],
  ECS: [
    "CodeDeployDefault.ECSCanary10Percent5Minutes",
    "CodeDeployDefault.ECSCanary10Percent15Minutes",
    "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
    "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
  ],
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
  /**
   * How long the original fleet (Server) or task set (ECS) stays after success, available for a rollback.
   * Default 120, at least 60, at most 2880 (CodeDeploy's limit).
   */
  readonly terminationWaitMinutes?: number;
}

/** ECS: the service CodeDeploy deploys (its deployment controller must be `CODE_DEPLOY`). */
export interface EcsServiceTarget {
  readonly clusterName: pulumi.Input<string>;
  readonly serviceName: pulumi.Input<string>;
}

/** ECS: the two target groups CodeDeploy moves traffic between, and the listeners that route it. */
export interface TargetGroupPair {
  /** Exactly two: the one the service is registered with, then the one the replacement task set starts in. */
  readonly targetGroupNames: readonly pulumi.Input<string>[];
  /** Listener(s) serving production traffic; CodeDeploy shifts them from one target group to the other. */
  readonly productionListenerArns: readonly pulumi.Input<string>[];
  /** Listener(s) that reach the replacement task set before production traffic does. Optional. */
  readonly testListenerArns?: readonly pulumi.Input<string>[];
}

/**
 * Arguments of a SafeDeploymentGroup. One interface for the three platforms; the platform-specific fields
 * are checked by `validateSafeDeploymentGroupArgs`, which says which ones a platform needs or refuses:
 *
 * - `Server`: `autoscalingGroups` (required), `targetGroupNames` (traffic control), `blueGreen` (copies the
 *   Auto Scaling group; needs `targetGroupNames`).
 * - `Lambda`: nothing else; the Lambda alias is named in each deployment's AppSpec.
 * - `ECS`: `ecsService` and `targetGroupPair` (both required), `blueGreen` (optional: ECS is always
 *   blue/green, and the original task set is kept 120 minutes by default).
 */
export interface SafeDeploymentGroupArgs {
  /** The CodeDeploy application's name (e.g. `application.name`). */
  readonly applicationName: pulumi.Input<string>;
  /** Must match the application's compute platform. */
  readonly computePlatform: ComputePlatform;
  /**
   * A service role with the AWS managed CodeDeploy policy for the platform (`AWSCodeDeployRole`,
   * `AWSCodeDeployRoleForLambda`, `AWSCodeDeployRoleForECS`), plus whatever the enabled options need
   * (a Server group on an Auto Scaling group with a launch template: `ec2:RunInstances`, `ec2:CreateTags`,
   * `iam:PassRole` for the instance role).
   */
  readonly serviceRoleArn: pulumi.Input<string>;
  /** Default: the component's name. */
  readonly deploymentGroupName?: pulumi.Input<string>;
  /**
   * Default: `CodeDeployDefault.OneAtATime` (Server), `CodeDeployDefault.LambdaCanary10Percent5Minutes`
   * (Lambda), `CodeDeployDefault.ECSCanary10Percent5Minutes` (ECS). All-at-once configs are refused.
   */
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
  /** Server: a blue/green deployment (copies the Auto Scaling group) instead of in-place. ECS: the termination wait. */
  readonly blueGreen?: BlueGreenOptions;
  /** ECS: the service deployed. */
  readonly ecsService?: EcsServiceTarget;
  /** ECS: the target groups and listeners traffic moves between. */
  readonly targetGroupPair?: TargetGroupPair;
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

/** The platform a built-in config name belongs to, from its name. */
function builtInPlatform(name: string): ComputePlatform {
  if (name.startsWith(`${BUILT_IN_PREFIX}Lambda`)) return "Lambda";
  if (name.startsWith(`${BUILT_IN_PREFIX}ECS`)) return "ECS";
  return "Server";
}

function alarmProblems(args: SafeDeploymentGroupArgs): string[] {
  const problems: string[] = [];
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
  return problems;
}

function configProblems(platform: ComputePlatform, configName: pulumi.Input<string> | undefined): string[] {
  // A name computed by another resource (a custom config's `deploymentConfigName`) is checked by the pack.
  if (typeof configName !== "string") return [];
  if (UNSAFE_BUILT_IN_CONFIGS[platform].includes(configName)) {
    return [
      platform === "Server"
        ? `${configName} takes too many hosts out of service at once; use ${DEFAULT_DEPLOYMENT_CONFIG.Server} or a custom config`
        : `${configName} shifts all traffic at once; use a canary or linear config such as ${DEFAULT_DEPLOYMENT_CONFIG[platform]}`,
    ];
  }
  if (!configName.startsWith(BUILT_IN_PREFIX)) return [];
  if (builtInPlatform(configName) !== platform)
    return [`${configName} is not ${platform === "ECS" ? "an" : "a"} ${platform} deployment config`];
  if (platform !== "Server" && !GRADUAL_BUILT_IN_CONFIGS[platform].includes(configName)) {
    return [
      `${configName} is not a built-in ${platform} canary or linear config CodeDeploy documents; use one of ${GRADUAL_BUILT_IN_CONFIGS[platform].join(", ")}, or a custom config`,
    ];
  }
  return [];
}

function terminationWaitProblems(blueGreen: BlueGreenOptions | undefined, what: string): string[] {
  const wait = blueGreen?.terminationWaitMinutes ?? DEFAULT_BLUE_GREEN_TERMINATION_WAIT_MINUTES;
  if (!Number.isInteger(wait) || wait < MIN_BLUE_GREEN_TERMINATION_WAIT_MINUTES || wait > MAX_BLUE_GREEN_TERMINATION_WAIT_MINUTES) {
    return [
      `blueGreen.terminationWaitMinutes must be an integer from ${MIN_BLUE_GREEN_TERMINATION_WAIT_MINUTES} to ${MAX_BLUE_GREEN_TERMINATION_WAIT_MINUTES} so the original ${what} stays available for a rollback, got ${wait}`,
    ];
  }
  return [];
}

/** Fields that only one platform takes, and which one. */
const PLATFORM_ONLY: readonly { readonly field: keyof SafeDeploymentGroupArgs; readonly platforms: readonly ComputePlatform[] }[] = [
  { field: "autoscalingGroups", platforms: ["Server"] },
  { field: "targetGroupNames", platforms: ["Server"] },
  { field: "ecsService", platforms: ["ECS"] },
  { field: "targetGroupPair", platforms: ["ECS"] },
  { field: "blueGreen", platforms: ["Server", "ECS"] },
];

function isSet(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined;
}

function ecsProblems(args: SafeDeploymentGroupArgs): string[] {
  const problems: string[] = [];
  if (!args.ecsService) {
    problems.push("an ECS group needs ecsService { clusterName, serviceName } (a service with the CODE_DEPLOY deployment controller)");
  }
  const pair = args.targetGroupPair;
  if (!pair) {
    problems.push(
      "an ECS group needs targetGroupPair { targetGroupNames: [the service's target group, the replacement's], productionListenerArns }",
    );
  } else {
    const names = pair.targetGroupNames;
    const literal = names.filter((n): n is string => typeof n === "string");
    if (names.length !== 2) {
      problems.push(`targetGroupPair.targetGroupNames must name exactly two target groups to shift traffic between, got ${names.length}`);
    } else if (literal.length === 2 && literal[0] === literal[1]) {
      problems.push("targetGroupPair.targetGroupNames must be two different target groups");
    }
    if (pair.productionListenerArns.length < 1) {
      problems.push("targetGroupPair.productionListenerArns must name the listener that serves production traffic");
    }
  }
  problems.push(...terminationWaitProblems(args.blueGreen, "task set"));
  return problems;
}

/** Every reason the arguments would not give a safe group; empty when they do. Each says what to fix. */
export function validateSafeDeploymentGroupArgs(args: SafeDeploymentGroupArgs): string[] {
  const platform = args.computePlatform;
  if (!COMPUTE_PLATFORMS.includes(platform)) {
    return [`computePlatform must be Server, Lambda or ECS, got ${String(platform)}`];
  }
  const problems = [...alarmProblems(args), ...configProblems(platform, args.deploymentConfigName)];
  for (const { field, platforms } of PLATFORM_ONLY) {
    if (isSet(args[field]) && !platforms.includes(platform)) {
      problems.push(
        platform === "Lambda" && field === "blueGreen"
          ? "blueGreen options do not apply to Lambda groups (Lambda deployments always shift traffic between versions)"
          : `${field} only applies to ${platforms.join(" and ")} groups, not ${platform}`,
      );
    }
  }
  if (platform === "Server") {
    if (!args.autoscalingGroups?.length) problems.push("a Server group needs at least one Auto Scaling group to deploy to");
    if (args.blueGreen) {
      problems.push(...terminationWaitProblems(args.blueGreen, "fleet"));
      if (!args.targetGroupNames?.length) problems.push("a blue/green Server group needs targetGroupNames to reroute traffic");
    }
  }
  if (platform === "ECS") problems.push(...ecsProblems(args));
  return problems;
}

export function rollbackEvents(args: Pick<SafeDeploymentGroupArgs, "rollbackOnManualStop">): string[] {
  return [...REQUIRED_ROLLBACK_EVENTS, ...(args.rollbackOnManualStop ? ["DEPLOYMENT_STOP_ON_REQUEST"] : [])];
}

function terminateOriginal(blueGreen: BlueGreenOptions | undefined) {
  return {
    action: "TERMINATE",
    terminationWaitTimeInMinutes: blueGreen?.terminationWaitMinutes ?? DEFAULT_BLUE_GREEN_TERMINATION_WAIT_MINUTES,
  };
}

/** The platform-specific part of the group's arguments. */
function platformArgs(args: SafeDeploymentGroupArgs): Partial<aws.codedeploy.DeploymentGroupArgs> {
  switch (args.computePlatform) {
    case "Server": {
      const trafficControl = (args.targetGroupNames?.length ?? 0) > 0;
      const blueGreen = args.blueGreen !== undefined;
      return {
        deploymentStyle: {
          deploymentOption: trafficControl ? "WITH_TRAFFIC_CONTROL" : "WITHOUT_TRAFFIC_CONTROL",
          deploymentType: blueGreen ? "BLUE_GREEN" : "IN_PLACE",
        },
        autoscalingGroups: [...(args.autoscalingGroups ?? [])],
        outdatedInstancesStrategy: "UPDATE",
        ...(trafficControl ? { loadBalancerInfo: { targetGroupInfos: (args.targetGroupNames ?? []).map((tg) => ({ name: tg })) } } : {}),
        ...(blueGreen
          ? {
              blueGreenDeploymentConfig: {
                deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
                greenFleetProvisioningOption: { action: "COPY_AUTO_SCALING_GROUP" },
                terminateBlueInstancesOnDeploymentSuccess: terminateOriginal(args.blueGreen),
              },
            }
          : {}),
      };
    }
    case "Lambda":
      return { deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" } };
    case "ECS": {
      const pair = args.targetGroupPair;
      const test = pair?.testListenerArns ?? [];
      return {
        deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" },
        ...(args.ecsService ? { ecsService: { clusterName: args.ecsService.clusterName, serviceName: args.ecsService.serviceName } } : {}),
        ...(pair
          ? {
              loadBalancerInfo: {
                targetGroupPairInfo: {
                  targetGroups: pair.targetGroupNames.map((name) => ({ name })),
                  prodTrafficRoute: { listenerArns: [...pair.productionListenerArns] },
                  ...(test.length > 0 ? { testTrafficRoute: { listenerArns: [...test] } } : {}),
                },
              },
            }
          : {}),
        blueGreenDeploymentConfig: {
          // The replacement task set takes traffic as soon as it is healthy; the alarms guard the shift.
          deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
          terminateBlueInstancesOnDeploymentSuccess: terminateOriginal(args.blueGreen),
        },
      };
    }
  }
}

/** Arguments of the `aws.codedeploy.DeploymentGroup`, given the names of the alarms to attach. */
export function safeDeploymentGroupArgs(
  name: string,
  args: SafeDeploymentGroupArgs,
  alarmNames: readonly pulumi.Input<string>[],
): aws.codedeploy.DeploymentGroupArgs {
  return {
    appName: args.applicationName,
    deploymentGroupName: args.deploymentGroupName ?? name,
    serviceRoleArn: args.serviceRoleArn,
    deploymentConfigName: args.deploymentConfigName ?? DEFAULT_DEPLOYMENT_CONFIG[args.computePlatform],
    autoRollbackConfiguration: { enabled: true, events: rollbackEvents(args) },
    alarmConfiguration: { enabled: true, alarms: [...alarmNames], ignorePollAlarmFailure: false },
    ...platformArgs(args),
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
