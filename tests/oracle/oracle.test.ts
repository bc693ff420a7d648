// Sanity checks of the oracle itself, on hand-written cases straight from the specification
// (README's policy table, docs/resolution.md): each expected verdict is read from the spec text.
import { describe, expect, it } from "vitest";
import { oracle, verdictKey, SENTINEL, type OracleProvider, type OracleResource } from "./oracle";

const NOW = new Date("2026-06-15T12:00:00Z");
const GROUP = "aws:codedeploy/deploymentGroup:DeploymentGroup";
const CONFIG = "aws:codedeploy/deploymentConfig:DeploymentConfig";
const APP = "aws:codedeploy/application:Application";
const BOOL_UNKNOWN = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";
const ARRAY_UNKNOWN = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";

const east: OracleProvider = { urn: "urn:pulumi:dev::p::pulumi:providers:aws::default_7_0_0", props: { region: "us-east-1" } };
const west: OracleProvider = { urn: "urn:pulumi:dev::p::pulumi:providers:aws::west", props: { region: "us-west-2" } };

type Extra = Partial<Omit<OracleResource, "type" | "name" | "urn" | "props">>;
const resource = (type: string, name: string, props: Record<string, unknown>, extra: Extra = {}): OracleResource => ({
  type,
  urn: `urn:${name}`,
  name,
  props,
  ...extra,
});
const group = (props: Record<string, unknown>, extra: Extra = {}) => resource(GROUP, "g", props, extra);
const ok = {
  appName: "outside-app",
  autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
  alarmConfiguration: { enabled: true, alarms: ["a"] },
  // What the AWS classic provider's Check fills into every group.
  deploymentConfigName: "CodeDeployDefault.OneAtATime",
  outdatedInstancesStrategy: "UPDATE",
};
const v = (resources: OracleResource[], policy: string, config = {}, urn = "urn:g") =>
  oracle(resources, config, NOW).get(verdictKey(policy, urn));
const GRADUAL = "codedeploy-gradual-traffic-shifting";
const HOSTS = "codedeploy-minimum-healthy-hosts";
const lambdaApp = (name: string, extra: Extra = {}) => resource(APP, name, { name: "fn", computePlatform: "Lambda" }, extra);
const serverApp = (name: string, extra: Extra = {}) => resource(APP, name, { name: "fn", computePlatform: "Server" }, extra);
const canary = "CodeDeployDefault.LambdaCanary10Percent5Minutes";

describe("oracle", () => {
  it("passes a compliant Server group on every policy", () => {
    const verdicts = oracle([group(ok)], {}, NOW);
    expect([...verdicts.values()]).toEqual(Array(6).fill("pass"));
  });

  it("follows the policy table", () => {
    expect(v([group({ ...ok, autoRollbackConfiguration: { enabled: false, events: SENTINEL } })], "codedeploy-auto-rollback-enabled")).toBe(
      "mandatory",
    );
    expect(v([group({ ...ok, alarmConfiguration: { enabled: true, alarms: [] } })], "codedeploy-alarm-rollback-configured")).toBe(
      "mandatory",
    );
    expect(v([group({ ...ok, deploymentConfigName: "CodeDeployDefault.HalfAtATime" })], HOSTS)).toBe("mandatory");
    expect(v([group({ ...ok, deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce" })], GRADUAL)).toBe("mandatory");
    expect(v([group({ ...ok, ecsService: { clusterName: "c", serviceName: "s" } })], "codedeploy-blue-green-rollback-window")).toBe(
      "advisory",
    );
    expect(v([group({ ...ok, outdatedInstancesStrategy: "IGNORE" })], "codedeploy-outdated-instances-update")).toBe("advisory");
    expect(v([group({ ...ok, deploymentConfigName: "team-rollout" })], HOSTS)).toBe("advisory");
  });

  it("counts distinct alarm names (the provider collapses duplicates), typed unknowns included", () => {
    const alarms = (list: unknown, config = {}) =>
      v([group({ ...ok, alarmConfiguration: { enabled: true, alarms: list } })], "codedeploy-alarm-rollback-configured", config);
    const two = { "codedeploy-alarm-rollback-configured": { minAlarms: 2 } };
    expect(alarms(["a", "a"], two)).toBe("mandatory");
    expect(alarms(["a", "b", "a"], two)).toBe("pass");
    expect(alarms(["a", SENTINEL], two)).toBe("pass"); // an unknown alarm counts as one more name
    expect(alarms([...Array.from({ length: 10 }, (_, i) => `a${i}`), SENTINEL])).toBe("mandatory");
    expect(alarms([SENTINEL])).toBe("pass");
    expect(alarms(ARRAY_UNKNOWN)).toBe("advisory");
    expect(alarms([...Array.from({ length: 10 }, (_, i) => `a${i}`), "a0"])).toBe("pass");
    expect(
      v([group({ ...ok, alarmConfiguration: { enabled: BOOL_UNKNOWN, alarms: ["a"] } })], "codedeploy-alarm-rollback-configured"),
    ).toBe("advisory");
  });

  it("resolves a custom config through property dependencies before names", () => {
    const config = resource(CONFIG, "c", { deploymentConfigName: "c", minimumHealthyHosts: { type: "FLEET_PERCENT", value: 100 } });
    const sameName = resource(CONFIG, "c2", { deploymentConfigName: "c", minimumHealthyHosts: { type: "FLEET_PERCENT", value: 75 } });
    expect(
      v([group({ ...ok, deploymentConfigName: SENTINEL }, { propertyDependencies: { deploymentConfigName: ["urn:c"] } }), config], HOSTS),
    ).toBe("mandatory");
    expect(v([config], HOSTS, {}, "urn:c")).toBe("mandatory");
    // Both are named "c" in the same scope: only the dependency tells them apart.
    const byDependency = (urn: string) =>
      v([group({ ...ok, deploymentConfigName: "c" }, { propertyDependencies: { deploymentConfigName: [urn] } }), config, sameName], HOSTS);
    expect(byDependency("urn:c2")).toBe("pass");
    expect(byDependency("urn:c")).toBe("mandatory");
    // Without it, the reference is ambiguous: advisory, never the first one.
    expect(v([group({ ...ok, deploymentConfigName: "c" }), config, sameName], HOSTS)).toBe("advisory");
    expect(v([group({ ...ok, deploymentConfigName: "c" }), sameName, config], HOSTS)).toBe("advisory");
  });

  it("matches names only within the same provider and region; an unknown region matches any", () => {
    const halfFleet = { deploymentConfigName: "c", minimumHealthyHosts: { type: "FLEET_PERCENT", value: 50 } };
    const grp = (extra: Extra, props = {}) => group({ ...ok, deploymentConfigName: "c", ...props }, extra);
    const inWest = resource(CONFIG, "c", halfFleet, { provider: west });
    expect(v([grp({ provider: east }), inWest], HOSTS)).toBe("advisory"); // another provider: not found
    expect(v([grp({ provider: west }), inWest], HOSTS)).toBe("mandatory");
    const eu = resource(CONFIG, "c", { ...halfFleet, region: "eu-west-1" }, { provider: east });
    expect(v([grp({ provider: east }), eu], HOSTS)).toBe("advisory"); // us-east-1 from the provider vs eu-west-1
    expect(v([grp({ provider: east }, { region: "eu-west-1" }), eu], HOSTS)).toBe("mandatory");
    expect(v([grp({ provider: east }, { region: SENTINEL }), eu], HOSTS)).toBe("mandatory");
    const usConfig = resource(
      CONFIG,
      "c-us",
      { deploymentConfigName: "c", minimumHealthyHosts: { type: "FLEET_PERCENT", value: 75 } },
      { provider: east },
    );
    expect(v([grp({ provider: east }), eu, usConfig], HOSTS)).toBe("pass");
    expect(v([grp({ provider: east }, { region: SENTINEL }), eu, usConfig], HOSTS)).toBe("advisory"); // possibly either
    // No provider information: the provider "none", which matches only "none".
    expect(v([grp({}), resource(CONFIG, "c", halfFleet)], HOSTS)).toBe("mandatory");
    expect(v([grp({}), inWest], HOSTS)).toBe("advisory");
  });

  it("takes the platform from every piece of evidence; OneAtATime is none", () => {
    // A canary config on a group whose application is outside the stack: Lambda, compliant.
    expect(v([group({ ...ok, deploymentConfigName: canary })], GRADUAL)).toBe("pass");
    expect(v([group({ ...ok, deploymentConfigName: canary })], HOSTS)).toBe("pass");
    // The application's platform unknown during preview does not outweigh a known config.
    const pending = resource(APP, "a", { name: "fn", computePlatform: SENTINEL });
    expect(v([group({ ...ok, appName: "fn", deploymentConfigName: canary }), pending], GRADUAL)).toBe("pass");
    // A Lambda application with the provider's OneAtATime default: all traffic at once.
    expect(v([group({ ...ok, appName: "fn" }), lambdaApp("a")], GRADUAL)).toBe("mandatory");
    expect(v([group({ ...ok, appName: "fn" }), lambdaApp("a")], HOSTS)).toBe("pass");
    // The group's own computePlatform output (update) is evidence; unknown (preview) is none.
    expect(v([group({ ...ok, computePlatform: "Lambda" })], GRADUAL)).toBe("mandatory");
    expect(v([group({ ...ok, computePlatform: SENTINEL })], GRADUAL)).toBe("pass");
    // External config: its declared platform.
    const external = (computePlatform: string, trafficRoutingType = "TimeBasedCanary") => ({
      [GRADUAL]: { externalDeploymentConfigs: [{ name: "org", computePlatform, trafficRoutingType }] },
      [HOSTS]: { externalDeploymentConfigs: [{ name: "org", computePlatform, trafficRoutingType }] },
    });
    expect(v([group({ ...ok, deploymentConfigName: "org" })], GRADUAL, external("Lambda", "AllAtOnce"))).toBe("mandatory");
    expect(v([group({ ...ok, deploymentConfigName: "org" })], GRADUAL, external("Lambda"))).toBe("pass");
    expect(v([group({ ...ok, deploymentConfigName: "org" })], HOSTS, external("Lambda"))).toBe("pass");
  });

  it("reports conflicting evidence once, under gradual traffic shifting", () => {
    const stack = [group({ ...ok, appName: "fn", deploymentConfigName: canary }), serverApp("a")];
    expect(v(stack, GRADUAL)).toBe("mandatory");
    expect(v(stack, HOSTS)).toBe("pass");
    expect(v(stack, "codedeploy-blue-green-rollback-window")).toBe("pass");
    expect(v([group({ ...ok, ecsService: { clusterName: "c", serviceName: "s" }, deploymentConfigName: canary })], GRADUAL)).toBe(
      "mandatory",
    );
  });

  it("takes an ambiguous application as unknown evidence", () => {
    const twins = [lambdaApp("a1"), serverApp("a2")];
    // Known evidence (a canary config) decides; the ambiguous application does not matter.
    expect(v([group({ ...ok, appName: "fn", deploymentConfigName: canary }), ...twins], GRADUAL)).toBe("pass");
    // Nothing else decides: undecided, so advisory where Server and Lambda differ.
    expect(v([group({ ...ok, appName: "fn" }), ...twins], GRADUAL)).toBe("advisory");
    expect(v([group({ ...ok, appName: "fn" }), ...twins], HOSTS)).toBe("pass");
  });

  it("is at most advisory when the deciding evidence is unknown", () => {
    const pending = resource(APP, "a", { name: "fn", computePlatform: SENTINEL });
    expect(v([group({ ...ok, appName: "fn" }), pending], GRADUAL)).toBe("advisory");
    expect(v([group({ ...ok, appName: "fn" }), pending], HOSTS)).toBe("pass");
    expect(v([group({ ...ok, appName: "fn", deploymentConfigName: "CodeDeployDefault.HalfAtATime" }), pending], HOSTS)).toBe("mandatory");
    expect(v([group({ ...ok, appName: "fn", deploymentConfigName: SENTINEL }), pending], HOSTS)).toBe("advisory");
    // Undecided is Server or Lambda, never ECS: a Server in-place group's window does not matter.
    expect(v([group({ ...ok, appName: "fn" }), pending], "codedeploy-blue-green-rollback-window")).toBe("pass");
  });

  it("uses the Analyze props for `{}` outputs when the pack saw them, else reports it cannot check", () => {
    const lambda = [group({ ...ok, appName: "fn" }, { outputs: {} }), lambdaApp("a", { outputs: {} })];
    expect(v(lambda, GRADUAL)).toBe("mandatory");
    const unseen = lambda.map((r) => ({ ...r, analyzed: false }));
    expect(v(unseen, GRADUAL)).toBe("advisory");
    expect(v(unseen, HOSTS)).toBe("advisory");
    expect(v(unseen, "codedeploy-auto-rollback-enabled")).toBe("pass"); // never analyzed: no resource-scope verdict
    // With every resource-scope policy disabled, the SDK calls none of them, so the pack sees no Analyze props.
    const off = {
      "codedeploy-auto-rollback-enabled": "disabled",
      "codedeploy-alarm-rollback-configured": "disabled",
      "codedeploy-outdated-instances-update": "disabled",
    };
    expect(v(lambda, GRADUAL, off)).toBe("advisory");
    // Outputs that lack what identifies the resource are as unreadable as `{}`.
    const noName = [group({ ...ok, appName: "fn" }, { outputs: { arn: SENTINEL } }), lambdaApp("a", { outputs: { arn: SENTINEL } })];
    expect(v(noName, GRADUAL)).toBe("mandatory");
    expect(
      v(
        noName.map((r) => ({ ...r, analyzed: false })),
        GRADUAL,
      ),
    ).toBe("advisory");
  });

  it("honours levels and exemptions", () => {
    const bad = [group({ ...ok, outdatedInstancesStrategy: "IGNORE" })];
    expect(v(bad, "codedeploy-outdated-instances-update", { "codedeploy-outdated-instances-update": "mandatory" })).toBe("mandatory");
    expect(
      v(bad, "codedeploy-outdated-instances-update", {
        "codedeploy-outdated-instances-update": { exemptions: [{ resource: "g", reason: "r", expires: "2026-06-15" }] },
      }),
    ).toBe("pass");
    expect(
      v(bad, "codedeploy-outdated-instances-update", {
        "codedeploy-outdated-instances-update": { exemptions: [{ resource: "g", reason: "r", expires: "2026-06-14" }] },
      }),
    ).toBe("advisory");
  });
});
