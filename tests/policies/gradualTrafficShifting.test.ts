import { describe, expect, it } from "vitest";
import { BUILT_IN_DEPLOYMENT_CONFIGS } from "../../policy-pack/core/catalog";
import {
  check,
  classic,
  ecsGroupProps,
  evaluate,
  findingFor,
  lambdaGroupProps,
  native,
  SECRET_LOOKING,
  SENTINEL,
  serverGroupProps,
  verdict,
} from "./fixtures";

const POLICY = "codedeploy-gradual-traffic-shifting";
const lambdaApp = classic.app("embeddings-fn-app", { name: "embeddings-fn", computePlatform: "Lambda" });

// From codedeploy-facts.md: only the AllAtOnce configs shift all traffic at once.
const LAMBDA_BUILT_INS: [string, "pass" | "mandatory"][] = [
  ["CodeDeployDefault.LambdaAllAtOnce", "mandatory"],
  ["CodeDeployDefault.LambdaCanary10Percent5Minutes", "pass"],
  ["CodeDeployDefault.LambdaCanary10Percent10Minutes", "pass"],
  ["CodeDeployDefault.LambdaCanary10Percent15Minutes", "pass"],
  ["CodeDeployDefault.LambdaCanary10Percent30Minutes", "pass"],
  ["CodeDeployDefault.LambdaLinear10PercentEvery1Minute", "pass"],
  ["CodeDeployDefault.LambdaLinear10PercentEvery2Minutes", "pass"],
  ["CodeDeployDefault.LambdaLinear10PercentEvery3Minutes", "pass"],
  ["CodeDeployDefault.LambdaLinear10PercentEvery10Minutes", "pass"],
];
const ECS_BUILT_INS: [string, "pass" | "mandatory"][] = [
  ["CodeDeployDefault.ECSAllAtOnce", "mandatory"],
  ["CodeDeployDefault.ECSLinear10PercentEvery1Minutes", "pass"],
  ["CodeDeployDefault.ECSLinear10PercentEvery3Minutes", "pass"],
  ["CodeDeployDefault.ECSCanary10Percent5Minutes", "pass"],
  ["CodeDeployDefault.ECSCanary10Percent15Minutes", "pass"],
];

function lambdaConfig(name: string, trafficRoutingConfig: unknown, computePlatform: unknown = "Lambda") {
  return classic.config(name, {
    deploymentConfigName: name,
    computePlatform,
    ...(trafficRoutingConfig === undefined ? {} : { trafficRoutingConfig }),
  });
}

describe(POLICY, () => {
  it("covers every Lambda and ECS built-in of the catalog", () => {
    for (const [platform, table] of [
      ["Lambda", LAMBDA_BUILT_INS],
      ["ECS", ECS_BUILT_INS],
    ] as const) {
      const inCatalog = BUILT_IN_DEPLOYMENT_CONFIGS.filter((c) => c.computePlatform === platform).map((c) => c.name);
      expect(inCatalog.sort()).toEqual(table.map(([name]) => name).sort());
    }
  });

  it.each(LAMBDA_BUILT_INS)("Lambda group on %s: %s", (name, expected) => {
    const result = check(POLICY, classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: name })), [lambdaApp]);
    expect(result.verdict).toBe(expected);
    if (expected !== "pass") {
      expect(result.message).toContain('"fn-dg"');
      expect(result.message).toContain(name);
      expect(result.message).toContain("shifts all traffic to a new release at once");
      expect(result.message).toContain("CodeDeployDefault.LambdaCanary10Percent5Minutes");
    }
  });

  it.each(ECS_BUILT_INS)("ECS group on %s: %s", (name, expected) => {
    const result = check(POLICY, classic.group("svc-dg", ecsGroupProps({ deploymentConfigName: name })));
    expect(result.verdict).toBe(expected);
    if (expected !== "pass") expect(result.message).toContain("CodeDeployDefault.ECSCanary10Percent5Minutes");
  });

  it("is mandatory for a Lambda group with no config (CodeDeploy shifts all at once)", () => {
    const result = check(POLICY, classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: undefined })), [lambdaApp]);
    expect(result.verdict).toBe("mandatory");
    expect(result.message).toContain("names no deployment config");
  });

  it("is mandatory for an ECS group with no config", () => {
    expect(check(POLICY, classic.group("svc-dg", ecsGroupProps({ deploymentConfigName: undefined }))).verdict).toBe("mandatory");
  });

  it("flags an ECS group on a Lambda built-in as a platform conflict CodeDeploy refuses", () => {
    const result = check(
      POLICY,
      classic.group("svc-dg", ecsGroupProps({ deploymentConfigName: "CodeDeployDefault.LambdaCanary10Percent5Minutes" })),
    );
    expect(result.verdict).toBe("mandatory");
    expect(result.message).toBe(
      'Deployment group "svc-dg": its compute platform evidence conflicts (Lambda: deployment config CodeDeployDefault.LambdaCanary10Percent5Minutes; ECS: the ECS service it names), and CodeDeploy refuses such a deployment group or its deployments at update; make the application, the deployment config and any ECS service agree on one compute platform.',
    );
  });

  it("does not check Server groups", () => {
    expect(check(POLICY, classic.group("api-dg", serverGroupProps())).verdict).toBe("pass");
  });

  describe("custom configs", () => {
    it.each([
      [{ type: "TimeBasedCanary", timeBasedCanary: { interval: 5, percentage: 10 } }, "pass"],
      [{ type: "TimeBasedLinear", timeBasedLinear: { interval: 1, percentage: 10 } }, "pass"],
      [{ type: "AllAtOnce" }, "mandatory"],
      [undefined, "mandatory"],
    ])("trafficRoutingConfig %j: %s", (routing, expected) => {
      const config = lambdaConfig("fn-rollout", routing);
      const group = classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: "fn-rollout" }));
      const findings = evaluate([group, config, lambdaApp]);
      expect(verdict(findings, POLICY, group)).toBe(expected);
    });

    it("says a config without trafficRoutingConfig shifts all at once", () => {
      const group = classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: "fn-rollout" }));
      const result = check(POLICY, group, [lambdaConfig("fn-rollout", undefined), lambdaApp]);
      expect(result.message).toContain('deployment config resource "fn-rollout"');
      expect(result.message).toContain("no trafficRoutingConfig");
    });

    it("resolves through propertyDependencies when the name is unknown", () => {
      const config = lambdaConfig("fn-rollout", { type: "AllAtOnce" });
      const group = classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: SENTINEL }), { deploymentConfigName: [config.urn] });
      expect(verdict(evaluate([group, config, lambdaApp]), POLICY, group)).toBe("mandatory");
    });

    it("is advisory for an unknown name without a dependency, and for an unresolved name", () => {
      expect(check(POLICY, classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: SENTINEL })), [lambdaApp]).verdict).toBe(
        "advisory",
      );
      const unresolved = check(POLICY, classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: SECRET_LOOKING })), [lambdaApp]);
      expect(unresolved.verdict).toBe("advisory");
      expect(unresolved.message).not.toContain(SECRET_LOOKING);
    });

    it("checks declared externalDeploymentConfigs", () => {
      const group = classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: "org-canary" }));
      const declare = (trafficRoutingType: string) => ({
        [POLICY]: { externalDeploymentConfigs: [{ name: "org-canary", computePlatform: "Lambda", trafficRoutingType }] },
      });
      expect(check(POLICY, group, [lambdaApp], declare("TimeBasedCanary")).verdict).toBe("pass");
      expect(check(POLICY, group, [lambdaApp], declare("AllAtOnce")).verdict).toBe("mandatory");
    });

    it("never echoes a routing type CodeDeploy does not define", () => {
      const group = classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: "fn-rollout" }));
      const result = check(POLICY, group, [lambdaConfig("fn-rollout", { type: SECRET_LOOKING }), lambdaApp]);
      expect(result.verdict).toBe("mandatory");
      expect(result.message).not.toContain(SECRET_LOOKING);
    });

    it("is advisory when the config's routing is unknown", () => {
      const group = classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: "fn-rollout" }));
      expect(check(POLICY, group, [lambdaConfig("fn-rollout", SENTINEL), lambdaApp]).verdict).toBe("advisory");
    });

    it("a config whose platform is unknown beside the application's known one changes nothing (CodeDeploy refuses a mismatch)", () => {
      const group = classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: "fn-rollout" }));
      expect(check(POLICY, group, [lambdaConfig("fn-rollout", { type: "TimeBasedCanary" }, SENTINEL), lambdaApp]).verdict).toBe("pass");
      expect(check(POLICY, group, [lambdaConfig("fn-rollout", { type: "AllAtOnce" }, SENTINEL), lambdaApp]).verdict).toBe("mandatory");
    });

    it("with no other evidence, a config whose platform is unknown leaves the platform undecided: advisory where a platform fails", () => {
      const group = classic.group("fn-dg", lambdaGroupProps({ appName: "outside", deploymentConfigName: "fn-rollout" }));
      const canary = evaluate([group, lambdaConfig("fn-rollout", { type: "TimeBasedCanary" }, SENTINEL)]);
      expect(verdict(canary, POLICY, group)).toBe("pass");
      // As a Server group the same config keeps no hosts healthy: minimum-healthy-hosts cannot pass it yet.
      expect(findingFor(canary, "codedeploy-minimum-healthy-hosts", group)?.message).toBe(
        'Deployment group "fn-dg": can\'t be checked during preview: its compute platform is not known yet (computePlatform of deployment config resource "fn-rollout" is unknown until the update runs), and as an EC2/on-premises group it would not pass.',
      );
      const allAtOnce = evaluate([group, lambdaConfig("fn-rollout", { type: "AllAtOnce" }, SENTINEL)]);
      expect(findingFor(allAtOnce, POLICY, group)).toMatchObject({ enforcementLevel: "advisory", reason: "undecidable" });
    });
  });

  it("reads AWS Native ECS groups and configs", () => {
    const config = native.config("svc-rollout", {
      deploymentConfigName: "svc-rollout",
      computePlatform: "ECS",
      trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: { canaryInterval: 5, canaryPercentage: 10 } },
    });
    const group = native.group("svc-dg", {
      applicationName: "ranker",
      ecsServices: [{ clusterName: "c", serviceName: "s" }],
      deploymentConfigName: "svc-rollout",
    });
    expect(verdict(evaluate([group, config]), POLICY, group)).toBe("pass");
    const allAtOnce = native.group("svc-dg", { applicationName: "ranker", ecsServices: [{ clusterName: "c", serviceName: "s" }] });
    expect(verdict(evaluate([allAtOnce]), POLICY, allAtOnce)).toBe("mandatory");
  });
});
