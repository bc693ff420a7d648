import { describe, expect, it } from "vitest";
import { indexStack, resolvePlatform } from "../../policy-pack/core/resolve";
import type { DeploymentGroupModel } from "../../policy-pack/core/model";
import {
  check,
  classic,
  ecsGroupProps,
  evaluate,
  lambdaGroupProps,
  models,
  native,
  nativeServerGroupProps,
  SENTINEL,
  serverGroupProps,
} from "./fixtures";

const GRADUAL = "codedeploy-gradual-traffic-shifting";
const HOSTS = "codedeploy-minimum-healthy-hosts";
const lambdaApp = classic.app("fn-app", { name: "embeddings-fn", computePlatform: "Lambda" });

function platform(group: ReturnType<typeof classic.group>, others: ReturnType<typeof classic.app>[] = []) {
  const all = models([group, ...others]);
  return resolvePlatform(all[0] as DeploymentGroupModel, indexStack(all));
}

describe("compute platform resolution (spec order)", () => {
  it("an ECS service makes the group ECS, whatever its application says", () => {
    const group = classic.group("svc-dg", ecsGroupProps({ appName: "embeddings-fn", deploymentConfigName: undefined }));
    expect(platform(group, [lambdaApp])).toEqual({ platform: "ECS", source: "ecsService" });
    expect(check(GRADUAL, group, [lambdaApp]).message).toContain("ECS deployment group");
  });

  it("then the application, by name", () => {
    const group = classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: undefined }));
    expect(platform(group, [lambdaApp])).toEqual({ platform: "Lambda", source: "application" });
    expect(check(GRADUAL, group, [lambdaApp]).verdict).toBe("mandatory");
    expect(check(GRADUAL, group, []).verdict).toBe("pass"); // without the app it is a Server group
  });

  it("then the application through propertyDependencies when appName is unknown", () => {
    const group = classic.group("fn-dg", lambdaGroupProps({ appName: SENTINEL, deploymentConfigName: undefined }), {
      appName: [lambdaApp.urn],
    });
    expect(platform(group, [lambdaApp])).toEqual({ platform: "Lambda", source: "application" });
    expect(check(GRADUAL, group, [lambdaApp]).verdict).toBe("mandatory");
  });

  it("an application without computePlatform is Server", () => {
    const app = classic.app("api-app", { name: "inference-api" });
    expect(
      platform(classic.group("api-dg", serverGroupProps({ deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce" })), [app]).source,
    ).toBe("application");
  });

  it("then a built-in config name", () => {
    const group = classic.group(
      "fn-dg",
      lambdaGroupProps({ appName: "not-in-stack", deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce" }),
    );
    expect(platform(group)).toEqual({ platform: "Lambda", source: "deploymentConfig" });
    expect(check(GRADUAL, group).verdict).toBe("mandatory");
  });

  it("otherwise Server, the CodeDeploy default", () => {
    const group = classic.group("api-dg", serverGroupProps({ deploymentConfigName: "CodeDeployDefault.HalfAtATime" }));
    expect(platform(classic.group("api-dg", serverGroupProps()))).toEqual({ platform: "Server", source: "default" });
    expect(check(HOSTS, group).verdict).toBe("mandatory");
  });

  it("AWS Native: ecsServices and the application's applicationName", () => {
    const app = native.app("fn-app", { applicationName: "embeddings-fn", computePlatform: "Lambda" });
    const group = native.group("fn-dg", { applicationName: "embeddings-fn" });
    const all = models([group, app]);
    expect(resolvePlatform(all[0] as DeploymentGroupModel, indexStack(all)).platform).toBe("Lambda");
    const ecs = models([native.group("svc-dg", { applicationName: "x", ecsServices: [{ clusterName: "c", serviceName: "s" }] })]);
    expect(resolvePlatform(ecs[0] as DeploymentGroupModel, indexStack(ecs)).platform).toBe("ECS");
    const noServices = models([native.group("api-dg", { applicationName: "x", ecsServices: [] })]);
    expect(resolvePlatform(noServices[0] as DeploymentGroupModel, indexStack(noServices)).platform).toBe("Server");
  });
});

describe("an ECS service field of the wrong shape", () => {
  const mandatoryMessages = (findings: ReturnType<typeof evaluate>) =>
    findings.filter((finding) => finding.enforcementLevel === "mandatory").map((finding) => `${finding.policy}: ${finding.message}`);

  it("is reported by the policy that checks the platform the group falls back to, never passed", () => {
    // Falls back to ECS (the built-in config's platform): gradual-traffic-shifting reports it.
    const onEcsConfig = classic.group(
      "odd",
      serverGroupProps({ ecsService: 5, deploymentConfigName: "CodeDeployDefault.ECSCanary10Percent5Minutes" }),
    );
    expect(mandatoryMessages(evaluate([onEcsConfig]))).toEqual([
      expect.stringMatching(/^codedeploy-gradual-traffic-shifting: .*ecsService is malformed/),
    ]);
    // Falls back to Server: minimum-healthy-hosts reports it.
    const nativeGroup = native.group("odd-native", { ...nativeServerGroupProps(), ecsServices: "x" });
    expect(mandatoryMessages(evaluate([nativeGroup]))).toEqual([
      expect.stringMatching(/^codedeploy-minimum-healthy-hosts: .*ecsServices is malformed/),
    ]);
  });
});
