// Invalid policy config. (1) The engine client refuses it at configure time, naming the policy and
// field, as the CLI refuses a bad `--policy-pack-config`. (2) When an invalid config reaches the pack
// anyway (sent through the protocol with the client's validation skipped): the SDK's Configure
// (`configure` in @pulumi/policy/server.js) stores whatever it gets, replacing the previous config,
// and never answers an error, so the contract leaves the pack no "last valid config" to keep
// serving. The pack must then fail loudly: every check of a policy whose config is invalid reports
// a violation naming the config field instead of passing, and no call fails.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  PolicyConfigError,
  reconcilePolicyPackConfig,
  type AnalyzerInfo,
  type Diagnostic,
  type PolicyConfigEntry,
} from "../../packages/tools/src/engine";
import { CLASSIC, POLICIES, PROVIDER, compliantClassicGroupProps, compliantClassicStack, resource, usePack } from "../engine/helpers";
import { rawConfigure } from "./rawProtocol";
import { wireValueArb } from "./fuzz/json";

const pack = usePack();
let info: AnalyzerInfo;

beforeAll(async () => {
  info = await pack.getAnalyzerInfo();
});

interface InvalidCase {
  readonly title: string;
  readonly policy: string;
  readonly settings: Record<string, unknown>;
  /** The field a message must name. */
  readonly field: string;
  /** False where the CLI itself cannot refuse it (its schema has no additionalProperties at the top). */
  readonly clientRefuses: boolean;
}

const futureExemption = { resource: "x", reason: "migration", expires: "2099-01-01" };
const INVALID: readonly InvalidCase[] = [
  { title: "minAlarms of the wrong type", policy: POLICIES.alarms, settings: { minAlarms: "3" }, field: "minAlarms", clientRefuses: true },
  {
    title: "minAlarms above the CodeDeploy limit",
    policy: POLICIES.alarms,
    settings: { minAlarms: 11 },
    field: "minAlarms",
    clientRefuses: true,
  },
  { title: "minAlarms negative", policy: POLICIES.alarms, settings: { minAlarms: -1 }, field: "minAlarms", clientRefuses: true },
  { title: "minAlarms not an integer", policy: POLICIES.alarms, settings: { minAlarms: 1.5 }, field: "minAlarms", clientRefuses: true },
  {
    title: "allowIgnorePollAlarmFailure a string",
    policy: POLICIES.alarms,
    settings: { allowIgnorePollAlarmFailure: "yes" },
    field: "allowIgnorePollAlarmFailure",
    clientRefuses: true,
  },
  {
    title: "minHealthyFleetPercent 150",
    policy: POLICIES.minimumHealthyHosts,
    settings: { minHealthyFleetPercent: 150 },
    field: "minHealthyFleetPercent",
    clientRefuses: true,
  },
  {
    title: "minHealthyFleetPercent 100",
    policy: POLICIES.minimumHealthyHosts,
    settings: { minHealthyFleetPercent: 100 },
    field: "minHealthyFleetPercent",
    clientRefuses: true,
  },
  {
    title: "minHealthyHostCount -1",
    policy: POLICIES.minimumHealthyHosts,
    settings: { minHealthyHostCount: -1 },
    field: "minHealthyHostCount",
    clientRefuses: true,
  },
  {
    title: "minHealthyHostCount null",
    policy: POLICIES.minimumHealthyHosts,
    settings: { minHealthyHostCount: null },
    field: "minHealthyHostCount",
    clientRefuses: true,
  },
  {
    title: "externalDeploymentConfigs with FLEET_PERCENT as a string",
    policy: POLICIES.minimumHealthyHosts,
    settings: { externalDeploymentConfigs: [{ name: "shared", minimumHealthyHosts: { type: "FLEET_PERCENT", value: "75" } }] },
    field: "externalDeploymentConfigs[0].minimumHealthyHosts.value",
    clientRefuses: true,
  },
  {
    title: "an unknown event name",
    policy: POLICIES.autoRollback,
    settings: { requiredEvents: ["DEPLOYMENT_FAILUR"] },
    field: "requiredEvents[0]",
    clientRefuses: true,
  },
  {
    title: "requiredEvents a string",
    policy: POLICIES.autoRollback,
    settings: { requiredEvents: "DEPLOYMENT_FAILURE" },
    field: "requiredEvents",
    clientRefuses: true,
  },
  {
    title: "minTerminationWaitMinutes above 2880",
    policy: POLICIES.blueGreen,
    settings: { minTerminationWaitMinutes: 5000 },
    field: "minTerminationWaitMinutes",
    clientRefuses: true,
  },
  {
    title: "exemption expiring 2026-02-30",
    policy: POLICIES.autoRollback,
    settings: { exemptions: [{ ...futureExemption, expires: "2026-02-30" }] },
    field: "exemptions[0].expires",
    clientRefuses: true,
  },
  {
    title: 'exemption expiring "tomorrow"',
    policy: POLICIES.alarms,
    settings: { exemptions: [{ ...futureExemption, expires: "tomorrow" }] },
    field: "exemptions[0].expires",
    clientRefuses: true,
  },
  {
    title: "exemption expiring 2026-13-01",
    policy: POLICIES.outdatedInstances,
    settings: { exemptions: [{ ...futureExemption, expires: "2026-13-01" }] },
    field: "exemptions[0].expires",
    clientRefuses: true,
  },
  {
    title: "exemption without a reason",
    policy: POLICIES.trafficShifting,
    settings: { exemptions: [{ resource: "x", expires: "2099-01-01" }] },
    field: "exemptions[0].reason",
    clientRefuses: true,
  },
  {
    title: "exemption with an unknown key",
    policy: POLICIES.trafficShifting,
    settings: { exemptions: [{ ...futureExemption, until: "2099-01-01" }] },
    field: "exemptions[0].until",
    clientRefuses: true,
  },
  {
    title: "an unknown (misspelled) setting",
    policy: POLICIES.autoRollback,
    settings: { requireEvents: ["DEPLOYMENT_FAILURE"] },
    field: "requireEvents",
    clientRefuses: false,
  },
  {
    title: "an unknown setting of an advisory policy",
    policy: POLICIES.blueGreen,
    settings: { minTerminationWait: 60 },
    field: "minTerminationWait",
    clientRefuses: false,
  },
];

/** The whole config the engine would send with `policy`'s settings replaced, unvalidated. */
function rawConfig(policy: string, settings: Record<string, unknown>): Record<string, PolicyConfigEntry> {
  const base = reconcilePolicyPackConfig(info, {});
  const entry = base[policy]!;
  return { ...base, [policy]: { enforcementLevel: entry.enforcementLevel, properties: settings } };
}

const stack = compliantClassicStack();
// A group every policy applies to: Server, blue/green (so the blue/green policy checks it too).
const blueGreenGroup = resource(
  CLASSIC.group,
  "bg-group",
  {
    ...compliantClassicGroupProps(),
    deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
    blueGreenDeploymentConfig: { terminateBlueInstancesOnDeploymentSuccess: { action: "KEEP_ALIVE" } },
    // Behind the same provider as the stack's config, so its name is in scope (docs/resolution.md).
  },
  { provider: PROVIDER },
);

async function allDiagnostics(): Promise<Diagnostic[]> {
  const analyzed = [...(await pack.analyze(stack.group)).diagnostics, ...(await pack.analyze(blueGreenGroup)).diagnostics];
  const stacked = (await pack.analyzeStack([stack.application, stack.config, stack.group, blueGreenGroup])).diagnostics;
  return [...analyzed, ...stacked];
}

describe("the engine client refuses invalid config at configure time, naming the field", () => {
  for (const item of INVALID.filter((candidate) => candidate.clientRefuses)) {
    it(item.title, async () => {
      const error = await pack.configure({ [item.policy]: item.settings }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PolicyConfigError);
      const problems = (error as PolicyConfigError).problems;
      expect(
        problems.some((problem) => problem.policy === item.policy && problem.field === item.field),
        JSON.stringify(problems),
      ).toBe(true);
      expect((error as Error).message).toContain(item.field);
    });
  }

  it("an unknown top-level setting passes the client, as it passes the CLI (its schema allows extra keys); the pack refuses it (below)", async () => {
    const accepted = await pack.configure({ [POLICIES.autoRollback]: { requireEvents: ["DEPLOYMENT_FAILURE"] } });
    expect(accepted[POLICIES.autoRollback]?.properties).toHaveProperty("requireEvents");
    await pack.configure({});
  });
});

describe("an invalid config that reaches the pack anyway fails loudly, never passes, never throws", () => {
  it("baseline: the stack passes every policy with the default config", async () => {
    await pack.configure({});
    expect(await allDiagnostics()).toEqual([]);
  });

  for (const item of INVALID) {
    it(`${item.title}: every check of ${item.policy} reports the config field`, async () => {
      await rawConfigure(pack.port, rawConfig(item.policy, item.settings));
      const diagnostics = await allDiagnostics();
      const mine = diagnostics.filter((diagnostic) => diagnostic.policyName === item.policy);
      // Resource policies: one per analyzed group (Analyze) ; stack policies: one per group, plus
      // the config resource for the minimum-healthy-hosts policy.
      const scope = info.policies.find((policy) => policy.name === item.policy)?.policyType;
      const expected = scope === "stack" ? (item.policy === POLICIES.minimumHealthyHosts ? 3 : 2) : 2;
      expect(mine, JSON.stringify(diagnostics, null, 1)).toHaveLength(expected);
      for (const diagnostic of mine) {
        expect(diagnostic.message).toContain(`"${item.field}"`);
        expect(diagnostic.message).toMatch(/config/i);
        // Mandatory whatever the policy's level: a refused config means nothing was checked.
        expect(diagnostic.enforcementLevel).toBe("mandatory");
      }
      // The other policies keep their (valid, default) config: the compliant stack passes them.
      expect(diagnostics.filter((diagnostic) => diagnostic.policyName !== item.policy)).toEqual([]);
      expect((await pack.remediate(stack.group)).remediations).toEqual([]);
    });
  }

  it("an invalid config replaces the last valid one (the SDK keeps none): verdicts come from neither", async () => {
    await pack.configure({ [POLICIES.alarms]: { minAlarms: 5 } });
    expect((await pack.analyze(stack.group)).diagnostics.map((diagnostic) => diagnostic.policyName)).toEqual([POLICIES.alarms]);
    await rawConfigure(pack.port, rawConfig(POLICIES.alarms, { minAlarms: "five" }));
    const [diagnostic] = (await pack.analyze(stack.group)).diagnostics;
    expect(diagnostic?.message).toContain('"minAlarms"');
    expect(diagnostic?.message).not.toMatch(/fewer than the required/);
    await pack.configure({});
  });

  it("random config values through the raw protocol: no call fails, and what the CLI's validator refuses the pack refuses too", async () => {
    const names = info.policies.map((policy) => policy.name);
    const settingsArb = fc.dictionary(
      fc.constantFrom(
        "requiredEvents",
        "minAlarms",
        "allowIgnorePollAlarmFailure",
        "minHealthyHostCount",
        "minHealthyFleetPercent",
        "externalDeploymentConfigs",
        "minTerminationWaitMinutes",
        "exemptions",
        "other",
      ),
      wireValueArb({ maxStringLength: 64, maxArrayLength: 20, maxDepth: 8 }),
      { maxKeys: 3 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), settingsArb, async (policy, settings) => {
        await rawConfigure(pack.port, rawConfig(policy, settings));
        const diagnostics = await allDiagnostics();
        let cliRefuses = false;
        try {
          reconcilePolicyPackConfig(info, { [policy]: settings });
        } catch (error) {
          if (!(error instanceof PolicyConfigError)) throw error;
          cliRefuses = true;
        }
        if (cliRefuses) {
          const mine = diagnostics.filter((diagnostic) => diagnostic.policyName === policy);
          if (mine.length === 0 || !mine.every((diagnostic) => /config/i.test(diagnostic.message))) {
            throw new Error(
              `the CLI refuses ${JSON.stringify(settings)} for ${policy}, the pack did not report it: ${JSON.stringify(mine)}`,
            );
          }
        }
      }),
      { numRuns: 150 },
    );
    await pack.configure({});
  });
});
