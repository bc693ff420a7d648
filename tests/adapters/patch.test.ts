// Writing a remediation patch (core/patch.ts GroupPatch) back into a group's props
// (adapters/index.ts applyGroupPatch): a key the patch does not touch is not added, not even as
// undefined (the engine would see a property the program never set), and a settings block of the
// wrong shape is replaced by the patch's own settings, never spread into it.
import { describe, expect, it } from "vitest";
import { applyGroupPatch } from "../../policy-pack/adapters";
import type { GroupPatch } from "../../policy-pack/core/patch";

const ROLLBACK: GroupPatch = { autoRollback: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] } };

describe("applyGroupPatch adds only the keys its patch touches", () => {
  it("an empty patch gives the same props (a copy), no key added", () => {
    const props = { appName: "inference-api", deploymentGroupName: "inference-api-prod" };
    const patched = applyGroupPatch(props, {});
    expect(Object.keys(patched)).toEqual(["appName", "deploymentGroupName"]);
    expect(patched).toEqual(props);
    expect(patched).not.toBe(props);
  });

  it("each part of a patch adds its own key and no other", () => {
    const props = { appName: "inference-api" };
    expect(Object.keys(applyGroupPatch(props, ROLLBACK))).toEqual(["appName", "autoRollbackConfiguration"]);
    expect(Object.keys(applyGroupPatch(props, { alarmFlags: { enabled: true } }))).toEqual(["appName", "alarmConfiguration"]);
    expect(Object.keys(applyGroupPatch(props, { outdatedInstancesStrategy: "UPDATE" }))).toEqual(["appName", "outdatedInstancesStrategy"]);
  });

  it("the events are a copy of the patch's, so the props never share the patch's list", () => {
    const patched = applyGroupPatch({}, ROLLBACK);
    const events = (patched["autoRollbackConfiguration"] as { events: string[] }).events;
    expect(events).toEqual(["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]);
    expect(events).not.toBe(ROLLBACK.autoRollback!.events);
  });
});

describe("a settings block of the wrong shape is replaced, never spread into the patch", () => {
  it.each([
    ["a string", "DEPLOYMENT_FAILURE"],
    ["a list", ["DEPLOYMENT_FAILURE"]],
    ["null", null],
    ["a number", 1],
  ])("autoRollbackConfiguration that is %s", (_label, block) => {
    expect(applyGroupPatch({ autoRollbackConfiguration: block }, ROLLBACK)).toEqual({
      autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
    });
  });

  it.each([
    ["a string", "alarm-5xx"],
    ["a list", ["alarm-5xx", "alarm-p99"]],
  ])("alarmConfiguration that is %s", (_label, block) => {
    expect(applyGroupPatch({ alarmConfiguration: block }, { alarmFlags: { enabled: true, ignorePollAlarmFailure: false } })).toEqual({
      alarmConfiguration: { enabled: true, ignorePollAlarmFailure: false },
    });
  });

  it("an object block keeps every setting the patch does not name", () => {
    expect(
      applyGroupPatch(
        { autoRollbackConfiguration: { enabled: false, events: ["DEPLOYMENT_FAILURE"], note: "kept" } },
        { autoRollback: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_REQUEST"] } },
      ),
    ).toEqual({ autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_REQUEST"], note: "kept" } });
  });
});
