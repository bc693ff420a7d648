import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  GRADUAL_BUILT_IN_CONFIGS,
  MAX_ALARMS,
  REQUIRED_ROLLBACK_EVENTS,
  safeAlarmArgs,
  safeDeploymentGroupArgs,
  validateSafeDeploymentGroupArgs,
  type AlarmSpec,
  type SafeDeploymentGroupArgs,
} from "../../reference-stack/safeDeploymentGroupArgs";

const alarmSpec = (key: string): fc.Arbitrary<AlarmSpec> =>
  fc.record({
    key: fc.constant(key),
    description: fc.string(),
    metric: fc.record({
      namespace: fc.constantFrom("AWS/Lambda", "AWS/ApplicationELB", "ModelServing/Inference"),
      metricName: fc.constantFrom("Errors", "Duration", "PredictionError"),
      stat: fc.constantFrom("Sum", "Average", "Maximum", "p99", "p95", "p99.9"),
    }),
    threshold: fc.double({ min: 0, max: 1e6, noNaN: true }),
    evaluationPeriods: fc.integer({ min: 1, max: 10 }),
  });

const alarms = fc
  .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), { minLength: 1, maxLength: MAX_ALARMS })
  .chain((keys) => fc.tuple(...keys.map(alarmSpec)));

const serverArgs: fc.Arbitrary<SafeDeploymentGroupArgs> = fc
  .record(
    {
      applicationName: fc.string({ minLength: 1 }),
      computePlatform: fc.constant("Server" as const),
      serviceRoleArn: fc.constant("arn:aws:iam::123456789012:role/cd"),
      deploymentConfigName: fc.constantFrom("CodeDeployDefault.OneAtATime", "my-custom-config"),
      alarms,
      rollbackOnManualStop: fc.boolean(),
      autoscalingGroups: fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 3 }),
      targetGroupNames: fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 2 }),
      blueGreen: fc.record({ terminationWaitMinutes: fc.integer({ min: 60, max: 2880 }) }),
      notificationTopicArn: fc.constant("arn:aws:sns:us-east-1:123456789012:t"),
    },
    { requiredKeys: ["applicationName", "computePlatform", "serviceRoleArn", "alarms", "autoscalingGroups"] },
  )
  .map((a) => (a.blueGreen && !a.targetGroupNames ? { ...a, targetGroupNames: ["tg"] } : a));

const lambdaArgs: fc.Arbitrary<SafeDeploymentGroupArgs> = fc.record(
  {
    applicationName: fc.string({ minLength: 1 }),
    computePlatform: fc.constant("Lambda" as const),
    serviceRoleArn: fc.constant("arn:aws:iam::123456789012:role/cd"),
    deploymentConfigName: fc.constantFrom(
      "CodeDeployDefault.LambdaCanary10Percent5Minutes",
      "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
      "my-canary",
    ),
    alarms,
    rollbackOnManualStop: fc.boolean(),
  },
  { requiredKeys: ["applicationName", "computePlatform", "serviceRoleArn", "alarms"] },
);

const ecsArgs: fc.Arbitrary<SafeDeploymentGroupArgs> = fc.record(
  {
    applicationName: fc.string({ minLength: 1 }),
    computePlatform: fc.constant("ECS" as const),
    serviceRoleArn: fc.constant("arn:aws:iam::123456789012:role/cd"),
    deploymentConfigName: fc.constantFrom(...GRADUAL_BUILT_IN_CONFIGS.ECS, "my-ecs-canary"),
    alarms,
    rollbackOnManualStop: fc.boolean(),
    ecsService: fc.record({ clusterName: fc.string({ minLength: 1 }), serviceName: fc.string({ minLength: 1 }) }),
    targetGroupPair: fc.record(
      {
        targetGroupNames: fc.constant(["blue", "green"]),
        productionListenerArns: fc.constant(["arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/a/b/prod"]),
        testListenerArns: fc.constant(["arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/a/b/test"]),
      },
      { requiredKeys: ["targetGroupNames", "productionListenerArns"] },
    ),
    blueGreen: fc.record({ terminationWaitMinutes: fc.integer({ min: 60, max: 2880 }) }, { requiredKeys: [] }),
  },
  { requiredKeys: ["applicationName", "computePlatform", "serviceRoleArn", "alarms", "ecsService", "targetGroupPair"] },
);

/**
 * The fields of `safeDeploymentGroupArgs`' result checked below, as the plain values it puts there (it
 * wraps none of them in an Output or a Promise, which `aws.codedeploy.DeploymentGroupArgs` would allow).
 */
interface PlainGroupArgs {
  autoRollbackConfiguration: { enabled: boolean; events: string[] };
  alarmConfiguration: { enabled: boolean; alarms: string[]; ignorePollAlarmFailure: boolean };
  deploymentConfigName: string;
  outdatedInstancesStrategy?: string;
  deploymentStyle?: { deploymentOption?: string; deploymentType?: string };
  blueGreenDeploymentConfig: {
    terminateBlueInstancesOnDeploymentSuccess: { action: string; terminationWaitTimeInMinutes: number };
    greenFleetProvisioningOption?: unknown;
  };
  ecsService?: { clusterName: string; serviceName: string };
  autoscalingGroups?: string[];
  loadBalancerInfo?: {
    targetGroupInfos?: unknown;
    targetGroupPairInfo?: {
      targetGroups: { name: string }[];
      prodTrafficRoute: { listenerArns: string[] };
      testTrafficRoute?: { listenerArns: string[] };
    };
  };
}

describe("SafeDeploymentGroup arguments", () => {
  it("valid arguments always give a group that rolls back on alarm", () => {
    fc.assert(
      fc.property(fc.oneof(serverArgs, lambdaArgs, ecsArgs), (args) => {
        expect(validateSafeDeploymentGroupArgs(args)).toEqual([]);
        const names = args.alarms.map((a) => `alarm-${a.key}`);
        const g = safeDeploymentGroupArgs("g", args, names) as PlainGroupArgs;
        expect(g.autoRollbackConfiguration.enabled).toBe(true);
        for (const e of REQUIRED_ROLLBACK_EVENTS) expect(g.autoRollbackConfiguration.events).toContain(e);
        expect(g.alarmConfiguration).toEqual({ enabled: true, alarms: names, ignorePollAlarmFailure: false });
        expect(g.alarmConfiguration.alarms.length).toBeGreaterThanOrEqual(1);
        expect(g.alarmConfiguration.alarms.length).toBeLessThanOrEqual(MAX_ALARMS);
        expect(g.deploymentConfigName).toBeTruthy();
        if (args.computePlatform === "Server") {
          expect(g.outdatedInstancesStrategy).toBe("UPDATE");
          if (args.blueGreen) {
            expect(
              g.blueGreenDeploymentConfig.terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes,
            ).toBeGreaterThanOrEqual(60);
          }
        } else {
          expect(g.deploymentConfigName).not.toMatch(/AllAtOnce$/);
          expect(g.deploymentStyle).toEqual({ deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" });
          expect(g.outdatedInstancesStrategy).toBeUndefined();
          expect(g.autoscalingGroups).toBeUndefined();
        }
        if (args.computePlatform === "ECS") {
          expect(g.ecsService).toEqual(args.ecsService);
          const pair = g.loadBalancerInfo?.targetGroupPairInfo;
          expect(pair?.targetGroups).toEqual([{ name: "blue" }, { name: "green" }]);
          expect(pair?.prodTrafficRoute.listenerArns).toEqual(args.targetGroupPair?.productionListenerArns);
          expect(pair?.testTrafficRoute?.listenerArns).toEqual(args.targetGroupPair?.testListenerArns);
          // The original task set stays for a rollback window; ECS has no fleet to copy.
          expect(g.blueGreenDeploymentConfig.terminateBlueInstancesOnDeploymentSuccess).toEqual({
            action: "TERMINATE",
            terminationWaitTimeInMinutes: args.blueGreen?.terminationWaitMinutes ?? 120,
          });
          expect(g.blueGreenDeploymentConfig.greenFleetProvisioningOption).toBeUndefined();
        }
        for (const spec of args.alarms) {
          const a = safeAlarmArgs(spec) as Record<string, unknown>;
          expect(a["statistic"] === undefined).not.toBe(a["extendedStatistic"] === undefined);
        }
      }),
    );
  });

  it("unsafe arguments are refused", () => {
    fc.assert(
      fc.property(fc.oneof(serverArgs, lambdaArgs, ecsArgs), fc.integer({ min: 0, max: 3 }), (args, mutation) => {
        const mutated: SafeDeploymentGroupArgs =
          mutation === 0
            ? { ...args, alarms: [], additionalAlarmNames: [] }
            : mutation === 1
              ? {
                  ...args,
                  deploymentConfigName: {
                    Lambda: "CodeDeployDefault.LambdaAllAtOnce",
                    ECS: "CodeDeployDefault.ECSAllAtOnce",
                    Server: "CodeDeployDefault.AllAtOnce",
                  }[args.computePlatform],
                }
              : mutation === 2
                ? { ...args, additionalAlarmNames: Array.from({ length: MAX_ALARMS + 1 - args.alarms.length }, (_, i) => `x${i}`) }
                : args.computePlatform === "Lambda"
                  ? { ...args, blueGreen: {} }
                  : {
                      ...args,
                      targetGroupNames: args.computePlatform === "Server" ? ["tg"] : undefined,
                      blueGreen: { terminationWaitMinutes: 30 },
                    };
        expect(validateSafeDeploymentGroupArgs(mutated).length).toBeGreaterThan(0);
      }),
    );
  });

  it("defaults to a gradual config per platform", () => {
    const base = {
      applicationName: "a",
      serviceRoleArn: "r",
      alarms: [{ key: "e", description: "", metric: { namespace: "n", metricName: "m" }, threshold: 1 }],
    };
    expect(safeDeploymentGroupArgs("g", { ...base, computePlatform: "Lambda" }, ["a"]).deploymentConfigName).toBe(
      "CodeDeployDefault.LambdaCanary10Percent5Minutes",
    );
    expect(
      safeDeploymentGroupArgs("g", { ...base, computePlatform: "Server", autoscalingGroups: ["asg"] }, ["a"]).deploymentConfigName,
    ).toBe("CodeDeployDefault.OneAtATime");
    expect(safeDeploymentGroupArgs("g", { ...base, computePlatform: "ECS" }, ["a"]).deploymentConfigName).toBe(
      "CodeDeployDefault.ECSCanary10Percent5Minutes",
    );
  });
});

describe("SafeDeploymentGroup refuses unsafe ECS arguments, saying what to fix", () => {
  const ecs: SafeDeploymentGroupArgs = {
    applicationName: "app",
    computePlatform: "ECS",
    serviceRoleArn: "arn:aws:iam::123456789012:role/cd",
    alarms: [
      {
        key: "errors",
        description: "",
        metric: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count" },
        threshold: 1,
      },
    ],
    ecsService: { clusterName: "c", serviceName: "s" },
    targetGroupPair: { targetGroupNames: ["blue", "green"], productionListenerArns: ["prod"], testListenerArns: ["test"] },
  };

  it("accepts the safe base arguments", () => {
    expect(validateSafeDeploymentGroupArgs(ecs)).toEqual([]);
  });

  it.each<[string, Partial<SafeDeploymentGroupArgs>, string[]]>([
    [
      "an all-at-once config",
      { deploymentConfigName: "CodeDeployDefault.ECSAllAtOnce" },
      [
        "CodeDeployDefault.ECSAllAtOnce shifts all traffic at once; use a canary or linear config such as CodeDeployDefault.ECSCanary10Percent5Minutes",
      ],
    ],
    [
      "a Lambda config",
      { deploymentConfigName: "CodeDeployDefault.LambdaCanary10Percent5Minutes" },
      ["CodeDeployDefault.LambdaCanary10Percent5Minutes is not an ECS deployment config"],
    ],
    [
      "a Server config",
      { deploymentConfigName: "CodeDeployDefault.OneAtATime" },
      ["CodeDeployDefault.OneAtATime is not an ECS deployment config"],
    ],
    [
      "an ECS built-in CodeDeploy does not document",
      { deploymentConfigName: "CodeDeployDefault.ECSCanary50Percent1Minutes" },
      [
        `CodeDeployDefault.ECSCanary50Percent1Minutes is not a built-in ECS canary or linear config CodeDeploy documents; use one of ${GRADUAL_BUILT_IN_CONFIGS.ECS.join(", ")}, or a custom config`,
      ],
    ],
    ["no alarms", { alarms: [] }, ["at least one alarm is required: DEPLOYMENT_STOP_ON_ALARM does nothing without alarms"]],
    [
      "a short termination wait",
      { blueGreen: { terminationWaitMinutes: 5 } },
      [
        "blueGreen.terminationWaitMinutes must be an integer from 60 to 2880 so the original task set stays available for a rollback, got 5",
      ],
    ],
    [
      "no service",
      { ecsService: undefined },
      ["an ECS group needs ecsService { clusterName, serviceName } (a service with the CODE_DEPLOY deployment controller)"],
    ],
    [
      "no target group pair",
      { targetGroupPair: undefined },
      ["an ECS group needs targetGroupPair { targetGroupNames: [the service's target group, the replacement's], productionListenerArns }"],
    ],
    [
      "one target group",
      { targetGroupPair: { targetGroupNames: ["blue"], productionListenerArns: ["prod"] } },
      ["targetGroupPair.targetGroupNames must name exactly two target groups to shift traffic between, got 1"],
    ],
    [
      "the same target group twice, and no production listener",
      { targetGroupPair: { targetGroupNames: ["blue", "blue"], productionListenerArns: [] } },
      [
        "targetGroupPair.targetGroupNames must be two different target groups",
        "targetGroupPair.productionListenerArns must name the listener that serves production traffic",
      ],
    ],
    [
      "Server-only fields",
      { autoscalingGroups: ["asg"], targetGroupNames: ["tg"] },
      ["autoscalingGroups only applies to Server groups, not ECS", "targetGroupNames only applies to Server groups, not ECS"],
    ],
  ])("%s", (_label, change, problems) => {
    expect(validateSafeDeploymentGroupArgs({ ...ecs, ...change })).toEqual(problems);
  });

  it("refuses ECS fields on the other platforms", () => {
    const { ecsService, targetGroupPair } = ecs;
    expect(
      validateSafeDeploymentGroupArgs({ ...ecs, computePlatform: "Lambda", ecsService, targetGroupPair, deploymentConfigName: undefined }),
    ).toEqual(["ecsService only applies to ECS groups, not Lambda", "targetGroupPair only applies to ECS groups, not Lambda"]);
    expect(
      validateSafeDeploymentGroupArgs({ ...ecs, computePlatform: "Server", autoscalingGroups: ["asg"], deploymentConfigName: undefined }),
    ).toEqual(["ecsService only applies to ECS groups, not Server", "targetGroupPair only applies to ECS groups, not Server"]);
  });

  it("names the platforms it knows when given another", () => {
    expect(validateSafeDeploymentGroupArgs({ ...ecs, computePlatform: "Fargate" as never })).toEqual([
      "computePlatform must be Server, Lambda or ECS, got Fargate",
    ]);
  });
});
