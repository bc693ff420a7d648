import { describe, expect, it } from "vitest";
import { applyGroupPatch, toGroupModel, type PulumiResource } from "../../policy-pack/adapters";
import { policyRunner } from "../../policy-pack/rules";
import type { GroupPatch } from "../../policy-pack/rules/rule";
import { check, classic, native, nativeServerGroupProps, NOW, SENTINEL, serverGroupProps, type Policy } from "./fixtures";

const AUTO = "codedeploy-auto-rollback-enabled";
const ALARM = "codedeploy-alarm-rollback-configured";
const OUTDATED = "codedeploy-outdated-instances-update";

function patchFor(policy: Policy, resource: PulumiResource, settings: unknown = {}): GroupPatch | undefined {
  return policyRunner(policy).configure(settings, NOW).remediateGroup(toGroupModel(resource)!);
}

function remediate(policy: Policy, resource: PulumiResource, settings: unknown = {}): PulumiResource {
  const patch = patchFor(policy, resource, settings);
  return patch ? { ...resource, props: applyGroupPatch(resource.props, patch) } : resource;
}

describe("remediation", () => {
  it("auto-rollback: enables it and adds missing events, keeping the others", () => {
    const group = classic.group(
      "api-dg",
      serverGroupProps({ autoRollbackConfiguration: { enabled: false, events: ["DEPLOYMENT_STOP_ON_REQUEST"] } }),
    );
    expect(patchFor(AUTO, group)).toEqual({
      autoRollback: { enabled: true, events: ["DEPLOYMENT_STOP_ON_REQUEST", "DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
    });
    const fixed = remediate(AUTO, group);
    expect(check(AUTO, fixed).verdict).toBe("pass");
    expect(patchFor(AUTO, fixed)).toBeUndefined();
    expect(fixed.props.alarmConfiguration).toEqual(group.props.alarmConfiguration);
  });

  it("auto-rollback: creates the block when missing", () => {
    const props = serverGroupProps();
    delete props.autoRollbackConfiguration;
    const fixed = remediate(AUTO, classic.group("api-dg", props));
    expect(fixed.props.autoRollbackConfiguration).toEqual({ enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] });
    expect(check(AUTO, fixed).verdict).toBe("pass");
  });

  it("auto-rollback: leaves a group with unknown events alone (it cannot merge what it cannot read)", () => {
    expect(
      patchFor(AUTO, classic.group("api-dg", serverGroupProps({ autoRollbackConfiguration: { enabled: false, events: SENTINEL } }))),
    ).toBeUndefined();
  });

  it("alarm flags: turns monitoring on and stops ignoring poll failures when alarms exist", () => {
    const group = classic.group(
      "api-dg",
      serverGroupProps({ alarmConfiguration: { enabled: false, alarms: ["api-5xx"], ignorePollAlarmFailure: true } }),
    );
    expect(patchFor(ALARM, group)).toEqual({ alarmFlags: { enabled: true, ignorePollAlarmFailure: false } });
    const fixed = remediate(ALARM, group);
    expect(fixed.props.alarmConfiguration).toEqual({ enabled: true, alarms: ["api-5xx"], ignorePollAlarmFailure: false });
    expect(check(ALARM, fixed).verdict).toBe("pass");
    expect(patchFor(ALARM, fixed)).toBeUndefined();
  });

  it("alarm flags: keeps ignorePollAlarmFailure when config allows it", () => {
    const group = classic.group(
      "api-dg",
      serverGroupProps({ alarmConfiguration: { enabled: false, alarms: ["a"], ignorePollAlarmFailure: true } }),
    );
    expect(patchFor(ALARM, group, { allowIgnorePollAlarmFailure: true })).toEqual({ alarmFlags: { enabled: true } });
  });

  it.each([
    ["no alarmConfiguration", undefined],
    ["an empty alarm list", { enabled: false, alarms: [] }],
    ["no alarm list", { enabled: false }],
  ])("alarm flags: does nothing with %s (it cannot invent alarms)", (_label, alarmConfiguration) => {
    const group = classic.group("api-dg", serverGroupProps({ alarmConfiguration }));
    expect(patchFor(ALARM, group)).toBeUndefined();
    expect(check(ALARM, group).verdict).toBe("mandatory");
  });

  it("outdated instances: IGNORE becomes UPDATE", () => {
    const group = classic.group("api-dg", serverGroupProps({ outdatedInstancesStrategy: "IGNORE" }));
    expect(patchFor(OUTDATED, group)).toEqual({ outdatedInstancesStrategy: "UPDATE" });
    const fixed = remediate(OUTDATED, group);
    expect(fixed.props.outdatedInstancesStrategy).toBe("UPDATE");
    expect(check(OUTDATED, fixed).verdict).toBe("pass");
    expect(patchFor(OUTDATED, fixed)).toBeUndefined();
  });

  it("remediating twice changes nothing", () => {
    let group = classic.group(
      "api-dg",
      serverGroupProps({
        autoRollbackConfiguration: { enabled: false },
        alarmConfiguration: { enabled: false, alarms: ["a"], ignorePollAlarmFailure: true },
        outdatedInstancesStrategy: "IGNORE",
      }),
    );
    for (const policy of [AUTO, ALARM, OUTDATED] as const) group = remediate(policy, group);
    const once = structuredClone(group.props);
    for (const policy of [AUTO, ALARM, OUTDATED] as const) group = remediate(policy, group);
    expect(group.props).toEqual(once);
  });

  it("does not remediate an exempted group", () => {
    const group = classic.group("legacy-dg", serverGroupProps({ outdatedInstancesStrategy: "IGNORE" }));
    expect(patchFor(OUTDATED, group, { exemptions: [{ resource: "legacy-*", reason: "r", expires: "2026-12-31" }] })).toBeUndefined();
  });

  it("works on AWS Native groups ({ name } alarms kept as they are)", () => {
    const group = native.group(
      "api-dg",
      nativeServerGroupProps({
        autoRollbackConfiguration: { enabled: false, events: ["DEPLOYMENT_FAILURE"] },
        alarmConfiguration: { enabled: false, alarms: [{ name: "api-5xx" }] },
      }),
    );
    const fixed = remediate(ALARM, remediate(AUTO, group));
    expect(fixed.props.alarmConfiguration).toEqual({ enabled: true, alarms: [{ name: "api-5xx" }] });
    expect(check(AUTO, fixed).verdict).toBe("pass");
    expect(check(ALARM, fixed).verdict).toBe("pass");
  });
});
