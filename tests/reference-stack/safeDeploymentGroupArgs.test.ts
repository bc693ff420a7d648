import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
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
  blueGreenDeploymentConfig: { terminateBlueInstancesOnDeploymentSuccess: { terminationWaitTimeInMinutes: number } };
}

describe("SafeDeploymentGroup arguments", () => {
  it("valid arguments always give a group that rolls back on alarm", () => {
    fc.assert(
      fc.property(fc.oneof(serverArgs, lambdaArgs), (args) => {
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
          expect(g.deploymentConfigName).not.toBe("CodeDeployDefault.LambdaAllAtOnce");
          expect(g.deploymentStyle).toEqual({ deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" });
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
      fc.property(fc.oneof(serverArgs, lambdaArgs), fc.integer({ min: 0, max: 3 }), (args, mutation) => {
        const mutated: SafeDeploymentGroupArgs =
          mutation === 0
            ? { ...args, alarms: [], additionalAlarmNames: [] }
            : mutation === 1
              ? {
                  ...args,
                  deploymentConfigName:
                    args.computePlatform === "Lambda" ? "CodeDeployDefault.LambdaAllAtOnce" : "CodeDeployDefault.AllAtOnce",
                }
              : mutation === 2
                ? { ...args, additionalAlarmNames: Array.from({ length: MAX_ALARMS + 1 - args.alarms.length }, (_, i) => `x${i}`) }
                : args.computePlatform === "Server"
                  ? { ...args, targetGroupNames: ["tg"], blueGreen: { terminationWaitMinutes: 30 } }
                  : { ...args, blueGreen: {} };
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
  });
});
