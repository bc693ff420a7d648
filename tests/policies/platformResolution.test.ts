// docs/resolution.md, rule by rule: scope, property dependencies first, ambiguity, the platform from
// every piece of evidence, OneAtATime as the provider's default, external configs. Exact verdicts,
// and exact messages where the message is the contract.
import { describe, expect, it } from "vitest";
import type { PulumiResource } from "../../policy-pack/adapters";
import type { DeploymentGroupModel } from "../../policy-pack/core/model";
import { decidePlatform, indexStack, resolveGroup, type PlatformDecision } from "../../policy-pack/core/resolve";
import {
  awsProvider,
  classic,
  ecsGroupProps,
  evaluate,
  findingFor,
  lambdaGroupProps,
  models,
  native,
  SENTINEL,
  serverGroupProps,
  under,
  verdict,
} from "./fixtures";

const HOSTS = "codedeploy-minimum-healthy-hosts";
const GRADUAL = "codedeploy-gradual-traffic-shifting";
const BLUE_GREEN = "codedeploy-blue-green-rollback-window";
const STACK_POLICIES = [HOSTS, GRADUAL, BLUE_GREEN] as const;

const CONFLICT_TAIL =
  "and CodeDeploy refuses such a deployment group or its deployments at update; make the application, the deployment config and any ECS service agree on one compute platform.";

/** The platform decision for the first resource (a group) of `resources`, as a stack policy sees it. */
function decision(resources: readonly PulumiResource[], externals: Parameters<typeof decidePlatform>[1] = []): PlatformDecision {
  const all = models(resources);
  const group = all.find(
    (model): model is DeploymentGroupModel => model.resource.urn === resources[0]!.urn && model.kind === "deploymentGroup",
  )!;
  return decidePlatform(resolveGroup(group, indexStack(all)), externals);
}

function stackVerdicts(resources: readonly PulumiResource[], target: PulumiResource, config = {}) {
  const findings = evaluate(resources, config);
  return Object.fromEntries(STACK_POLICIES.map((policy) => [policy, verdict(findings, policy, target)]));
}

const serverConfig = (name: string, value: number, props: Record<string, unknown> = {}) =>
  classic.config(name, {
    deploymentConfigName: "rollout",
    computePlatform: "Server",
    minimumHealthyHosts: { type: "FLEET_PERCENT", value },
    ...props,
  });

describe("scope: a name matches only within one provider and region", () => {
  const eu = awsProvider("eu", "eu-west-1");

  it("two same-name configs in two regions of one provider: each group uses the one in its own region", () => {
    const inUs = under(eu, serverConfig("rollout-us", 50, { region: "us-east-1" })); // keeps too few
    const inEu = under(eu, serverConfig("rollout-eu", 75)); // the provider's region
    const euGroup = under(eu, classic.group("eu-dg", serverGroupProps({ deploymentConfigName: "rollout" })));
    const usGroup = under(eu, classic.group("us-dg", serverGroupProps({ deploymentConfigName: "rollout", region: "us-east-1" })));
    const findings = evaluate([inUs, inEu, euGroup, usGroup]);
    expect(verdict(findings, HOSTS, euGroup)).toBe("pass");
    expect(findingFor(findings, HOSTS, usGroup)?.message).toBe(
      'Deployment group "us-dg": uses deployment config resource "rollout-us", which keeps less of the fleet healthy (FLEET_PERCENT) than the required 66%; raise minimumHealthyHosts.value to 66..99.',
    );
  });

  it("two same-name configs under two providers: each group uses its own provider's", () => {
    const [a, b] = [awsProvider("account-a", "eu-west-1"), awsProvider("account-b", "eu-west-1")];
    const safe = under(a, serverConfig("rollout-a", 75));
    const unsafe = under(b, serverConfig("rollout-b", 10));
    const groupA = under(a, classic.group("a-dg", serverGroupProps({ deploymentConfigName: "rollout" })));
    const groupB = under(b, classic.group("b-dg", serverGroupProps({ deploymentConfigName: "rollout" })));
    const findings = evaluate([unsafe, groupB, safe, groupA]);
    expect(verdict(findings, HOSTS, groupA)).toBe("pass");
    expect(findingFor(findings, HOSTS, groupB)?.message).toContain('uses deployment config resource "rollout-b"');
  });

  it("a resource's own region wins over its provider's; a region unknown during preview matches every region", () => {
    const us = under(eu, serverConfig("rollout-us", 50, { region: "us-east-1" }));
    const euConfig = under(eu, serverConfig("rollout-eu", 75));
    const unknownRegion = under(eu, classic.group("dg", serverGroupProps({ deploymentConfigName: "rollout", region: SENTINEL })));
    const app = under(eu, classic.app("api-app", { name: "inference", computePlatform: "Server", region: SENTINEL }));
    const finding = findingFor(evaluate([us, euConfig, unknownRegion, app]), HOSTS, unknownRegion);
    expect(finding).toMatchObject({ enforcementLevel: "advisory", reason: "unresolved" });
    expect(finding?.message).toBe(
      'Deployment group "dg": deploymentConfigName matches 2 deployment configs of the stack in its scope ("rollout-eu", "rollout-us"), so which one it uses cannot be told.',
    );
  });

  it("a resource without provider information is in scope `none`, which matches only `none`", () => {
    const withProvider = under(eu, serverConfig("rollout", 10));
    const group = classic.group("dg", serverGroupProps({ deploymentConfigName: "rollout" }));
    expect(findingFor(evaluate([withProvider, group]), HOSTS, group)).toMatchObject({ enforcementLevel: "advisory", reason: "unresolved" });
    expect(
      verdict(
        evaluate([classic.config("c", { deploymentConfigName: "rollout", minimumHealthyHosts: { type: "HOST_COUNT", value: 0 } }), group]),
        HOSTS,
        group,
      ),
    ).toBe("mandatory");
  });
});

describe("property dependencies come first", () => {
  it("the application the engine says appName came from decides, whatever other application shares the name", () => {
    const sameName = classic.app("server-app", { name: "embeddings-fn", computePlatform: "Server" });
    const real = classic.app("lambda-app", { name: "embeddings-fn-7f3a", computePlatform: "Lambda" });
    const group = classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: "CodeDeployDefault.OneAtATime" }), {
      appName: [real.urn],
    });
    expect(decision([group, sameName, real])).toEqual({ state: "decided", platform: "Lambda", malformed: [] });
    expect(stackVerdicts([group, sameName, real], group)).toEqual({ [HOSTS]: "pass", [GRADUAL]: "mandatory", [BLUE_GREEN]: "pass" });
  });

  it("the config the engine says deploymentConfigName came from decides, even when its name differs", () => {
    const byName = serverConfig("by-name", 90);
    const real = classic.config("real", { deploymentConfigName: "rollout-x1", minimumHealthyHosts: { type: "HOST_COUNT", value: 0 } });
    const group = classic.group("dg", serverGroupProps({ deploymentConfigName: "rollout" }), { deploymentConfigName: [real.urn] });
    expect(findingFor(evaluate([group, byName, real]), HOSTS, group)?.message).toContain('uses deployment config resource "real"');
  });

  it("dependencies on two configs are ambiguous: never the first one", () => {
    const one = serverConfig("one", 10);
    const two = serverConfig("two", 90);
    const group = classic.group("dg", serverGroupProps({ deploymentConfigName: SENTINEL }), { deploymentConfigName: [two.urn, one.urn] });
    const app = classic.app("api-app", { name: "inference", computePlatform: "Server" });
    for (const order of [
      [group, one, two, app],
      [two, app, group, one],
    ]) {
      expect(findingFor(evaluate(order), HOSTS, group)?.message).toBe(
        'Deployment group "dg": deploymentConfigName matches 2 deployment configs of the stack in its scope ("one", "two"), so which one it uses cannot be told.',
      );
    }
  });
});

describe("a config name of the wrong type", () => {
  it("is a mandatory violation naming the field, whatever the platform", () => {
    const group = classic.group("dg", serverGroupProps({ deploymentConfigName: 42 }));
    expect(findingFor(evaluate([group]), HOSTS, group)).toMatchObject({
      enforcementLevel: "mandatory",
      message:
        'Deployment group "dg": deploymentConfigName is malformed (expected string, found number), so it cannot be checked; fix its value.',
    });
  });
});

describe("ambiguity: two candidates in scope are reported, never resolved to the first", () => {
  it("two applications of one name with different platforms leave the platform undecided, naming both", () => {
    const server = classic.app("app-server", { name: "embeddings-fn", computePlatform: "Server" });
    const lambda = classic.app("app-lambda", { name: "embeddings-fn", computePlatform: "Lambda" });
    const group = classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: "CodeDeployDefault.OneAtATime" }));
    const expected =
      'Deployment group "fn-dg": its compute platform cannot be told (its application name matches 2 applications of the stack in its scope ("app-lambda", "app-server")), and as a Lambda group it would not pass.';
    for (const order of [
      [group, server, lambda],
      [lambda, group, server],
      [server, lambda, group],
    ]) {
      const finding = findingFor(evaluate(order), GRADUAL, group);
      expect(finding).toMatchObject({ enforcementLevel: "advisory", reason: "unresolved", message: expected });
      expect(verdict(evaluate(order), HOSTS, group)).toBe("pass"); // OneAtATime on Server passes
    }
  });

  it("another piece of known evidence still decides beside an ambiguous application", () => {
    const apps = [classic.app("a1", { name: "fn" }), classic.app("a2", { name: "fn", computePlatform: "Lambda" })];
    const group = classic.group(
      "fn-dg",
      lambdaGroupProps({ appName: "fn", deploymentConfigName: "CodeDeployDefault.LambdaLinear10PercentEvery1Minute" }),
    );
    expect(decision([group, ...apps])).toEqual({ state: "decided", platform: "Lambda", malformed: [] });
    expect(stackVerdicts([group, ...apps], group)).toEqual({ [HOSTS]: "pass", [GRADUAL]: "pass", [BLUE_GREEN]: "pass" });
  });
});

describe("the compute platform from every piece of evidence", () => {
  const lambdaApp = classic.app("fn-app", { name: "embeddings-fn", computePlatform: "Lambda" });
  const serverApp = classic.app("fn-app", { name: "embeddings-fn", computePlatform: "Server" });
  const canaryConfig = classic.config("fn-canary", {
    deploymentConfigName: "fn-canary",
    computePlatform: "Lambda",
    trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: { interval: 5, percentage: 10 } },
  });
  const group = (props: Record<string, unknown>, deps?: Record<string, string[]>) => classic.group("fn-dg", lambdaGroupProps(props), deps);
  const decided = (platform: string) => ({ state: "decided", platform, malformed: [] });

  it.each([
    [
      "an ECS service alone",
      [classic.group("fn-dg", ecsGroupProps({ appName: "x", deploymentConfigName: "CodeDeployDefault.OneAtATime" }))],
      decided("ECS"),
    ],
    [
      "the group's own computePlatform output (update)",
      [group({ appName: "x", computePlatform: "Lambda", deploymentConfigName: undefined })],
      decided("Lambda"),
    ],
    [
      "its own computePlatform unknown in preview is no evidence",
      [group({ appName: "x", computePlatform: SENTINEL, deploymentConfigName: undefined })],
      decided("Server"),
    ],
    ["the application in the stack", [group({ deploymentConfigName: undefined }), lambdaApp], decided("Lambda")],
    [
      "an application in the stack without computePlatform is Server",
      [group({ deploymentConfigName: undefined }), classic.app("fn-app", { name: "embeddings-fn" })],
      decided("Server"),
    ],
    ["a Lambda built-in with the application outside the stack", [group({ appName: "elsewhere" })], decided("Lambda")],
    [
      "a Lambda custom config in the stack with the application outside",
      [group({ appName: "elsewhere", deploymentConfigName: "fn-canary" }), canaryConfig],
      decided("Lambda"),
    ],
    ["application and built-in config agree", [group({}), lambdaApp], decided("Lambda")],
    [
      "CodeDeployDefault.OneAtATime is no evidence",
      [group({ appName: "elsewhere", deploymentConfigName: "CodeDeployDefault.OneAtATime" })],
      decided("Server"),
    ],
    ["no evidence at all is Server", [group({ appName: "elsewhere", deploymentConfigName: undefined })], decided("Server")],
    ["unknown evidence beside known evidence does not matter", [group({ appName: SENTINEL }, { appName: [] })], decided("Lambda")],
  ] as const)("%s", (_label, resources, expected) => {
    expect(decision(resources)).toEqual(expected);
  });

  it("the issue's case: a compliant Lambda canary group whose application is outside the stack passes every policy", () => {
    const target = group({ appName: "deployed-elsewhere" });
    const findings = evaluate([target]);
    expect(findings.filter((finding) => finding.resource.urn === target.urn)).toEqual([]);
  });

  it("the issue's case: a Lambda group whose application's platform is unknown in preview is still checked by its config", () => {
    const pending = classic.app("fn-app", { name: "embeddings-fn", computePlatform: SENTINEL });
    const allAtOnce = group({ deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce" });
    expect(stackVerdicts([allAtOnce, pending], allAtOnce)).toEqual({ [HOSTS]: "pass", [GRADUAL]: "mandatory", [BLUE_GREEN]: "pass" });
  });

  it.each([
    [
      "application Server, config Lambda",
      [group({}), serverApp],
      'Server: application "fn-app"; Lambda: deployment config CodeDeployDefault.LambdaCanary10Percent5Minutes',
    ],
    [
      "ECS service, application Lambda",
      [classic.group("fn-dg", ecsGroupProps({ appName: "embeddings-fn", deploymentConfigName: undefined })), lambdaApp],
      'Lambda: application "fn-app"; ECS: the ECS service it names',
    ],
    [
      "own computePlatform Server, custom config Lambda",
      [group({ appName: "elsewhere", computePlatform: "Server", deploymentConfigName: "fn-canary" }), canaryConfig],
      'Server: its own computePlatform; Lambda: deployment config resource "fn-canary"',
    ],
  ] as const)(
    "known evidence that conflicts (%s) is one mandatory finding, by gradual-traffic-shifting only",
    (_label, resources, sides) => {
      const target = resources[0];
      expect(decision(resources).state).toBe("conflict");
      const findings = evaluate(resources);
      expect(findingFor(findings, GRADUAL, target)).toMatchObject({
        enforcementLevel: "mandatory",
        message: `Deployment group "fn-dg": its compute platform evidence conflicts (${sides}), ${CONFLICT_TAIL}`,
      });
      expect(verdict(findings, HOSTS, target)).toBe("pass");
      expect(verdict(findings, BLUE_GREEN, target)).toBe("pass");
    },
  );

  it("undecided (no known evidence, some unknown): at most advisory, and only where a platform it can be fails", () => {
    const pendingApp = classic.app("fn-app", { name: "embeddings-fn", computePlatform: SENTINEL });
    // No config: Server passes (OneAtATime), Lambda shifts all at once.
    const noConfig = group({ deploymentConfigName: undefined });
    expect(decision([noConfig, pendingApp]).state).toBe("undecided");
    // Blue/green with no termination setting: on Server a violation, on Lambda nothing to keep.
    expect(stackVerdicts([noConfig, pendingApp], noConfig)).toEqual({ [HOSTS]: "pass", [GRADUAL]: "advisory", [BLUE_GREEN]: "advisory" });
    const inPlace = group({ deploymentConfigName: undefined, deploymentStyle: { deploymentType: "IN_PLACE" } });
    expect(stackVerdicts([inPlace, pendingApp], inPlace)).toEqual({ [HOSTS]: "pass", [GRADUAL]: "advisory", [BLUE_GREEN]: "pass" });
    // A config name computed without a property dependency, the application outside the stack.
    const computed = group({ appName: "elsewhere", deploymentConfigName: SENTINEL });
    expect(decision([computed])).toEqual({
      state: "undecided",
      doubts: [
        {
          text: "deploymentConfigName is unknown during preview and does not come from a deployment config in this stack",
          ambiguous: false,
        },
      ],
      malformed: [],
    });
    expect(stackVerdicts([computed], computed)).toEqual({ [HOSTS]: "advisory", [GRADUAL]: "advisory", [BLUE_GREEN]: "advisory" });
    // A computed application name without a dependency is unknown evidence too.
    expect(decision([group({ appName: SENTINEL, deploymentConfigName: undefined })]).state).toBe("undecided");
  });

  it("a malformed piece of evidence is a mandatory violation naming it, and is left out of the evidence", () => {
    const odd = group({ appName: "elsewhere", computePlatform: "Mainframe", deploymentConfigName: undefined });
    expect(decision([odd])).toMatchObject({ state: "decided", platform: "Server" });
    expect(findingFor(evaluate([odd]), HOSTS, odd)).toMatchObject({
      enforcementLevel: "mandatory",
      message:
        'Deployment group "fn-dg": computePlatform is malformed (expected Server, Lambda or ECS, found another string), so it cannot be checked; fix its value.',
    });
    // On Lambda (the built-in decides) gradual-traffic-shifting reports it.
    const onLambda = group({ appName: "elsewhere", computePlatform: 7 });
    const findings = evaluate([onLambda]);
    expect(verdict(findings, HOSTS, onLambda)).toBe("pass");
    expect(findingFor(findings, GRADUAL, onLambda)?.message).toContain("computePlatform is malformed (expected string, found number)");
  });
});

describe("CodeDeployDefault.OneAtATime, the provider's default", () => {
  const oneAtATime = "CodeDeployDefault.OneAtATime";
  const fix = (platform: string) => `use a canary or linear config such as CodeDeployDefault.${platform}Canary10Percent5Minutes`;

  it("on a Lambda group shifts all traffic at once, and the message says the provider sends it", () => {
    const app = classic.app("fn-app", { name: "embeddings-fn", computePlatform: "Lambda" });
    const target = classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: oneAtATime }));
    expect(findingFor(evaluate([target, app]), GRADUAL, target)).toMatchObject({
      enforcementLevel: "mandatory",
      message: `Lambda deployment group "fn-dg": names no Lambda deployment config: CodeDeployDefault.OneAtATime is what the AWS provider sends when a group names none, so CodeDeploy shifts all traffic to a new release at once; ${fix("Lambda")}.`,
    });
  });

  it("on an ECS group too", () => {
    const target = classic.group("svc-dg", ecsGroupProps({ deploymentConfigName: oneAtATime }));
    expect(findingFor(evaluate([target]), GRADUAL, target)?.message).toBe(
      `ECS deployment group "svc-dg": names no ECS deployment config: CodeDeployDefault.OneAtATime is what the AWS provider sends when a group names none, so CodeDeploy shifts all traffic to a new release at once; ${fix("ECS")}.`,
    );
  });

  it("an AWS Native group that names none says CodeDeploy shifts all at once", () => {
    const target = native.group("svc-dg", { applicationName: "x", ecsServices: [{ clusterName: "c", serviceName: "s" }] });
    expect(findingFor(evaluate([target]), GRADUAL, target)?.message).toBe(
      `ECS deployment group "svc-dg": names no deployment config, so CodeDeploy shifts all traffic to a new release at once; ${fix("ECS")}.`,
    );
  });

  it("on a Server group is OneAtATime itself, which keeps all hosts but one healthy", () => {
    const target = classic.group("api-dg", serverGroupProps({ deploymentConfigName: oneAtATime }));
    expect(stackVerdicts([target], target)).toEqual({ [HOSTS]: "pass", [GRADUAL]: "pass", [BLUE_GREEN]: "pass" });
  });
});

describe("a config declared in externalDeploymentConfigs", () => {
  const declared = (policy: string, trafficRoutingType: string) => ({
    [policy]: { externalDeploymentConfigs: [{ name: "org-canary", computePlatform: "Lambda", trafficRoutingType }] },
  });
  const target = classic.group("fn-dg", lambdaGroupProps({ appName: "elsewhere", deploymentConfigName: "org-canary" }));

  it("is evidence of the platform: with the application outside the stack, its Lambda platform makes the group Lambda", () => {
    expect(decision([target], [{ name: "org-canary", computePlatform: "Lambda" }])).toEqual({
      state: "decided",
      platform: "Lambda",
      malformed: [],
    });
    expect(verdict(evaluate([target], declared(GRADUAL, "TimeBasedCanary")), GRADUAL, target)).toBe("pass");
    expect(findingFor(evaluate([target], declared(GRADUAL, "AllAtOnce")), GRADUAL, target)?.message).toBe(
      'Lambda deployment group "fn-dg": uses external deployment config "org-canary" (declared in policy config), which shifts all traffic to a new release at once; use a canary or linear config such as CodeDeployDefault.LambdaCanary10Percent5Minutes.',
    );
  });

  it("is checked by minimum-healthy-hosts against its declared platform too: a Lambda config is no Server group's", () => {
    expect(verdict(evaluate([target], declared(HOSTS, "TimeBasedCanary")), HOSTS, target)).toBe("pass");
    // Declared for another policy only, it is evidence for that policy alone (policy configs are per policy).
    expect(findingFor(evaluate([target], declared(GRADUAL, "TimeBasedCanary")), HOSTS, target)?.reason).toBe("unresolved");
  });

  it("conflicts with an application of another platform", () => {
    const serverApp = classic.app("api-app", { name: "elsewhere", computePlatform: "Server" });
    expect(findingFor(evaluate([target, serverApp], declared(GRADUAL, "TimeBasedCanary")), GRADUAL, target)?.message).toBe(
      `Deployment group "fn-dg": its compute platform evidence conflicts (Server: application "api-app"; Lambda: external deployment config "org-canary" (declared in policy config)), ${CONFLICT_TAIL}`,
    );
  });
});

describe("order independence", () => {
  it("every verdict and message is the same for any order of the stack's resources", () => {
    const eu = awsProvider("eu", "eu-west-1");
    const stack = [
      under(eu, classic.app("api-1", { name: "api", computePlatform: "Server" })),
      under(eu, classic.app("api-2", { name: "api", computePlatform: "Server" })),
      under(eu, classic.app("fn", { name: "embeddings-fn", computePlatform: "Lambda" })),
      under(eu, serverConfig("rollout-1", 80)),
      under(eu, serverConfig("rollout-2", 10)),
      under(eu, serverConfig("rollout-us", 10, { region: "us-east-1" })),
      under(eu, classic.group("api-dg", serverGroupProps({ appName: "api", deploymentConfigName: "rollout" }))),
      under(eu, classic.group("us-dg", serverGroupProps({ appName: "api", deploymentConfigName: "rollout", region: "us-east-1" }))),
      under(eu, classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: "CodeDeployDefault.OneAtATime" }))),
      under(eu, classic.group("odd-dg", lambdaGroupProps({ appName: "api", deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce" }))),
    ];
    const lines = (resources: readonly PulumiResource[]) =>
      evaluate(resources)
        .map((finding) => `${finding.policy} ${finding.enforcementLevel} ${finding.resource.urn}: ${finding.message}`)
        .sort();
    const expected = lines(stack);
    expect(expected.filter((line) => line.includes(" advisory ")).length).toBeGreaterThan(0);
    expect(expected.filter((line) => line.includes(" mandatory ")).length).toBeGreaterThan(2);
    let seed = 17;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let run = 0; run < 25; run++) {
      const shuffled = [...stack];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      expect(lines(shuffled)).toEqual(expected);
    }
  });
});
