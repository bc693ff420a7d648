// codedeploy-auto-rollback-enabled, message by message, and what its remediation writes: the branches
// mutation testing showed no test noticing (the events the fix asks for, unknown and malformed parts, the
// count of undefined events, which events are missing, how many unknown events can stand in for missing
// ones, when remediation must leave the group alone). From README's policy table: a group needs
// autoRollbackConfiguration with enabled true and every one of `requiredEvents` (default
// DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM); CodeDeploy defines exactly the three events below.
import { describe, expect, it } from "vitest";
import { toGroupModel } from "../../policy-pack/adapters";
import { policyRunner } from "../../policy-pack/rules";
import { check, classic, NOW, SENTINEL, serverGroupProps } from "./fixtures";

const POLICY = "codedeploy-auto-rollback-enabled";
const FAILURE = "DEPLOYMENT_FAILURE";
const ALARM = "DEPLOYMENT_STOP_ON_ALARM";
const REQUEST = "DEPLOYMENT_STOP_ON_REQUEST";
const group = (autoRollbackConfiguration: unknown) => classic.group("api-dg", serverGroupProps({ autoRollbackConfiguration }));
const autoCheck = (autoRollbackConfiguration: unknown, settings: Record<string, unknown> = {}) =>
  check(POLICY, group(autoRollbackConfiguration), [], { [POLICY]: settings });
const patchFor = (autoRollbackConfiguration: unknown, settings: Record<string, unknown> = {}) =>
  policyRunner(POLICY)
    .configure(settings, NOW)
    .remediateGroup(toGroupModel(group(autoRollbackConfiguration))!);
const undecidable = (path: string) =>
  `Deployment group "api-dg": can't be checked during preview: ${path} is unknown until the update runs.`;

describe("auto-rollback messages", () => {
  it("a missing block asks for the required events, as configured", () => {
    expect(autoCheck(undefined).message).toBe(
      'Deployment group "api-dg": has no autoRollbackConfiguration, so CodeDeploy never rolls a failed release back by itself; set autoRollbackConfiguration { enabled: true, events: [DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM] }.',
    );
    expect(autoCheck(undefined, { requiredEvents: [REQUEST] }).message).toBe(
      'Deployment group "api-dg": has no autoRollbackConfiguration, so CodeDeploy never rolls a failed release back by itself; set autoRollbackConfiguration { enabled: true, events: [DEPLOYMENT_STOP_ON_REQUEST] }.',
    );
  });

  it("an unknown or malformed block is advisory or malformed, and nothing else is said", () => {
    expect(autoCheck(SENTINEL)).toMatchObject({ verdict: "advisory", message: undecidable("autoRollbackConfiguration") });
    expect(autoCheck("enabled")).toMatchObject({
      verdict: "mandatory",
      finding: { reason: "malformed" },
      message:
        'Deployment group "api-dg": autoRollbackConfiguration is malformed (expected object, found string), so it cannot be checked; fix its value.',
    });
  });

  it("enabled: false, not set, malformed or unknown", () => {
    const events = [FAILURE, ALARM];
    expect(autoCheck({ enabled: false, events }).message).toBe(
      'Deployment group "api-dg": automatic rollback is disabled (enabled is false); set autoRollbackConfiguration.enabled to true.',
    );
    expect(autoCheck({ events }).message).toBe(
      'Deployment group "api-dg": automatic rollback is disabled (enabled is not set); set autoRollbackConfiguration.enabled to true.',
    );
    expect(autoCheck({ enabled: "true", events })).toMatchObject({
      verdict: "mandatory",
      finding: { reason: "malformed" },
      message:
        'Deployment group "api-dg": autoRollbackConfiguration.enabled is malformed (expected boolean, found string), so it cannot be checked; fix its value.',
    });
    expect(autoCheck({ enabled: SENTINEL, events })).toMatchObject({
      verdict: "advisory",
      message: undecidable("autoRollbackConfiguration.enabled"),
    });
  });

  it("lists every definite problem in one message", () => {
    expect(autoCheck({ enabled: false, events: [REQUEST] }).message).toBe(
      'Deployment group "api-dg": automatic rollback is disabled (enabled is false); set autoRollbackConfiguration.enabled to true; rollback events lack DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM; add them to autoRollbackConfiguration.events.',
    );
  });

  it("unknown events are advisory only while some event is required", () => {
    expect(autoCheck({ enabled: true, events: SENTINEL })).toMatchObject({
      verdict: "advisory",
      message: undecidable("autoRollbackConfiguration.events"),
    });
    expect(autoCheck({ enabled: true, events: SENTINEL }, { requiredEvents: [] }).verdict).toBe("pass");
  });

  it("malformed events are reported, naming the field or the element", () => {
    expect(autoCheck({ enabled: true, events: FAILURE }).message).toBe(
      'Deployment group "api-dg": autoRollbackConfiguration.events is malformed (expected array, found string), so it cannot be checked; fix its value.',
    );
    expect(autoCheck({ enabled: true, events: [FAILURE, ALARM, 3] })).toMatchObject({
      verdict: "mandatory",
      finding: { reason: "malformed" },
      message:
        'Deployment group "api-dg": autoRollbackConfiguration.events[2] is malformed (expected string, found number), so it cannot be checked; fix its value.',
    });
  });

  it("counts the events CodeDeploy does not define and lists the ones it does", () => {
    expect(autoCheck({ enabled: true, events: [FAILURE, "ROLLBACK_ON_ERROR", ALARM, "ON_ALARM"] }).message).toBe(
      'Deployment group "api-dg": autoRollbackConfiguration.events holds 2 value(s) CodeDeploy does not define; use only DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM, DEPLOYMENT_STOP_ON_REQUEST.',
    );
  });

  it("names only the missing events", () => {
    expect(autoCheck({ enabled: true, events: [ALARM, REQUEST] }).message).toBe(
      'Deployment group "api-dg": rollback events lack DEPLOYMENT_FAILURE; add them to autoRollbackConfiguration.events.',
    );
    expect(autoCheck({ enabled: true, events: [FAILURE] }, { requiredEvents: [FAILURE, ALARM, REQUEST] }).message).toBe(
      'Deployment group "api-dg": rollback events lack DEPLOYMENT_STOP_ON_ALARM, DEPLOYMENT_STOP_ON_REQUEST; add them to autoRollbackConfiguration.events.',
    );
  });

  it("as many unknown events as missing ones make it advisory; fewer make it a violation", () => {
    const element = undecidable("an element of autoRollbackConfiguration.events");
    expect(autoCheck({ enabled: true, events: [SENTINEL, SENTINEL] })).toMatchObject({ verdict: "advisory", message: element });
    expect(autoCheck({ enabled: true, events: [FAILURE, SENTINEL] })).toMatchObject({ verdict: "advisory", message: element });
    expect(autoCheck({ enabled: true, events: [SENTINEL] }).message).toBe(
      'Deployment group "api-dg": rollback events lack DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM; add them to autoRollbackConfiguration.events.',
    );
    // Nothing missing: an unknown extra event changes nothing.
    expect(autoCheck({ enabled: true, events: [FAILURE, ALARM, SENTINEL] }).verdict).toBe("pass");
  });
});

describe("auto-rollback remediation", () => {
  it("writes the required events after the defined ones the group has, dropping undefined ones", () => {
    expect(patchFor(undefined)).toEqual({ autoRollback: { enabled: true, events: [FAILURE, ALARM] } });
    expect(patchFor({ enabled: true })).toEqual({ autoRollback: { enabled: true, events: [FAILURE, ALARM] } });
    expect(patchFor({ enabled: true, events: [REQUEST, ALARM] })).toEqual({
      autoRollback: { enabled: true, events: [REQUEST, ALARM, FAILURE] },
    });
    expect(patchFor({ enabled: true, events: [FAILURE, "ON_ERROR", ALARM] })).toEqual({
      autoRollback: { enabled: true, events: [FAILURE, ALARM] },
    });
    // As many events as the fix would write, but one of them undefined: still missing DEPLOYMENT_FAILURE.
    expect(patchFor({ enabled: true, events: [ALARM, "ON_ERROR"] })).toEqual({ autoRollback: { enabled: true, events: [ALARM, FAILURE] } });
    expect(patchFor({ enabled: false, events: [FAILURE] }, { requiredEvents: [REQUEST] })).toEqual({
      autoRollback: { enabled: true, events: [FAILURE, REQUEST] },
    });
  });

  it("enables rollback when only enabled is wrong", () => {
    expect(patchFor({ enabled: false, events: [ALARM, FAILURE] })).toEqual({ autoRollback: { enabled: true, events: [ALARM, FAILURE] } });
    expect(patchFor({ events: [ALARM, FAILURE] })).toEqual({ autoRollback: { enabled: true, events: [ALARM, FAILURE] } });
  });

  it("leaves a compliant group alone", () => {
    expect(patchFor({ enabled: true, events: [ALARM, FAILURE] })).toBeUndefined();
    expect(patchFor({ enabled: true, events: [REQUEST, FAILURE, ALARM] })).toBeUndefined();
    expect(patchFor({ enabled: true, events: [] }, { requiredEvents: [] })).toBeUndefined();
  });

  it("leaves alone what it cannot merge without losing what the user wrote", () => {
    expect(patchFor(SENTINEL)).toBeUndefined();
    expect(patchFor("enabled")).toBeUndefined();
    expect(patchFor({ enabled: true, events: SENTINEL })).toBeUndefined();
    expect(patchFor({ enabled: true, events: "DEPLOYMENT_FAILURE" })).toBeUndefined();
    expect(patchFor({ enabled: false, events: [FAILURE, SENTINEL] })).toBeUndefined();
    expect(patchFor({ enabled: false, events: [FAILURE, 3] })).toBeUndefined();
  });
});
