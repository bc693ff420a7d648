// Sanity checks of the oracle itself, on hand-written cases straight from the spec table.
import { describe, expect, it } from "vitest";
import { oracle, verdictKey, SENTINEL, type OracleResource } from "./oracle";

const NOW = new Date("2026-06-15T12:00:00Z");
const group = (props: Record<string, unknown>, deps?: Record<string, string[]>): OracleResource => ({
  type: "aws:codedeploy/deploymentGroup:DeploymentGroup",
  urn: "urn:g",
  name: "g",
  props,
  propertyDependencies: deps,
});
const ok = {
  autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
  alarmConfiguration: { enabled: true, alarms: ["a"] },
};
const v = (resources: OracleResource[], policy: string, config = {}) => oracle(resources, config, NOW).get(verdictKey(policy, "urn:g"));

describe("oracle", () => {
  it("passes a compliant Server group on every policy", () => {
    const verdicts = oracle([group(ok)], {}, NOW);
    expect([...verdicts.values()]).toEqual(Array(6).fill("pass"));
  });
  it("follows the spec table", () => {
    expect(v([group({ ...ok, autoRollbackConfiguration: { enabled: false, events: SENTINEL } })], "codedeploy-auto-rollback-enabled")).toBe(
      "mandatory",
    );
    expect(v([group({ ...ok, alarmConfiguration: { enabled: true, alarms: [] } })], "codedeploy-alarm-rollback-configured")).toBe(
      "mandatory",
    );
    expect(v([group({ ...ok, deploymentConfigName: "CodeDeployDefault.HalfAtATime" })], "codedeploy-minimum-healthy-hosts")).toBe(
      "mandatory",
    );
    expect(v([group({ ...ok, deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce" })], "codedeploy-gradual-traffic-shifting")).toBe(
      "mandatory",
    );
    expect(v([group({ ...ok, ecsService: { clusterName: "c", serviceName: "s" } })], "codedeploy-blue-green-rollback-window")).toBe(
      "advisory",
    );
    expect(v([group({ ...ok, outdatedInstancesStrategy: "IGNORE" })], "codedeploy-outdated-instances-update")).toBe("advisory");
    expect(v([group({ ...ok, deploymentConfigName: "team-rollout" })], "codedeploy-minimum-healthy-hosts")).toBe("advisory");
  });
  it("resolves a custom config through propertyDependencies", () => {
    const config: OracleResource = {
      type: "aws:codedeploy/deploymentConfig:DeploymentConfig",
      urn: "urn:c",
      name: "c",
      props: { deploymentConfigName: "c", minimumHealthyHosts: { type: "FLEET_PERCENT", value: 100 } },
    };
    expect(
      v(
        [group({ ...ok, deploymentConfigName: SENTINEL }, { deploymentConfigName: ["urn:c"] }), config],
        "codedeploy-minimum-healthy-hosts",
      ),
    ).toBe("mandatory");
    expect(oracle([config], {}, NOW).get(verdictKey("codedeploy-minimum-healthy-hosts", "urn:c"))).toBe("mandatory");
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
