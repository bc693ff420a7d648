// Policy pack config: validated by the client as the CLI validates `--policy-pack-config`, sent
// with Configure, and changing verdicts inside the pack.
import { describe, expect, it } from "vitest";
import { PolicyConfigError, type PolicyPackConfig } from "../../packages/tools/src/engine";
import { CLASSIC, POLICIES, byPolicy, compliantClassicGroupProps, compliantClassicStack, resource, usePack, withValue } from "./helpers";

const pack = usePack();

async function refused(config: PolicyPackConfig): Promise<PolicyConfigError> {
  const error = await pack.configure(config).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(PolicyConfigError);
  return error as PolicyConfigError;
}

const failureOnly = resource(
  CLASSIC.group,
  "failure-only",
  withValue(compliantClassicGroupProps(), "autoRollbackConfiguration.events", ["DEPLOYMENT_FAILURE"]),
);
const rollbackOff = resource(
  CLASSIC.group,
  "legacy-batch-scorer",
  withValue(compliantClassicGroupProps(), "autoRollbackConfiguration.enabled", false),
);

describe("configure() refuses what the CLI refuses, naming policy and field", () => {
  it("minHealthyFleetPercent 150", async () => {
    const error = await refused({ [POLICIES.minimumHealthyHosts]: { minHealthyFleetPercent: 150 } });
    expect(error.problems).toEqual([{ policy: POLICIES.minimumHealthyHosts, field: "minHealthyFleetPercent", message: "must be <= 99" }]);
    expect(error.message).toContain(`${POLICIES.minimumHealthyHosts}: minHealthyFleetPercent: must be <= 99`);
  });

  it("a misspelled event name", async () => {
    const error = await refused({ [POLICIES.autoRollback]: { requiredEvents: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARMS"] } });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ policy: POLICIES.autoRollback, field: "requiredEvents[1]" });
    expect(error.message).toContain("DEPLOYMENT_STOP_ON_ALARM");
  });

  it("a bad exemption date, and an exemption without a reason", async () => {
    const error = await refused({
      [POLICIES.autoRollback]: {
        exemptions: [
          { resource: "legacy-*", reason: "runbook", expires: "31/12/2027" },
          { resource: "x", expires: "2027-01-01" },
        ],
      },
    });
    // A malformed date fails both the pattern and the date format: one field, two problems.
    expect([...new Set(error.problems.map((problem) => problem.field))].sort()).toEqual(["exemptions[0].expires", "exemptions[1].reason"]);
    expect(error.message).toContain("exemptions[0].expires");
  });

  it("a wrong type, an invalid level, an unknown policy name and a non-object entry", async () => {
    const error = await refused({
      [POLICIES.alarms]: { minAlarms: "two" },
      [POLICIES.blueGreen]: "strict",
      [POLICIES.outdatedInstances]: { enforcementLevel: "warn" },
      "codedeploy-auto-rollback": "mandatory",
    });
    const fields = error.problems.map((problem) => `${problem.policy}/${problem.field}`).sort();
    // Entry-level problems are reported before any schema is looked at, as the CLI does.
    expect(fields).toEqual(
      ["codedeploy-auto-rollback/", `${POLICIES.blueGreen}/`, `${POLICIES.outdatedInstances}/enforcementLevel`].sort(),
    );
    expect(error.message).toContain("has no policy of that name");
    expect((await refused({ [POLICIES.alarms]: { minAlarms: "two" } })).problems).toEqual([
      { policy: POLICIES.alarms, field: "minAlarms", message: "must be integer" },
    ]);
  });

  it("a refused config is not sent: the pack keeps its previous config", async () => {
    await pack.configure({ [POLICIES.autoRollback]: { requiredEvents: ["DEPLOYMENT_FAILURE"] } });
    await refused({ [POLICIES.autoRollback]: { requiredEvents: ["NOPE"] } });
    expect(byPolicy((await pack.analyze(failureOnly)).diagnostics, POLICIES.autoRollback)).toEqual([]);
    await pack.configure({});
  });
});

describe("a valid config changes verdicts", () => {
  it("sends every policy with its defaults filled in, as the engine does", async () => {
    const sent = await pack.configure({ [POLICIES.alarms]: { minAlarms: 2 }, [POLICIES.outdatedInstances]: "mandatory" });
    expect(Object.keys(sent).sort()).toEqual(Object.values(POLICIES).sort());
    expect(sent[POLICIES.alarms]).toEqual({
      enforcementLevel: "mandatory",
      properties: { minAlarms: 2, allowIgnorePollAlarmFailure: false, exemptions: [] },
    });
    expect(sent[POLICIES.outdatedInstances]).toEqual({ enforcementLevel: "mandatory", properties: { exemptions: [] } });
    expect(sent[POLICIES.blueGreen]).toEqual({
      enforcementLevel: "advisory",
      properties: { minTerminationWaitMinutes: 60, exemptions: [] },
    });
    const ignoring = resource(CLASSIC.group, "ignoring", withValue(compliantClassicGroupProps(), "outdatedInstancesStrategy", "IGNORE"));
    expect(byPolicy((await pack.analyze(ignoring)).diagnostics, POLICIES.outdatedInstances)[0]?.enforcementLevel).toBe("mandatory");
    const oneAlarm = resource(
      CLASSIC.group,
      "one-alarm",
      withValue(compliantClassicGroupProps(), "alarmConfiguration.alarms", ["only-one"]),
    );
    expect(byPolicy((await pack.analyze(oneAlarm)).diagnostics, POLICIES.alarms)[0]?.message).toContain("fewer than the required 2");
  });

  it("requiredEvents decides what auto-rollback needs", async () => {
    await pack.configure({});
    expect(byPolicy((await pack.analyze(failureOnly)).diagnostics, POLICIES.autoRollback)).toHaveLength(1);
    await pack.configure({ [POLICIES.autoRollback]: { requiredEvents: ["DEPLOYMENT_FAILURE"] } });
    expect(byPolicy((await pack.analyze(failureOnly)).diagnostics, POLICIES.autoRollback)).toEqual([]);
  });

  it("enforcementLevel disabled silences a policy, advisory downgrades it", async () => {
    await pack.configure({ [POLICIES.autoRollback]: "disabled" });
    expect(byPolicy((await pack.analyze(rollbackOff)).diagnostics, POLICIES.autoRollback)).toEqual([]);
    await pack.configure({ [POLICIES.autoRollback]: { enforcementLevel: "advisory" } });
    expect(
      byPolicy((await pack.analyze(rollbackOff)).diagnostics, POLICIES.autoRollback).map((diagnostic) => diagnostic.enforcementLevel),
    ).toEqual(["advisory"]);
  });

  it('"all" sets every level, and a policy entry overrides it', async () => {
    await pack.configure({ all: "advisory", [POLICIES.alarms]: "mandatory" });
    const group = resource(CLASSIC.group, "bad", {
      ...withValue(compliantClassicGroupProps(), "autoRollbackConfiguration", undefined),
      alarmConfiguration: { enabled: false, alarms: ["a"] },
    });
    const diagnostics = (await pack.analyze(group)).diagnostics;
    expect(byPolicy(diagnostics, POLICIES.autoRollback)[0]?.enforcementLevel).toBe("advisory");
    expect(byPolicy(diagnostics, POLICIES.alarms)[0]?.enforcementLevel).toBe("mandatory");
  });

  it("a stack policy's settings reach AnalyzeStack (minHealthyFleetPercent)", async () => {
    const { application, config, group } = compliantClassicStack();
    await pack.configure({ [POLICIES.minimumHealthyHosts]: { minHealthyFleetPercent: 80 } });
    const diagnostics = byPolicy((await pack.analyzeStack([application, config, group])).diagnostics, POLICIES.minimumHealthyHosts);
    expect(diagnostics.map((diagnostic) => diagnostic.urn).sort()).toEqual([config.urn, group.urn].sort());
    await pack.configure({});
    expect((await pack.analyzeStack([application, config, group])).diagnostics).toEqual([]);
  });

  it("a misspelled top-level setting passes the CLI's validation, and the pack itself refuses it", async () => {
    // The CLI's schema sets no additionalProperties, so neither does configure(); the pack's own
    // parsing refuses unknown settings and reports it on every resource instead of passing.
    await pack.configure({ [POLICIES.outdatedInstances]: { exemptionz: [] } });
    const ignoring = resource(CLASSIC.group, "fine", compliantClassicGroupProps());
    const diagnostic = byPolicy((await pack.analyze(ignoring)).diagnostics, POLICIES.outdatedInstances)[0];
    expect(diagnostic?.message).toContain('"exemptionz"');
    await pack.configure({});
  });
});

describe("exemptions", () => {
  it("an active exemption (by name glob) removes the violation", async () => {
    await pack.configure({
      [POLICIES.autoRollback]: {
        exemptions: [{ resource: "legacy-batch-*", reason: "runbook rollback until Q3 (TICKET-123)", expires: "2999-12-31" }],
      },
    });
    expect(byPolicy((await pack.analyze(rollbackOff)).diagnostics, POLICIES.autoRollback)).toEqual([]);
    // Other resources are not exempt.
    const other = resource(CLASSIC.group, "other", withValue(compliantClassicGroupProps(), "autoRollbackConfiguration.enabled", false));
    expect(byPolicy((await pack.analyze(other)).diagnostics, POLICIES.autoRollback)).toHaveLength(1);
  });

  it("an exemption by URN works for stack policies too", async () => {
    const { application, group: compliant } = compliantClassicStack();
    const group = {
      ...compliant,
      properties: withValue(compliant.properties, "deploymentConfigName", "CodeDeployDefault.HalfAtATime"),
      propertyDependencies: {},
    };
    await pack.configure({
      [POLICIES.minimumHealthyHosts]: { exemptions: [{ resource: group.urn, reason: "canary fleet", expires: "2999-01-01" }] },
    });
    expect(byPolicy((await pack.analyzeStack([application, group])).diagnostics, POLICIES.minimumHealthyHosts)).toEqual([]);
  });

  it("an expired exemption brings the violation back and says it expired", async () => {
    await pack.configure({
      [POLICIES.autoRollback]: { exemptions: [{ resource: "legacy-batch-*", reason: "runbook rollback until Q3", expires: "2020-06-30" }] },
    });
    const diagnostic = byPolicy((await pack.analyze(rollbackOff)).diagnostics, POLICIES.autoRollback)[0];
    expect(diagnostic?.enforcementLevel).toBe("mandatory");
    expect(diagnostic?.message).toContain("expired on 2020-06-30");
    expect(diagnostic?.message).toContain("runbook rollback until Q3");
    await pack.configure({});
  });
});
