// docs/resolution.md, "Finding the application and the deployment config": which candidates an
// ambiguous reference lists and in which order, and what an empty name refers to. The order is part
// of the contract twice over: `StackReference` hands the candidates over in URN order (whatever order
// the engine sent the resources in), and a message names them by logical name, sorted, so the same
// stack always gives the same text.
import { describe, expect, it } from "vitest";
import type { PulumiResource } from "../../policy-pack/adapters";
import type { DeploymentGroupModel } from "../../policy-pack/core/model";
import { effectiveDeploymentConfig, indexStack, resolveGroup, type GroupResolution } from "../../policy-pack/core/resolve";
import { classic, evaluate, findingFor, lambdaGroupProps, models, native, SENTINEL, serverGroupProps, urnOf } from "./fixtures";

const HOSTS = "codedeploy-minimum-healthy-hosts";
const GRADUAL = "codedeploy-gradual-traffic-shifting";

/** How resolveGroup sees the first resource of `resources` (a group) in a stack of all of them. */
function resolutionOf(resources: readonly PulumiResource[]): GroupResolution {
  const all = models(resources);
  const group = all.find(
    (model): model is DeploymentGroupModel => model.kind === "deploymentGroup" && model.resource.urn === resources[0]!.urn,
  )!;
  return resolveGroup(group, indexStack(all));
}

/** Every order of `items`. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

function candidateUrns(reference: GroupResolution["application"] | GroupResolution["config"]): string[] {
  if (reference.state !== "ambiguous") throw new Error(`expected an ambiguous reference, got ${reference.state}`);
  return reference.candidates.map((candidate) => candidate.resource.urn);
}

// Three applications named "fn": a classic one and two AWS Native ones. In URN order the Native
// ones come first ("aws-native:" sorts before "aws:"), which is neither the logical-name order
// nor any fixed order of the stack.
const classicApp = classic.app("b-app", { name: "fn", computePlatform: "Lambda" });
const nativeZ = native.app("z-app", { applicationName: "fn", computePlatform: "Lambda" });
const nativeA = native.app("a-app", { applicationName: "fn", computePlatform: "Server" });
const appsInUrnOrder = [nativeA.urn, nativeZ.urn, classicApp.urn];

describe("an ambiguous reference lists its candidates in URN order, whatever order the stack came in", () => {
  it("the URN order of the fixture is not its name order (so the test below tells them apart)", () => {
    expect([...appsInUrnOrder].sort()).toEqual(appsInUrnOrder);
    expect(appsInUrnOrder).toEqual([urnOf("aws-native:codedeploy:Application", "a-app"), nativeZ.urn, classicApp.urn]);
  });

  it("by name in scope: every order of the stack gives the same candidates in URN order", () => {
    const group = classic.group("fn-dg", lambdaGroupProps({ appName: "fn" }));
    for (const apps of permutations([classicApp, nativeZ, nativeA])) {
      expect(candidateUrns(resolutionOf([group, ...apps]).application)).toEqual(appsInUrnOrder);
    }
  });

  it("by property dependencies: every order of the dependencies and of the stack gives URN order", () => {
    for (const dependencies of permutations([classicApp.urn, nativeZ.urn, nativeA.urn])) {
      const group = classic.group("fn-dg", lambdaGroupProps({ appName: SENTINEL }), { appName: dependencies });
      for (const apps of [
        [classicApp, nativeZ, nativeA],
        [nativeA, classicApp, nativeZ],
      ]) {
        expect(candidateUrns(resolutionOf([group, ...apps]).application)).toEqual(appsInUrnOrder);
      }
    }
  });

  it("two deployment configs of one name: URN order for either order of the stack", () => {
    const classicConfig = classic.config("a-rollout", { deploymentConfigName: "rollout", computePlatform: "Server" });
    const nativeConfig = native.config("z-rollout", { deploymentConfigName: "rollout", computePlatform: "Server" });
    const group = classic.group("dg", serverGroupProps({ deploymentConfigName: "rollout" }));
    for (const configs of permutations([classicConfig, nativeConfig])) {
      expect(candidateUrns(resolutionOf([group, ...configs]).config)).toEqual([nativeConfig.urn, classicConfig.urn]);
    }
  });
});

describe("a message names the candidates by logical name, sorted", () => {
  it("an ambiguous application leaves the platform undecided: the advisory names every candidate, by name", () => {
    const group = classic.group("fn-dg", lambdaGroupProps({ appName: "fn", deploymentConfigName: "CodeDeployDefault.OneAtATime" }));
    for (const apps of permutations([classicApp, nativeZ, nativeA])) {
      const finding = findingFor(evaluate([group, ...apps]), GRADUAL, group);
      expect(finding).toMatchObject({
        enforcementLevel: "advisory",
        reason: "unresolved",
        message:
          'Deployment group "fn-dg": its compute platform cannot be told (its application name matches 3 applications of the stack in its scope ("a-app", "b-app", "z-app")), and as a Lambda group it would not pass.',
      });
    }
  });

  it("an ambiguous deployment config is the only doubt: the platform cannot be told (not 'during preview'), naming the configs", () => {
    // The application is outside the stack and the group names no ECS service, so the two configs
    // (one Server, one Lambda) are the only evidence there is, and they are ambiguous.
    const server = native.config("z-rollout", { deploymentConfigName: "rollout", computePlatform: "Server" });
    const lambda = classic.config("a-rollout", {
      deploymentConfigName: "rollout",
      computePlatform: "Lambda",
      trafficRoutingConfig: { type: "AllAtOnce" },
    });
    const group = classic.group("fn-dg", lambdaGroupProps({ appName: "outside-app", deploymentConfigName: "rollout" }));
    for (const stack of [
      [group, server, lambda],
      [group, lambda, server],
    ]) {
      const finding = findingFor(evaluate(stack), GRADUAL, group);
      expect(finding).toMatchObject({
        enforcementLevel: "advisory",
        reason: "unresolved",
        message:
          'Deployment group "fn-dg": its compute platform cannot be told (deploymentConfigName matches 2 deployment configs of the stack in its scope ("a-rollout", "z-rollout"), so which one it uses cannot be told), and as a Lambda group it would not pass.',
      });
    }
  });

  it("an ambiguous deployment config on a decided Server group: unresolved, naming both configs by name", () => {
    const classicConfig = classic.config("z-rollout", {
      deploymentConfigName: "rollout",
      minimumHealthyHosts: { type: "HOST_COUNT", value: 0 },
    });
    const nativeConfig = native.config("a-rollout", {
      deploymentConfigName: "rollout",
      minimumHealthyHosts: { type: "FLEET_PERCENT", value: 90 },
    });
    const group = classic.group("dg", serverGroupProps({ appName: "inference-api", deploymentConfigName: "rollout" }));
    const app = classic.app("api-app", { name: "inference-api", computePlatform: "Server" });
    for (const stack of [
      [group, app, classicConfig, nativeConfig],
      [group, nativeConfig, app, classicConfig],
    ]) {
      expect(findingFor(evaluate(stack), HOSTS, group)).toMatchObject({
        enforcementLevel: "advisory",
        reason: "unresolved",
        message:
          'Deployment group "dg": deploymentConfigName matches 2 deployment configs of the stack in its scope ("a-rollout", "z-rollout"), so which one it uses cannot be told.',
      });
    }
  });
});

describe("an empty name names nothing (docs/resolution.md: no name at all)", () => {
  it("an empty deploymentConfigName or appName refers to no resource, not to one outside the stack", () => {
    const resolution = resolutionOf([classic.group("dg", serverGroupProps({ appName: "", deploymentConfigName: "" }))]);
    expect(resolution.application).toEqual({ state: "none" });
    expect(resolution.config).toEqual({ state: "none" });
  });

  it("a Server group with an empty deploymentConfigName deploys with CodeDeploy's default and passes", () => {
    const group = classic.group("dg", serverGroupProps({ deploymentConfigName: "" }));
    expect(findingFor(evaluate([group]), HOSTS, group)).toBeUndefined();
  });
});

describe("a platform that is a string but no compute platform is malformed evidence, named by where it comes from", () => {
  it("an application's computePlatform outside Server, Lambda and ECS", () => {
    const app = classic.app("api-app", { name: "inference-api", computePlatform: "EC2" });
    const group = classic.group("dg", serverGroupProps({ appName: "inference-api", deploymentConfigName: "CodeDeployDefault.OneAtATime" }));
    expect(findingFor(evaluate([group, app]), HOSTS, group)).toMatchObject({
      enforcementLevel: "mandatory",
      message:
        'Deployment group "dg": computePlatform of application "api-app" is malformed (expected Server, Lambda or ECS, found another string), so it cannot be checked; fix its value.',
    });
  });

  it("a deployment config resource's computePlatform outside Server, Lambda and ECS", () => {
    const config = classic.config("rollout", { deploymentConfigName: "rollout", computePlatform: "Fargate" });
    const group = classic.group("dg", serverGroupProps({ appName: "outside-app", deploymentConfigName: "rollout" }));
    expect(resolutionOf([group, config]).malformed).toEqual([
      {
        kind: "malformed",
        path: 'computePlatform of deployment config resource "rollout"',
        expected: "Server, Lambda or ECS",
        found: "another string",
      },
    ]);
  });
});

describe("the effective deployment config of a name outside the stack", () => {
  const effective = (group: PulumiResource, platform: "Server" | "Lambda") =>
    effectiveDeploymentConfig(resolutionOf([group]), platform, []);

  it("OneAtATime on a Lambda group is the provider's default: traffic shifts all at once", () => {
    const group = classic.group("fn-dg", lambdaGroupProps({ appName: "fn", deploymentConfigName: "CodeDeployDefault.OneAtATime" }));
    expect(effective(group, "Lambda")).toEqual({
      state: "resolved",
      config: { source: "provider-default", label: "CodeDeployDefault.OneAtATime", trafficRoutingType: "AllAtOnce" },
    });
  });

  it("a CodeDeployDefault. name the catalog does not know is unresolved, saying the prefix is reserved", () => {
    const group = classic.group("dg", serverGroupProps({ appName: "api", deploymentConfigName: "CodeDeployDefault.FutureConfig" }));
    expect(effective(group, "Server")).toEqual({
      state: "unresolved",
      reason:
        "deploymentConfigName has the reserved CodeDeployDefault. prefix but is not a built-in config this pack knows, so its settings are unknown",
    });
  });
});

describe("the stack index", () => {
  it("lists every group, config and application, whatever its name", () => {
    const index = indexStack(
      models([classicApp, nativeA, classic.config("c", { deploymentConfigName: "rollout" }), classic.group("dg", {})]),
    );
    expect(index.applications.map((model) => model.resource.name)).toEqual(["b-app", "a-app"]);
    expect(index.configs.map((model) => model.resource.name)).toEqual(["c"]);
    expect(index.groups.map((model) => model.resource.name)).toEqual(["dg"]);
  });
});
