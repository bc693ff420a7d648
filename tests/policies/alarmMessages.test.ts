// codedeploy-alarm-rollback-configured, message by message: the branches mutation testing showed no test
// noticing (a malformed block, empty alarm names, the enabled flag's wording, where the
// DEPLOYMENT_STOP_ON_ALARM note goes, the alarm count asked for, unknown fields, alarms missing in
// CloudWatch). The message is the contract: it says what is wrong and what to set.
import { describe, expect, it } from "vitest";
import type { AlarmModel, DeploymentGroupModel } from "../../policy-pack/core/model";
import { evaluateStack } from "../../policy-pack/evaluate";
import { check, classic, models, NOW, SENTINEL, serverGroupProps } from "./fixtures";

const ALARMS = "codedeploy-alarm-rollback-configured";
const NOTE = "DEPLOYMENT_STOP_ON_ALARM in its rollback events does nothing at all without an enabled alarm";
const group = (overrides: Record<string, unknown>) => classic.group("scorer-dg", serverGroupProps(overrides));
const alarmCheck = (overrides: Record<string, unknown>, config: Record<string, unknown> = {}) =>
  check(ALARMS, group(overrides), [], { [ALARMS]: config });

describe("alarm rule messages", () => {
  it("a malformed alarmConfiguration is a violation naming the field, never a pass", () => {
    const result = alarmCheck({ alarmConfiguration: "enabled" });
    expect(result.verdict).toBe("mandatory");
    expect(result.finding?.reason).toBe("malformed");
    expect(result.message).toBe(
      'Deployment group "scorer-dg": alarmConfiguration is malformed (expected object, found string), so it cannot be checked; fix its value.',
    );
  });

  it("asks for as many alarms as minAlarms, and at least one", () => {
    expect(alarmCheck({ alarmConfiguration: undefined }, { minAlarms: 3 }).message).toBe(
      `Deployment group "scorer-dg": has no alarmConfiguration, so no CloudWatch alarm can stop a bad deployment; ${NOTE}; add alarmConfiguration { enabled: true, alarms: [at least 3] }.`,
    );
    expect(alarmCheck({ alarmConfiguration: undefined }, { minAlarms: 0 }).message).toContain("alarms: [at least 1] }");
  });

  it("adds the DEPLOYMENT_STOP_ON_ALARM note only when the rollback events list it", () => {
    expect(alarmCheck({ alarmConfiguration: undefined, autoRollbackConfiguration: undefined }).message).toBe(
      'Deployment group "scorer-dg": has no alarmConfiguration, so no CloudWatch alarm can stop a bad deployment; add alarmConfiguration { enabled: true, alarms: [at least 1] }.',
    );
    expect(
      alarmCheck({ alarmConfiguration: undefined, autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE"] } }).message,
    ).not.toContain("DEPLOYMENT_STOP_ON_ALARM");
    expect(alarmCheck({ alarmConfiguration: undefined, autoRollbackConfiguration: "on" }).message).not.toContain(
      "DEPLOYMENT_STOP_ON_ALARM",
    );
  });

  it("says whether enabled is false or not set, and puts the note on that part only", () => {
    expect(alarmCheck({ alarmConfiguration: { alarms: ["scorer-5xx"] } }).message).toBe(
      `Deployment group "scorer-dg": alarm monitoring is off (enabled is not set), so CodeDeploy ignores the alarms; ${NOTE}; set alarmConfiguration.enabled to true.`,
    );
    expect(alarmCheck({ alarmConfiguration: { enabled: false, alarms: [] } }).message).toBe(
      `Deployment group "scorer-dg": alarm monitoring is off (enabled is false), so CodeDeploy ignores the alarms; ${NOTE}; set alarmConfiguration.enabled to true; ` +
        "watches 0 alarm(s), fewer than the required 1; list CloudWatch alarms in alarmConfiguration.alarms.",
    );
    expect(alarmCheck({ alarmConfiguration: { alarms: [] } }).message).toBe(
      `Deployment group "scorer-dg": alarm monitoring is off (enabled is not set), so CodeDeploy ignores the alarms; ${NOTE}; set alarmConfiguration.enabled to true; ` +
        "watches 0 alarm(s), fewer than the required 1; list CloudWatch alarms in alarmConfiguration.alarms.",
    );
  });

  it("reports empty alarm names and does not count them", () => {
    expect(alarmCheck({ alarmConfiguration: { enabled: true, alarms: ["", "scorer-5xx"] } }).message).toBe(
      'Deployment group "scorer-dg": alarmConfiguration.alarms holds 1 empty alarm name(s); name real CloudWatch alarms.',
    );
    expect(alarmCheck({ alarmConfiguration: { enabled: true, alarms: ["", ""] } }).message).toBe(
      'Deployment group "scorer-dg": alarmConfiguration.alarms holds 2 empty alarm name(s); name real CloudWatch alarms; ' +
        `watches 0 alarm(s), fewer than the required 1; ${NOTE}; list CloudWatch alarms in alarmConfiguration.alarms.`,
    );
  });

  it.each([
    ["alarmConfiguration", { alarmConfiguration: SENTINEL }],
    ["alarmConfiguration.enabled", { alarmConfiguration: { enabled: SENTINEL, alarms: ["scorer-5xx"] } }],
    ["alarmConfiguration.alarms", { alarmConfiguration: { enabled: true, alarms: SENTINEL } }],
    [
      "alarmConfiguration.ignorePollAlarmFailure",
      { alarmConfiguration: { enabled: true, alarms: ["scorer-5xx"], ignorePollAlarmFailure: SENTINEL } },
    ],
  ])("an unknown %s is advisory and named", (path, overrides) => {
    const result = alarmCheck(overrides);
    expect(result.verdict).toBe("advisory");
    expect(result.message).toBe(`Deployment group "scorer-dg": can't be checked during preview: ${path} is unknown until the update runs.`);
  });

  it("counts only the alarms that exist in CloudWatch (audit), and says how many were missing", () => {
    const [model] = models([group({ alarmConfiguration: { enabled: true, alarms: ["scorer-5xx"] } })]) as [DeploymentGroupModel];
    const withAbsent = { ...model, alarmConfiguration: { ...(model.alarmConfiguration as AlarmModel), absentAlarms: 1 } };
    const finding = evaluateStack([withAbsent], {}, NOW).find((candidate) => candidate.policy === ALARMS);
    expect(finding?.enforcementLevel).toBe("mandatory");
    expect(finding?.message).toBe(
      'Deployment group "scorer-dg": 1 of its alarm name(s) match no CloudWatch alarm in its account and region (AWS requires an alarm to be created in CloudWatch before it is added to a deployment group), so only its 1 existing alarm(s) count; create the missing alarm(s) or list existing ones in alarmConfiguration.alarms.',
    );
  });
});
