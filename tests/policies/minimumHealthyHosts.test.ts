import { describe, expect, it } from "vitest";
import { classicDeploymentConfig } from "../../policy-pack/adapters/awsClassic";
import { BUILT_IN_DEPLOYMENT_CONFIGS } from "../../policy-pack/core/catalog";
import { evaluateStack } from "../../policy-pack/evaluate";
import {
  check,
  classic,
  evaluate,
  findingFor,
  lambdaGroupProps,
  native,
  nativeServerGroupProps,
  SECRET_LOOKING,
  SENTINEL,
  serverGroupProps,
  verdict,
} from "./fixtures";

const POLICY = "codedeploy-minimum-healthy-hosts";
const serverApp = classic.app("inference-api-app", { name: "inference", computePlatform: "Server" });

// Written from codedeploy-facts.md, not from the catalog: AllAtOnce keeps 0 hosts, HalfAtATime 50 %,
// OneAtATime all hosts but one.
const SERVER_BUILT_INS: [string, "pass" | "mandatory"][] = [
  ["CodeDeployDefault.AllAtOnce", "mandatory"],
  ["CodeDeployDefault.HalfAtATime", "mandatory"],
  ["CodeDeployDefault.OneAtATime", "pass"],
];

function customConfig(name: string, props: Record<string, unknown>) {
  return classic.config(name, { deploymentConfigName: name, computePlatform: "Server", ...props });
}

describe(POLICY, () => {
  it("covers every Server built-in of the catalog", () => {
    const inCatalog = BUILT_IN_DEPLOYMENT_CONFIGS.filter((c) => c.computePlatform === "Server").map((c) => c.name);
    expect(inCatalog.sort()).toEqual(SERVER_BUILT_INS.map(([name]) => name).sort());
  });

  it.each(SERVER_BUILT_INS)("%s on a Server group: %s", (name, expected) => {
    const result = check(POLICY, classic.group("api-dg", serverGroupProps({ deploymentConfigName: name })), [serverApp]);
    expect(result.verdict).toBe(expected);
    if (expected !== "pass") {
      expect(result.message).toContain('"api-dg"');
      expect(result.message).toContain(name);
      expect(result.message).toContain("use CodeDeployDefault.OneAtATime");
    }
  });

  it("names the kept amount for AllAtOnce and HalfAtATime", () => {
    expect(check(POLICY, classic.group("g", serverGroupProps({ deploymentConfigName: "CodeDeployDefault.AllAtOnce" }))).message).toContain(
      "HOST_COUNT 0",
    );
    expect(
      check(POLICY, classic.group("g", serverGroupProps({ deploymentConfigName: "CodeDeployDefault.HalfAtATime" }))).message,
    ).toContain("FLEET_PERCENT 50");
  });

  it("passes a Server group with no config (CodeDeploy uses OneAtATime)", () => {
    expect(check(POLICY, classic.group("api-dg", serverGroupProps()), [serverApp]).verdict).toBe("pass");
  });

  it("follows the thresholds in config", () => {
    const half = classic.group("g", serverGroupProps({ deploymentConfigName: "CodeDeployDefault.HalfAtATime" }));
    expect(check(POLICY, half, [], { [POLICY]: { minHealthyFleetPercent: 50 } }).verdict).toBe("pass");
    const all = classic.group("g", serverGroupProps({ deploymentConfigName: "CodeDeployDefault.AllAtOnce" }));
    expect(check(POLICY, all, [], { [POLICY]: { minHealthyHostCount: 0 } }).verdict).toBe("pass");
  });

  it("does not check Lambda groups", () => {
    const app = classic.app("fn-app", { name: "embeddings-fn", computePlatform: "Lambda" });
    const group = classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: undefined }));
    expect(check(POLICY, group, [app]).verdict).toBe("pass");
  });

  it("leaves a Server application with a Lambda config to gradual-traffic-shifting, which reports the conflict once", () => {
    const group = classic.group("api-dg", serverGroupProps({ deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce" }));
    const findings = evaluate([group, serverApp]);
    expect(verdict(findings, POLICY, group)).toBe("pass");
    expect(findingFor(findings, "codedeploy-gradual-traffic-shifting", group)?.message).toBe(
      'Deployment group "api-dg": its compute platform evidence conflicts (Server: application "inference-api-app"; Lambda: deployment config CodeDeployDefault.LambdaAllAtOnce), and CodeDeploy refuses such a deployment group or its deployments at update; make the application, the deployment config and any ECS service agree on one compute platform.',
    );
  });

  describe("custom configs", () => {
    it.each([
      [{ type: "FLEET_PERCENT", value: 66 }, "pass"],
      [{ type: "FLEET_PERCENT", value: 99 }, "pass"],
      [{ type: "FLEET_PERCENT", value: 65 }, "mandatory"],
      [{ type: "FLEET_PERCENT", value: 100 }, "mandatory"],
      [{ type: "HOST_COUNT", value: 1 }, "pass"],
      [{ type: "HOST_COUNT", value: 0 }, "mandatory"],
    ])("minimumHealthyHosts %j: %s for the group and the config", (minimumHealthyHosts, expected) => {
      const config = customConfig("safe-rollout", { minimumHealthyHosts });
      const group = classic.group("api-dg", serverGroupProps({ deploymentConfigName: "safe-rollout" }));
      const findings = evaluate([group, config, serverApp]);
      expect(verdict(findings, POLICY, group)).toBe(expected);
      expect(verdict(findings, POLICY, config)).toBe(expected);
    });

    it("says FLEET_PERCENT 100 is refused by CodeDeploy", () => {
      const config = customConfig("all-healthy", { minimumHealthyHosts: { type: "FLEET_PERCENT", value: 100 } });
      const message = check(POLICY, config).message;
      expect(message).toContain('"all-healthy"');
      expect(message).toContain("FLEET_PERCENT above 99, which CodeDeploy refuses");
      expect(message).toContain("use at most 99");
    });

    it("names the group, the config, the setting and the fix", () => {
      const config = customConfig("fast-rollout", { minimumHealthyHosts: { type: "FLEET_PERCENT", value: 25 } });
      const group = classic.group("api-dg", serverGroupProps({ deploymentConfigName: "fast-rollout" }));
      const finding = findingFor(evaluate([group, config]), POLICY, group)!;
      expect(finding.message).toContain('"api-dg"');
      expect(finding.message).toContain('deployment config resource "fast-rollout"');
      expect(finding.message).toContain("(FLEET_PERCENT) than the required 66%");
      expect(finding.message).not.toMatch(/\b25\b/);
      expect(finding.message).toContain("raise minimumHealthyHosts.value to 66..99");
      expect(finding.resource.urn).toBe(group.urn);
    });

    it("flags a config with no minimumHealthyHosts", () => {
      expect(check(POLICY, customConfig("nothing", {})).verdict).toBe("mandatory");
    });

    it("resolves a config through propertyDependencies when the name is unknown during preview", () => {
      const config = customConfig("fast-rollout", { minimumHealthyHosts: { type: "HOST_COUNT", value: 0 } });
      const group = classic.group("api-dg", serverGroupProps({ deploymentConfigName: SENTINEL }), { deploymentConfigName: [config.urn] });
      expect(verdict(evaluate([group, config]), POLICY, group)).toBe("mandatory");
      const safe = customConfig("safe-rollout", { minimumHealthyHosts: { type: "HOST_COUNT", value: 2 } });
      const group2 = classic.group("api-dg", serverGroupProps({ deploymentConfigName: SENTINEL }), { deploymentConfigName: [safe.urn] });
      expect(verdict(evaluate([group2, safe]), POLICY, group2)).toBe("pass");
    });

    it("resolves through propertyDependencies when the known name is not a config of the stack", () => {
      const config = classic.config("rollout", { deploymentConfigName: SENTINEL, minimumHealthyHosts: { type: "HOST_COUNT", value: 0 } });
      const group = classic.group("api-dg", serverGroupProps({ deploymentConfigName: "rollout-abc123" }), {
        deploymentConfigName: [config.urn],
      });
      expect(verdict(evaluate([group, config]), POLICY, group)).toBe("mandatory");
    });

    it("is advisory when the name is unknown and comes from no config of the stack", () => {
      const group = classic.group("api-dg", serverGroupProps({ deploymentConfigName: SENTINEL }));
      const result = check(POLICY, group);
      expect(result.verdict).toBe("advisory");
      expect(result.finding?.reason).toBe("undecidable");
    });

    it("is advisory for a custom name that resolves to nothing, without echoing it", () => {
      const group = classic.group("api-dg", serverGroupProps({ deploymentConfigName: SECRET_LOOKING }));
      const result = check(POLICY, group);
      expect(result.verdict).toBe("advisory");
      expect(result.finding?.reason).toBe("unresolved");
      expect(result.message).toContain("externalDeploymentConfigs");
      expect(result.message).not.toContain(SECRET_LOOKING);
    });

    it("is advisory for an unlisted CodeDeployDefault.* name (not taken as safe)", () => {
      const group = classic.group("api-dg", serverGroupProps({ deploymentConfigName: "CodeDeployDefault.ThirdAtATime" }));
      expect(check(POLICY, group).verdict).toBe("advisory");
    });

    it("checks a config declared in externalDeploymentConfigs", () => {
      const group = classic.group("api-dg", serverGroupProps({ deploymentConfigName: "shared-rollout" }));
      const declare = (value: number) => ({
        [POLICY]: {
          externalDeploymentConfigs: [
            { name: "shared-rollout", computePlatform: "Server", minimumHealthyHosts: { type: "FLEET_PERCENT", value } },
          ],
        },
      });
      expect(check(POLICY, group, [], declare(80)).verdict).toBe("pass");
      const result = check(POLICY, group, [], declare(40));
      expect(result.verdict).toBe("mandatory");
      expect(result.message).toContain('external deployment config "shared-rollout"');
    });

    it("checks a declared CodeDeployDefault.* config this pack does not list", () => {
      const group = classic.group("api-dg", serverGroupProps({ deploymentConfigName: "CodeDeployDefault.ThirdAtATime" }));
      const config = {
        [POLICY]: {
          externalDeploymentConfigs: [
            {
              name: "CodeDeployDefault.ThirdAtATime",
              computePlatform: "Server",
              minimumHealthyHosts: { type: "FLEET_PERCENT", value: 33 },
            },
          ],
        },
      };
      expect(check(POLICY, group, [], config).verdict).toBe("mandatory");
    });
  });

  describe("zonal config", () => {
    it.each([
      [{ type: "HOST_COUNT", value: 0 }, "mandatory"],
      [{ type: "FLEET_PERCENT", value: 50 }, "mandatory"],
      [{ type: "FLEET_PERCENT", value: 100 }, "mandatory"],
      [{ type: "FLEET_PERCENT", value: 70 }, "pass"],
      [{ type: "HOST_COUNT", value: 1 }, "pass"],
    ])("minimumHealthyHostsPerZone %j: %s", (perZone, expected) => {
      const config = customConfig("zonal-rollout", {
        minimumHealthyHosts: { type: "FLEET_PERCENT", value: 75 },
        zonalConfig: { monitorDurationInSeconds: 900, firstZoneMonitorDurationInSeconds: 1800, minimumHealthyHostsPerZone: perZone },
      });
      const result = check(POLICY, config);
      expect(result.verdict).toBe(expected);
      if (expected !== "pass") expect(result.message).toMatch(/zonalConfig\.minimumHealthyHostsPerZone|its zonal config/);
    });

    it("passes a zonal config without a per-zone minimum", () => {
      const config = customConfig("zonal-rollout", {
        minimumHealthyHosts: { type: "HOST_COUNT", value: 2 },
        zonalConfig: { monitorDurationInSeconds: 600 },
      });
      expect(check(POLICY, config).verdict).toBe("pass");
    });
  });

  it("does not check Lambda or ECS configs", () => {
    const config = classic.config("canary", {
      deploymentConfigName: "canary",
      computePlatform: "Lambda",
      trafficRoutingConfig: { type: "AllAtOnce" },
    });
    expect(check(POLICY, config).verdict).toBe("pass");
  });

  it("is advisory for a config whose platform is unknown", () => {
    const config = classic.config("c", {
      deploymentConfigName: "c",
      computePlatform: SENTINEL,
      minimumHealthyHosts: { type: "HOST_COUNT", value: 0 },
    });
    expect(check(POLICY, config).verdict).toBe("advisory");
  });

  it("is advisory for a config whose value is unknown", () => {
    const config = customConfig("c", { minimumHealthyHosts: { type: "FLEET_PERCENT", value: SENTINEL } });
    expect(check(POLICY, config).verdict).toBe("advisory");
  });

  it("reads AWS Native configs and groups", () => {
    const config = native.config("native-rollout", {
      deploymentConfigName: "native-rollout",
      computePlatform: "Server",
      minimumHealthyHosts: { type: "FLEET_PERCENT", value: 50 },
      zonalConfig: { minimumHealthyHostsPerZone: { type: "HOST_COUNT", value: 0 } },
    });
    const group = native.group("api-dg", nativeServerGroupProps({ deploymentConfigName: "native-rollout" }));
    const findings = evaluate([group, config]);
    expect(verdict(findings, POLICY, group)).toBe("mandatory");
    expect(findingFor(findings, POLICY, config)?.message).toContain("zonalConfig.minimumHealthyHostsPerZone");
  });
});

describe("a deployment config with a compute platform CodeDeploy does not define", () => {
  const config = (computePlatform: unknown) =>
    classicDeploymentConfig({
      type: "aws:codedeploy/deploymentConfig:DeploymentConfig",
      urn: "urn:pulumi:dev::p::aws:codedeploy/deploymentConfig:DeploymentConfig::odd",
      name: "odd",
      props: { deploymentConfigName: "odd", computePlatform, minimumHealthyHosts: { type: "FLEET_PERCENT", value: 75 } },
    });
  it("is a mandatory violation, never a pass", () => {
    for (const platform of ["Mainframe", 42]) {
      const findings = evaluateStack([config(platform)], {}, new Date()).filter(
        (finding) => finding.policy === "codedeploy-minimum-healthy-hosts",
      );
      expect(findings).toHaveLength(1);
      expect(findings[0]!.enforcementLevel).toBe("mandatory");
      expect(findings[0]!.message).toContain("computePlatform");
    }
  });
});
