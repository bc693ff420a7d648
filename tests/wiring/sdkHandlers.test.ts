// The pack's wiring (policy-pack/policies.ts) driven in-process through @pulumi/policy's own RPC
// handlers, with requests encoded as the engine encodes them. The gRPC tier (tests/engine) runs the
// same path in the pack's own process; this one also lets v8 coverage see the wiring.
import type { Policies } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { buildPolicies } from "../../policy-pack/policies";
import type { AnalyzeResult } from "../../packages/tools/src/engine/encoding";
import { makeUrn, secret, UNKNOWN_SENTINEL, type EngineResource, type WireProperties } from "../../packages/tools/src/engine/types";
import { sdkHandlers } from "./sdkHarness";

const policies = buildPolicies();
const remediating = policies.map((policy) => ({ ...policy, enforcementLevel: "remediate" as const })) as Policies;
const { analyze, analyzeStack } = sdkHandlers(policies);
const { remediate } = sdkHandlers(remediating);

const GROUP = "aws:codedeploy/deploymentGroup:DeploymentGroup";
const CONFIG = "aws:codedeploy/deploymentConfig:DeploymentConfig";
const APP = "aws:codedeploy/application:Application";

function resource(type: string, name: string, properties: WireProperties, propertyDependencies?: Record<string, string[]>): EngineResource {
  return { urn: makeUrn("dev", "wiring", type, name), type, name, properties, propertyDependencies };
}

const compliantGroup: WireProperties = {
  appName: "inference",
  deploymentGroupName: "inference-servers",
  serviceRoleArn: "arn:aws:iam::123456789012:role/codedeploy",
  deploymentConfigName: "CodeDeployDefault.OneAtATime",
  autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
  alarmConfiguration: { enabled: true, alarms: ["inference-5xx"], ignorePollAlarmFailure: false },
  outdatedInstancesStrategy: "UPDATE",
};

const policiesOf = (result: AnalyzeResult) =>
  result.diagnostics.map((diagnostic) => `${diagnostic.policyName}:${diagnostic.enforcementLevel}`).sort();

describe("the wiring, through the SDK's own handlers", () => {
  it("passes a compliant group and ignores resources it does not handle", async () => {
    expect((await analyze(resource(GROUP, "ok", compliantGroup))).diagnostics).toEqual([]);
    expect((await analyze(resource("aws:s3/bucket:Bucket", "b", { autoRollbackConfiguration: { enabled: false } }))).diagnostics).toEqual(
      [],
    );
    expect(
      (await analyzeStack([resource(GROUP, "ok", compliantGroup), resource(APP, "inference", { name: "inference" })])).diagnostics,
    ).toEqual([]);
  });

  it("reports definite violations at the policy's level and undecidable ones as advisory", async () => {
    const broken = await analyze(
      resource(GROUP, "broken", { ...compliantGroup, autoRollbackConfiguration: { enabled: false }, outdatedInstancesStrategy: "IGNORE" }),
    );
    expect(policiesOf(broken)).toEqual(["codedeploy-auto-rollback-enabled:mandatory", "codedeploy-outdated-instances-update:advisory"]);
    const pending = await analyze(resource(GROUP, "pending", { ...compliantGroup, alarmConfiguration: UNKNOWN_SENTINEL }));
    expect(policiesOf(pending)).toEqual(["codedeploy-alarm-rollback-configured:advisory"]);
    expect(pending.diagnostics[0]!.message).toContain("can't be checked during preview");
  });

  it("decides cross-resource facts in the stack, on the URN of the resource they are about", async () => {
    const config = resource(CONFIG, "half", { deploymentConfigName: "half", minimumHealthyHosts: { type: "FLEET_PERCENT", value: 50 } });
    const group = resource(
      GROUP,
      "servers",
      { ...compliantGroup, deploymentConfigName: UNKNOWN_SENTINEL },
      { deploymentConfigName: [config.urn] },
    );
    const lambda = resource(GROUP, "fn", { ...compliantGroup, appName: "fn-app", deploymentConfigName: "somewhere-else" });
    const app = resource(APP, "fn-app", { name: "fn-app", computePlatform: "Lambda" });
    const result = await analyzeStack([config, group, lambda, app]);
    const byUrn = result.diagnostics.map((diagnostic) => [diagnostic.policyName, diagnostic.enforcementLevel, diagnostic.urn]);
    expect(byUrn).toEqual(
      expect.arrayContaining([
        ["codedeploy-minimum-healthy-hosts", "mandatory", group.urn],
        ["codedeploy-minimum-healthy-hosts", "mandatory", config.urn],
        ["codedeploy-gradual-traffic-shifting", "advisory", lambda.urn],
      ]),
    );
    expect(result.diagnostics).toHaveLength(3);
  });

  it("remediates a group, keeps secret blocks secret, and converges", async () => {
    const group = resource(GROUP, "fixme", {
      ...compliantGroup,
      autoRollbackConfiguration: secret({ enabled: false, events: ["DEPLOYMENT_STOP_ON_REQUEST"] }),
      alarmConfiguration: { enabled: false, alarms: ["inference-5xx"], ignorePollAlarmFailure: true },
      outdatedInstancesStrategy: "IGNORE",
    });
    const first = await remediate(group);
    const last = first.remediations.at(-1)!.properties!;
    expect(last["autoRollbackConfiguration"]).toEqual(
      secret({ enabled: true, events: ["DEPLOYMENT_STOP_ON_REQUEST", "DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] }),
    );
    expect(last["alarmConfiguration"]).toEqual({ enabled: true, alarms: ["inference-5xx"], ignorePollAlarmFailure: false });
    expect(last["outdatedInstancesStrategy"]).toBe("UPDATE");
    const fixed = { ...group, properties: last };
    expect((await analyze(fixed)).diagnostics).toEqual([]);
    expect((await remediate(fixed)).remediations.filter((remediation) => remediation.properties)).toEqual([]);
    expect((await remediate(resource(CONFIG, "c", { deploymentConfigName: "c" }))).remediations).toEqual([]);
  });
});
