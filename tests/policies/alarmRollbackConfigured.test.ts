import { describe, expect, it } from "vitest";
import { check, classic, native, nativeServerGroupProps, SECRET_LOOKING, SENTINEL, serverGroupProps } from "./fixtures";

const POLICY = "codedeploy-alarm-rollback-configured";
const alarmsNamed = (n: number) => Array.from({ length: n }, (_, i) => `inference-api-alarm-${i + 1}`);

describe(POLICY, () => {
  it("passes an enabled alarm configuration with alarms that stops on poll failures", () => {
    expect(check(POLICY, classic.group("api-dg", serverGroupProps())).verdict).toBe("pass");
  });

  it("is mandatory when alarmConfiguration is missing, and says DEPLOYMENT_STOP_ON_ALARM then does nothing", () => {
    const props = serverGroupProps();
    delete props.alarmConfiguration;
    const result = check(POLICY, classic.group("api-dg", props));
    expect(result.verdict).toBe("mandatory");
    expect(result.message).toContain('"api-dg"');
    expect(result.message).toContain("has no alarmConfiguration");
    expect(result.message).toContain("DEPLOYMENT_STOP_ON_ALARM in its rollback events does nothing at all");
    expect(result.message).toContain("add alarmConfiguration { enabled: true");
  });

  it("does not mention DEPLOYMENT_STOP_ON_ALARM when the group does not list it", () => {
    const props = serverGroupProps({ autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE"] } });
    delete props.alarmConfiguration;
    expect(check(POLICY, classic.group("api-dg", props)).message).not.toContain("DEPLOYMENT_STOP_ON_ALARM");
  });

  it("is mandatory when monitoring is disabled (alarms kept but ignored)", () => {
    const group = classic.group("api-dg", serverGroupProps({ alarmConfiguration: { enabled: false, alarms: ["inference-api-5xx"] } }));
    const result = check(POLICY, group);
    expect(result.verdict).toBe("mandatory");
    expect(result.message).toContain("enabled is false");
    expect(result.message).toContain("does nothing at all");
    expect(result.message).toContain("set alarmConfiguration.enabled to true");
  });

  it("is mandatory with no alarms, and says stop-on-alarm does nothing", () => {
    const group = classic.group("api-dg", serverGroupProps({ alarmConfiguration: { enabled: true, alarms: [] } }));
    const result = check(POLICY, group);
    expect(result.verdict).toBe("mandatory");
    expect(result.message).toContain("watches 0 alarm(s), fewer than the required 1");
    expect(result.message).toContain("does nothing at all");
  });

  it("follows minAlarms", () => {
    const group = classic.group("api-dg", serverGroupProps({ alarmConfiguration: { enabled: true, alarms: alarmsNamed(2) } }));
    expect(check(POLICY, group, [], { [POLICY]: { minAlarms: 2 } }).verdict).toBe("pass");
    const result = check(POLICY, group, [], { [POLICY]: { minAlarms: 3 } });
    expect(result.verdict).toBe("mandatory");
    expect(result.message).toContain("fewer than the required 3");
    const none = classic.group("api-dg", serverGroupProps({ alarmConfiguration: { enabled: true, alarms: [] } }));
    expect(check(POLICY, none, [], { [POLICY]: { minAlarms: 0 } }).verdict).toBe("pass");
  });

  it("accepts 10 alarms and refuses 11 (the CodeDeploy limit)", () => {
    expect(
      check(POLICY, classic.group("api-dg", serverGroupProps({ alarmConfiguration: { enabled: true, alarms: alarmsNamed(10) } }))).verdict,
    ).toBe("pass");
    const result = check(
      POLICY,
      classic.group("api-dg", serverGroupProps({ alarmConfiguration: { enabled: true, alarms: alarmsNamed(11) } })),
    );
    expect(result.verdict).toBe("mandatory");
    expect(result.message).toContain("lists 11 alarms, more than the 10 CodeDeploy accepts");
  });

  it("is mandatory with ignorePollAlarmFailure true unless config allows it", () => {
    const group = classic.group(
      "api-dg",
      serverGroupProps({ alarmConfiguration: { enabled: true, alarms: ["a"], ignorePollAlarmFailure: true } }),
    );
    const result = check(POLICY, group);
    expect(result.verdict).toBe("mandatory");
    expect(result.message).toContain("ignorePollAlarmFailure is true");
    expect(result.message).toContain("set it to false");
    expect(check(POLICY, group, [], { [POLICY]: { allowIgnorePollAlarmFailure: true } }).verdict).toBe("pass");
  });

  it("never echoes alarm names", () => {
    const group = classic.group(
      "api-dg",
      serverGroupProps({ alarmConfiguration: { enabled: false, alarms: [SECRET_LOOKING], ignorePollAlarmFailure: true } }),
    );
    const result = check(POLICY, group);
    expect(result.verdict).toBe("mandatory");
    expect(result.message).not.toContain(SECRET_LOOKING);
  });

  it("is advisory when the alarm list is unknown and the rest passes", () => {
    const group = classic.group("api-dg", serverGroupProps({ alarmConfiguration: { enabled: true, alarms: SENTINEL } }));
    expect(check(POLICY, group).verdict).toBe("advisory");
  });

  it("decides from enabled: false even when the alarms are unknown", () => {
    const group = classic.group("api-dg", serverGroupProps({ alarmConfiguration: { enabled: false, alarms: SENTINEL } }));
    expect(check(POLICY, group).verdict).toBe("mandatory");
  });

  it("counts unknown alarm names as alarms (an alarm resource's name computed during the update)", () => {
    const group = classic.group("api-dg", serverGroupProps({ alarmConfiguration: { enabled: true, alarms: [SENTINEL] } }));
    expect(check(POLICY, group).verdict).toBe("pass");
  });

  it("reads AWS Native alarms ({ name } objects)", () => {
    expect(check(POLICY, native.group("api-dg", nativeServerGroupProps())).verdict).toBe("pass");
    const none = native.group("api-dg", nativeServerGroupProps({ alarmConfiguration: { enabled: true, alarms: [] } }));
    expect(check(POLICY, none).verdict).toBe("mandatory");
    const eleven = native.group(
      "api-dg",
      nativeServerGroupProps({ alarmConfiguration: { enabled: true, alarms: alarmsNamed(11).map((name) => ({ name })) } }),
    );
    expect(check(POLICY, eleven).verdict).toBe("mandatory");
  });
});

describe(`${POLICY}: the alarms are a set`, () => {
  const DUPLICATES =
    "alarmConfiguration.alarms names the same alarm more than once, which the CodeDeploy API refuses (the AWS provider collapses duplicates), so each name was counted once";
  const withAlarms = (alarms: unknown[], enabled: unknown = true) =>
    classic.group("api-dg", serverGroupProps({ alarmConfiguration: { enabled, alarms, ignorePollAlarmFailure: false } }));

  it("counts distinct names against minAlarms, and says duplicates were found", () => {
    const result = check(POLICY, withAlarms(["a-5xx", "a-5xx", "a-p99"]), [], { [POLICY]: { minAlarms: 3 } });
    expect(result.verdict).toBe("mandatory");
    expect(result.message).toBe(
      `Deployment group "api-dg": watches 2 alarm(s), fewer than the required 3; list CloudWatch alarms in alarmConfiguration.alarms; ${DUPLICATES}.`,
    );
  });

  it("duplicates alone are no violation: the classic provider sends the set", () => {
    expect(check(POLICY, withAlarms(["a-5xx", "a-5xx"])).verdict).toBe("pass");
  });

  it("any other finding says duplicates were found too", () => {
    expect(check(POLICY, withAlarms(["a-5xx", "a-5xx"], false)).message).toBe(
      `Deployment group "api-dg": alarm monitoring is off (enabled is false), so CodeDeploy ignores the alarms; DEPLOYMENT_STOP_ON_ALARM in its rollback events does nothing at all without an enabled alarm; set alarmConfiguration.enabled to true; ${DUPLICATES}.`,
    );
  });

  it("counts distinct names against the maximum of 10, and an unknown alarm as one more name", () => {
    expect(check(POLICY, withAlarms([...alarmsNamed(10), "inference-api-alarm-1"])).verdict).toBe("pass");
    expect(check(POLICY, withAlarms([...alarmsNamed(10), SENTINEL])).message).toContain("lists 11 alarms, more than the 10");
    expect(check(POLICY, withAlarms(["a", SENTINEL]), [], { [POLICY]: { minAlarms: 2 } }).verdict).toBe("pass");
  });

  it("AWS Native alarms ({ name }) too", () => {
    const group = native.group(
      "api-dg",
      nativeServerGroupProps({ alarmConfiguration: { enabled: true, alarms: [{ name: "x" }, { name: "x" }] } }),
    );
    expect(check(POLICY, group, [], { [POLICY]: { minAlarms: 2 } }).message).toContain(DUPLICATES);
  });
});
