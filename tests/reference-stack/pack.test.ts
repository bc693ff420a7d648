// Issue 3 end to end: the reference stack and the faulty tutorial example, recorded under Pulumi's
// mocks (preview and update), go through the policy pack exactly as the engine sends them, through
// the same harness as `check` (tools/check/run.ts: Analyze each resource, AnalyzeStack the stack).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCheckCli } from "../../packages/tools/src/check/main";
import { checkResources } from "../../packages/tools/src/check/run";
import type { PolicyPackConfig } from "../../packages/tools/src/engine";
import { recordProgram, stackResources, type Recording } from "../../packages/tools/src/mocks";
import type { Report } from "../../packages/tools/src/report";
import { ensurePackBuilt, ROOT } from "../engine/helpers";
import { byName, FAULTY_EXAMPLE_DIR, P, REFERENCE_STACK_DIR, T } from "./packHarness";

/**
 * The strictest settings the reference stack is designed to meet: at least its three alarms per
 * group, two thirds of the fleet healthy (its config keeps 66 %), the two rollback events its
 * groups list, no ignored poll failures, and the advisory policies raised to mandatory with a
 * two-hour blue/green window (the default SafeDeploymentGroup wait, which the ECS group and the
 * optional blue/green EC2 group keep).
 */
export const STRICT_CONFIG: PolicyPackConfig = {
  [P.autoRollback]: { enforcementLevel: "mandatory", requiredEvents: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
  [P.alarms]: { enforcementLevel: "mandatory", minAlarms: 3, allowIgnorePollAlarmFailure: false },
  [P.minimumHealthyHosts]: { enforcementLevel: "mandatory", minHealthyHostCount: 1, minHealthyFleetPercent: 66 },
  [P.trafficShifting]: "mandatory",
  [P.blueGreen]: { enforcementLevel: "mandatory", minTerminationWaitMinutes: 120 },
  [P.outdatedInstances]: "mandatory",
};

/**
 * Every option of the stack turned the other way at once: HTTPS with a certificate, blue/green EC2
 * (which copies the Auto Scaling group), linear Lambda and ECS configs, a longer ECS window.
 */
const OTHER_OPTIONS = {
  certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8899-aabbccddeeff",
  ingressCidr: "203.0.113.0/24",
  ec2BlueGreen: true,
  lambdaDeploymentConfig: "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
  ecsDeploymentConfig: "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
  ecsTerminationWaitMinutes: 2880,
};
const OTHER = `${REFERENCE_STACK_DIR}#other-options`;

const recordings: Record<string, Recording> = {};
const key = (dir: string, mode: string) => `${dir}:${mode}`;

beforeAll(async () => {
  ensurePackBuilt();
  const runs = [REFERENCE_STACK_DIR, FAULTY_EXAMPLE_DIR, OTHER].flatMap((dir) =>
    (["preview", "update"] as const).map((mode) => ({ dir, mode })),
  );
  const recorded = await Promise.all(
    runs.map(({ dir, mode }) =>
      dir === OTHER
        ? recordProgram({ programDir: REFERENCE_STACK_DIR, mode, config: OTHER_OPTIONS })
        : recordProgram({ programDir: dir, mode }),
    ),
  );
  runs.forEach(({ dir, mode }, i) => (recordings[key(dir, mode)] = recorded[i]!));
});

async function check(
  dir: string,
  mode: "preview" | "update",
  policyConfig: PolicyPackConfig,
): Promise<{ report: Report; recording: Recording }> {
  const recording = recordings[key(dir, mode)]!;
  const { report } = await checkResources({
    resources: recording.resources,
    stackResources: stackResources(recording),
    policyConfig,
    packDir: ROOT,
  });
  return { report, recording };
}

const readable = (report: Report) => report.violations.map((v) => `${v.enforcementLevel} ${v.policy} @ ${v.resourceName}: ${v.message}`);

describe.each([
  ["preview", "its defaults", REFERENCE_STACK_DIR],
  ["update", "its defaults", REFERENCE_STACK_DIR],
  ["preview", "every option turned", OTHER],
  ["update", "every option turned", OTHER],
] as const)("reference stack through the pack (%s, %s)", (mode, _options, dir) => {
  it.each([
    ["the default config", {}],
    ["a strict config", STRICT_CONFIG],
  ] as const)("has no violation at all, not even advisory, under %s", async (_label, policyConfig) => {
    const { report, recording } = await check(dir, mode, policyConfig);
    expect(readable(report)).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(report.summary).toMatchObject({ violations: 0, mandatory: 0, advisory: 0, errors: 0 });
    // Every registered resource went through Analyze (stack, components, providers, CodeDeploy, the rest).
    expect(report.summary.resources).toBe(recording.resources.length);
    // All three paths were checked: the Server, Lambda and ECS groups.
    expect(
      recording.resources
        .filter((r) => r.type === T.group)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["inference-ecs", "inference-lambda", "inference-server"]);
  });
});

describe("the reference stack through the `check` command", () => {
  it.each(["preview", "update"] as const)(
    "checks clean in %s mode, default and strict config: exit 0, no finding, no error",
    async (mode) => {
      const strict = join(mkdtempSync(join(tmpdir(), "refstack-")), "strict.json");
      writeFileSync(strict, JSON.stringify(STRICT_CONFIG));
      const quiet = { stdout: () => undefined, stderr: () => undefined, packDir: ROOT };
      for (const extra of [[], ["--policy-config", strict]]) {
        const outcome = await runCheckCli([REFERENCE_STACK_DIR, "--mode", mode, "--format", "json", ...extra], quiet);
        expect(outcome.report?.violations.map((v) => `${v.policy} @ ${v.resourceName}: ${v.message}`)).toEqual([]);
        expect(outcome.report?.errors).toEqual([]);
        expect(outcome.exitCode).toBe(0);
        expect(outcome.report?.summary.resources).toBe(recordings[key(REFERENCE_STACK_DIR, mode)]!.resources.length);
      }
    },
  );
});

describe("what the reference stack is not designed for (pinned, so a change in either side is seen)", () => {
  it("rolling back on a manual stop, or two healthy hosts per zone, are stricter than its design", async () => {
    const { report } = await check(REFERENCE_STACK_DIR, "update", {
      [P.autoRollback]: { requiredEvents: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"] },
      [P.minimumHealthyHosts]: { minHealthyHostCount: 2 },
    });
    // rollbackOnManualStop is opt-in in SafeDeploymentGroup; the zonal config keeps 1 host per zone
    // (the largest value config.ts allows for the default fleet of 4 hosts over two zones).
    expect(report.violations.map((v) => `${v.enforcementLevel} ${v.policy} @ ${v.resourceName}`).sort()).toEqual(
      [
        `mandatory ${P.autoRollback} @ inference-ecs`,
        `mandatory ${P.autoRollback} @ inference-lambda`,
        `mandatory ${P.autoRollback} @ inference-server`,
        `mandatory ${P.minimumHealthyHosts} @ inference-server`,
      ].sort(),
    );
    const zonal = report.violations.find((v) => v.policy === P.minimumHealthyHosts)!;
    expect(zonal.resourceType).toBe(T.config);
    expect(zonal.message).toContain("zonalConfig.minimumHealthyHostsPerZone");
  });
});

describe.each(["preview", "update"] as const)("faulty tutorial example through the pack (%s)", (mode) => {
  it("default config: exactly one mandatory alarm violation, on group foo, saying DEPLOYMENT_STOP_ON_ALARM does nothing without alarms", async () => {
    const { report, recording } = await check(FAULTY_EXAMPLE_DIR, mode, {});
    const group = byName(recording.resources, T.group, "foo");
    expect(report.violations).toHaveLength(1);
    const [violation] = report.violations;
    expect(violation).toMatchObject({
      policy: P.alarms,
      enforcementLevel: "mandatory",
      urn: group.urn,
      resourceType: T.group,
      resourceName: "foo",
    });
    expect(violation!.message).toMatch(/DEPLOYMENT_STOP_ON_ALARM .*does nothing .*without an enabled alarm/);
    expect(violation!.message).toContain("has no alarmConfiguration");
    expect(report.summary).toMatchObject({ violations: 1, mandatory: 1, advisory: 0, errors: 0, resources: recording.resources.length });
  });

  it("minHealthyHostCount 2: additionally minimum-healthy-hosts on its HOST_COUNT 1 config and on the group that uses it", async () => {
    const { report, recording } = await check(FAULTY_EXAMPLE_DIR, mode, { [P.minimumHealthyHosts]: { minHealthyHostCount: 2 } });
    const group = byName(recording.resources, T.group, "foo");
    const config = byName(recording.resources, T.config, "foo");
    expect(report.violations.map((v) => `${v.enforcementLevel} ${v.policy} @ ${v.urn}`).sort()).toEqual(
      [
        `mandatory ${P.alarms} @ ${group.urn}`,
        `mandatory ${P.minimumHealthyHosts} @ ${config.urn}`,
        `mandatory ${P.minimumHealthyHosts} @ ${group.urn}`,
      ].sort(),
    );
    for (const v of report.violations.filter((x) => x.policy === P.minimumHealthyHosts))
      expect(v.message).toContain("(HOST_COUNT) than the required 2");
  });
});
