// Remediate through gRPC: the engine sends inputs, takes the last remediation's properties, and
// analyzes those. A remediated group must pass, and remediating it again must change nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineResource, PolicyPackClient, RemediateResult, WireProperties } from "../../packages/tools/src/engine";
import {
  CLASSIC,
  NATIVE,
  POLICIES,
  UNKNOWN,
  byPolicy,
  compliantClassicGroupProps,
  compliantNativeGroupProps,
  resource,
  secret,
  startPack,
  withValue,
} from "./helpers";

const REMEDIATE = {
  [POLICIES.autoRollback]: "remediate",
  [POLICIES.alarms]: "remediate",
  [POLICIES.outdatedInstances]: "remediate",
} as const;

let pack: PolicyPackClient;

beforeAll(async () => {
  pack = await startPack(REMEDIATE);
});

afterAll(async () => {
  await pack?.close();
});

/** What the engine does with a RemediateResponse: each remediation replaces the props in turn. */
function applied(original: EngineResource, result: RemediateResult): EngineResource {
  let properties = original.properties;
  for (const remediation of result.remediations) if (remediation.properties) properties = remediation.properties;
  return { ...original, properties };
}

const remediablePolicies = [POLICIES.autoRollback, POLICIES.alarms, POLICIES.outdatedInstances];

async function remediateAndCheck(group: EngineResource): Promise<EngineResource> {
  const first = await pack.remediate(group);
  expect(first.remediations.length).toBeGreaterThan(0);
  for (const remediation of first.remediations) {
    expect(remediablePolicies).toContain(remediation.policyName);
    expect(remediation).toMatchObject({ policyPackName: "codedeploy-guardrails", diagnostic: "" });
  }
  const fixed = applied(group, first);
  // The remediated resource passes the three policies (reported as mandatory if it did not).
  const diagnostics = (await pack.analyze(fixed)).diagnostics;
  for (const policy of remediablePolicies) expect(byPolicy(diagnostics, policy)).toEqual([]);
  // And remediating it again changes nothing.
  const second = await pack.remediate(fixed);
  expect(applied(fixed, second).properties).toEqual(fixed.properties);
  expect(second.remediations).toEqual([]);
  return fixed;
}

describe("Remediate", () => {
  it("enables auto-rollback, adds the missing required events, keeps the others", async () => {
    const props = withValue(compliantClassicGroupProps(), "autoRollbackConfiguration", {
      enabled: false,
      events: ["DEPLOYMENT_STOP_ON_REQUEST"],
    });
    const fixed = await remediateAndCheck(resource(CLASSIC.group, "rollback-off", props));
    expect(fixed.properties["autoRollbackConfiguration"]).toEqual({
      enabled: true,
      events: ["DEPLOYMENT_STOP_ON_REQUEST", "DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
    });
  });

  it("adds autoRollbackConfiguration when it is missing", async () => {
    const props = withValue(compliantClassicGroupProps(), "autoRollbackConfiguration", undefined);
    const fixed = await remediateAndCheck(resource(CLASSIC.group, "rollback-missing", props));
    expect(fixed.properties["autoRollbackConfiguration"]).toEqual({
      enabled: true,
      events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
    });
  });

  it("turns alarm monitoring on and stops ignoring poll failures when alarms exist", async () => {
    const props = withValue(compliantClassicGroupProps(), "alarmConfiguration", {
      enabled: false,
      alarms: ["inference-5xx"],
      ignorePollAlarmFailure: true,
    });
    const fixed = await remediateAndCheck(resource(CLASSIC.group, "alarms-off", props));
    expect(fixed.properties["alarmConfiguration"]).toEqual({ enabled: true, alarms: ["inference-5xx"], ignorePollAlarmFailure: false });
  });

  it("does not invent alarms: without alarms there is nothing to remediate and the violation stays", async () => {
    const props = withValue(compliantClassicGroupProps(), "alarmConfiguration", { enabled: false, alarms: [] });
    const group = resource(CLASSIC.group, "alarms-none", props);
    const result = await pack.remediate(group);
    expect(result.remediations.filter((remediation) => remediation.policyName === POLICIES.alarms)).toEqual([]);
    expect(byPolicy((await pack.analyze(group)).diagnostics, POLICIES.alarms)[0]?.enforcementLevel).toBe("mandatory");
  });

  it("sets outdatedInstancesStrategy to UPDATE", async () => {
    const props = withValue(compliantClassicGroupProps(), "outdatedInstancesStrategy", "IGNORE");
    const fixed = await remediateAndCheck(resource(CLASSIC.group, "outdated", props));
    expect(fixed.properties["outdatedInstancesStrategy"]).toBe("UPDATE");
  });

  it("fixes all three at once and keeps secrets and unknowns elsewhere in the props", async () => {
    const props: WireProperties = {
      ...compliantClassicGroupProps(),
      serviceRoleArn: secret("arn:aws:iam::123456789012:role/secret-role"),
      deploymentGroupName: UNKNOWN,
      autoRollbackConfiguration: { enabled: false, events: ["DEPLOYMENT_FAILURE"] },
      alarmConfiguration: { enabled: false, alarms: [secret("secret-alarm"), UNKNOWN], ignorePollAlarmFailure: true },
      outdatedInstancesStrategy: "IGNORE",
      tags: { team: secret("ml-platform"), build: UNKNOWN },
      ec2TagFilters: [{ key: "role", type: "KEY_AND_VALUE", value: UNKNOWN }],
    };
    const fixed = await remediateAndCheck(resource(CLASSIC.group, "everything", props));
    expect(fixed.properties).toEqual({
      ...props,
      autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
      alarmConfiguration: { enabled: true, alarms: [secret("secret-alarm"), UNKNOWN], ignorePollAlarmFailure: false },
      outdatedInstancesStrategy: "UPDATE",
    });
  });

  it("a secret block stays secret after it is patched", async () => {
    const props = withValue(
      compliantClassicGroupProps(),
      "autoRollbackConfiguration",
      secret({ enabled: false, events: ["DEPLOYMENT_FAILURE"] }),
    );
    const fixed = await remediateAndCheck(resource(CLASSIC.group, "secret-block", props));
    expect(fixed.properties["autoRollbackConfiguration"]).toEqual(
      secret({ enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] }),
    );
  });

  it("a secret block patched by a later remediation in the same request (the SDK chains them)", async () => {
    // autoRollback runs first; its result, not the original props, reaches the alarm remediation.
    let props = withValue(compliantClassicGroupProps(), "autoRollbackConfiguration.enabled", false);
    props = withValue(props, "alarmConfiguration", secret({ enabled: false, alarms: ["inference-5xx"], ignorePollAlarmFailure: false }));
    const fixed = await remediateAndCheck(resource(CLASSIC.group, "chained-secret", props));
    expect(fixed.properties["alarmConfiguration"]).toEqual(
      secret({ enabled: true, alarms: ["inference-5xx"], ignorePollAlarmFailure: false }),
    );
  });

  it("a secret leaf that a remediation overwrites stays secret", async () => {
    const props = withValue(compliantClassicGroupProps(), "alarmConfiguration", {
      enabled: secret(false),
      alarms: ["inference-5xx"],
      ignorePollAlarmFailure: secret(true),
    });
    const fixed = await remediateAndCheck(resource(CLASSIC.group, "secret-leaf", props));
    expect(fixed.properties["alarmConfiguration"]).toEqual({
      enabled: secret(true),
      alarms: ["inference-5xx"],
      ignorePollAlarmFailure: secret(false),
    });
  });

  it("AWS Native groups are remediated in their own shape", async () => {
    let props = withValue(compliantNativeGroupProps(), "autoRollbackConfiguration.enabled", false);
    props = withValue(props, "alarmConfiguration.ignorePollAlarmFailure", true);
    const fixed = await remediateAndCheck(resource(NATIVE.group, "native-fix", props));
    expect(fixed.properties["alarmConfiguration"]).toEqual({
      enabled: true,
      alarms: [{ name: "inference-5xx" }, { name: "inference-p99" }],
      ignorePollAlarmFailure: false,
    });
  });

  it("a compliant group gets no remediation", async () => {
    expect((await pack.remediate(resource(CLASSIC.group, "fine", compliantClassicGroupProps()))).remediations).toEqual([]);
  });

  it("unknown events are left alone (they cannot be merged), and Analyze does not block on them", async () => {
    const props = withValue(compliantClassicGroupProps(), "autoRollbackConfiguration", { enabled: true, events: UNKNOWN });
    const group = resource(CLASSIC.group, "unknown-events", props);
    expect((await pack.remediate(group)).remediations).toEqual([]);
    expect(
      byPolicy((await pack.analyze(group)).diagnostics, POLICIES.autoRollback).map((diagnostic) => diagnostic.enforcementLevel),
    ).toEqual(["advisory"]);
  });
});
