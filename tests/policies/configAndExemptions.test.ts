import { describe, expect, it } from "vitest";
import { policyRunner, POLICY_RUNNERS } from "../../policy-pack/rules";
import type { DeploymentGroupModel } from "../../policy-pack/core/model";
import { indexStack, resolveGroup } from "../../policy-pack/core/resolve";
import { check, classic, evaluate, findingFor, models, NOW, serverGroupProps } from "./fixtures";

const AUTO = "codedeploy-auto-rollback-enabled";
const HOSTS = "codedeploy-minimum-healthy-hosts";
const badGroup = () => classic.group("legacy-batch-dg", serverGroupProps({ autoRollbackConfiguration: { enabled: false, events: [] } }));

describe("policy config", () => {
  it("fills in the documented defaults", () => {
    const byName = Object.fromEntries(POLICY_RUNNERS.map((r) => [r.metadata.name, r.metadata.configSchema.properties]));
    expect(byName[AUTO]!.requiredEvents!.default).toEqual(["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]);
    expect(byName["codedeploy-alarm-rollback-configured"]!.minAlarms!.default).toBe(1);
    expect(byName[HOSTS]!.minHealthyHostCount!.default).toBe(1);
    expect(byName[HOSTS]!.minHealthyFleetPercent!.default).toBe(66);
    expect(byName["codedeploy-blue-green-rollback-window"]!.minTerminationWaitMinutes!.default).toBe(60);
    for (const runner of POLICY_RUNNERS) expect(runner.configure({}, NOW).configErrors).toBeUndefined();
    expect(policyRunner(AUTO).configure(undefined, NOW).configErrors).toBeUndefined();
  });

  it.each([
    [
      "codedeploy-gradual-traffic-shifting",
      {
        externalDeploymentConfigs: [
          { name: "org-canary", trafficRoutingType: "TimeBasedCanary" },
          { name: "org-canary", trafficRoutingType: "AllAtOnce" },
        ],
      },
      "externalDeploymentConfigs[1].name",
      "repeats the name of externalDeploymentConfigs[0]; declare each deployment config once",
    ],
    [HOSTS, { minHealthyFleetPercent: 150 }, "minHealthyFleetPercent", "must be at most 99"],
    [AUTO, { requiredEvents: ["DEPLOYMENT_FAILED"] }, "requiredEvents[0]", "must be one of DEPLOYMENT_FAILURE"],
    [AUTO, { requiredEvent: ["DEPLOYMENT_FAILURE"] }, "requiredEvent", "is not a known setting"],
    [
      AUTO,
      { exemptions: [{ resource: "legacy-*", reason: "migration", expires: "2026-02-30" }] },
      "exemptions[0].expires",
      "is not a calendar date",
    ],
    [AUTO, { exemptions: [{ resource: "legacy-*", reason: "migration", expires: "30/06/2026" }] }, "exemptions[0].expires", "must match"],
    [AUTO, { exemptions: [{ resource: "legacy-*", expires: "2026-06-30" }] }, "exemptions[0].reason", "is required"],
  ])("%s refuses %j with a clear message", (policy, settings, field, text) => {
    const configured = policyRunner(policy as typeof AUTO).configure(settings, NOW);
    expect(configured.configErrors?.map((e) => e.field)).toContain(field);
    const group = models([classic.group("api-dg", serverGroupProps())])[0] as DeploymentGroupModel;
    const stack = indexStack([group]);
    const finding = configured.checkGroup(group, { resolution: resolveGroup(group, stack), stack });
    expect(finding?.reason).toBe("config");
    expect(finding?.message).toContain(`config field "${field}" ${text}`);
    expect(finding?.message).toContain("--policy-pack-config");
  });

  it("reports a refused config on every group (never a silent pass), at the policy's level", () => {
    const group = classic.group("api-dg", serverGroupProps());
    const findings = evaluate([group], { [HOSTS]: { minHealthyFleetPercent: 150 } });
    expect(findingFor(findings, HOSTS, group)).toMatchObject({ reason: "config", enforcementLevel: "mandatory" });
  });
});

describe("exemptions", () => {
  const exempting = (resource: string, expires: string) => ({
    [AUTO]: { exemptions: [{ resource, reason: "batch job migrates in Q3", expires }] },
  });

  it("exempts by exact URN", () => {
    const group = badGroup();
    expect(check(AUTO, group, [], exempting(group.urn, "2026-12-31")).verdict).toBe("pass");
  });

  it("exempts by a glob over the logical name or the URN", () => {
    expect(check(AUTO, badGroup(), [], exempting("legacy-*", "2026-12-31")).verdict).toBe("pass");
    expect(check(AUTO, badGroup(), [], exempting("legacy-batch-d?", "2026-12-31")).verdict).toBe("pass");
    expect(check(AUTO, badGroup(), [], exempting("urn:pulumi:prod::*::legacy-*", "2026-12-31")).verdict).toBe("pass");
    expect(check(AUTO, badGroup(), [], exempting("other-*", "2026-12-31")).verdict).toBe("mandatory");
  });

  it("holds through the last day (UTC) and then expires with a message that says so", () => {
    expect(check(AUTO, badGroup(), [], exempting("legacy-*", "2026-06-15")).verdict).toBe("pass");
    const expired = check(AUTO, badGroup(), [], exempting("legacy-*", "2026-06-14"));
    expect(expired.verdict).toBe("mandatory");
    expect(expired.message).toContain("expired on 2026-06-14");
    expect(expired.message).toContain("batch job migrates in Q3");
    expect(expired.message).toContain("renew the exemption");
  });

  it("lets an active entry win over an expired one", () => {
    const config = {
      [AUTO]: {
        exemptions: [
          { resource: "legacy-*", reason: "old", expires: "2026-01-01" },
          { resource: "legacy-*", reason: "renewed", expires: "2026-12-31" },
        ],
      },
    };
    expect(check(AUTO, badGroup(), [], config).verdict).toBe("pass");
  });

  it("exempts only from the policy it is configured on", () => {
    const group = classic.group(
      "legacy-batch-dg",
      serverGroupProps({ autoRollbackConfiguration: { enabled: false }, alarmConfiguration: { enabled: false, alarms: ["a"] } }),
    );
    const findings = evaluate([group], exempting("legacy-*", "2026-12-31"));
    expect(findingFor(findings, AUTO, group)).toBeUndefined();
    expect(findingFor(findings, "codedeploy-alarm-rollback-configured", group)?.enforcementLevel).toBe("mandatory");
  });

  it("exempts a deployment config resource too", () => {
    const config = classic.config("legacy-rollout", {
      deploymentConfigName: "legacy-rollout",
      minimumHealthyHosts: { type: "HOST_COUNT", value: 0 },
    });
    expect(check(HOSTS, config).verdict).toBe("mandatory");
    expect(
      check(HOSTS, config, [], { [HOSTS]: { exemptions: [{ resource: "legacy-*", reason: "r", expires: "2026-12-31" }] } }).verdict,
    ).toBe("pass");
  });
});
