// codedeploy-gradual-traffic-shifting, message by message: the branches mutation testing showed no test
// noticing (the conflict message's evidence list, malformed evidence beside a conflict, a custom config's
// routing type unknown, malformed, absent, AllAtOnce or undefined, the platform a message and its fix
// name, an undecided platform). From README's policy table: a Lambda or ECS group must shift traffic in
// steps (TimeBasedCanary or TimeBasedLinear); a group whose platform evidence conflicts is refused by
// CodeDeploy and reported here once.
import { describe, expect, it } from "vitest";
import { check, classic, ecsGroupProps, lambdaGroupProps, SENTINEL } from "./fixtures";

const POLICY = "codedeploy-gradual-traffic-shifting";
const CONFLICT_TAIL =
  "and CodeDeploy refuses such a deployment group or its deployments at update; make the application, the deployment config and any ECS service agree on one compute platform.";
const LAMBDA_FIX = "use a canary or linear config such as CodeDeployDefault.LambdaCanary10Percent5Minutes";
const ECS_FIX = "use a canary or linear config such as CodeDeployDefault.ECSCanary10Percent5Minutes";
const lambdaApp = classic.app("fn-app", { name: "embeddings-fn", computePlatform: "Lambda" });
const config = (computePlatform: string, trafficRoutingConfig: unknown) =>
  classic.config("rollout", { deploymentConfigName: "rollout", computePlatform, trafficRoutingConfig });
const lambdaOn = (trafficRoutingConfig: unknown) =>
  check(POLICY, classic.group("fn-dg", lambdaGroupProps({ appName: "embeddings-fn", deploymentConfigName: "rollout" })), [
    lambdaApp,
    config("Lambda", trafficRoutingConfig),
  ]);

describe("a conflict of platform evidence", () => {
  it("lists every claim, grouped by platform in a fixed order (Server, Lambda, ECS)", () => {
    // An ECS service, a Lambda application and a Lambda built-in config: two claims on the Lambda side.
    const group = classic.group(
      "svc-dg",
      ecsGroupProps({ appName: "embeddings-fn", deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce" }),
    );
    expect(check(POLICY, group, [lambdaApp])).toMatchObject({
      verdict: "mandatory",
      finding: { reason: "violation" },
      message: `Deployment group "svc-dg": its compute platform evidence conflicts (Lambda: application "fn-app", deployment config CodeDeployDefault.LambdaAllAtOnce; ECS: the ECS service it names), ${CONFLICT_TAIL}`,
    });
    const serverApp = classic.app("api-app", { name: "inference-api" });
    const three = classic.group(
      "svc-dg",
      ecsGroupProps({ appName: "inference-api", deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce" }),
    );
    expect(check(POLICY, three, [serverApp]).message).toBe(
      `Deployment group "svc-dg": its compute platform evidence conflicts (Server: application "api-app"; Lambda: deployment config CodeDeployDefault.LambdaAllAtOnce; ECS: the ECS service it names), ${CONFLICT_TAIL}`,
    );
  });

  it("reports malformed evidence first, as malformed", () => {
    const group = classic.group(
      "svc-dg",
      ecsGroupProps({ computePlatform: "Mainframe", deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce" }),
    );
    expect(check(POLICY, group)).toMatchObject({
      verdict: "mandatory",
      finding: { reason: "malformed" },
      message: `Deployment group "svc-dg": computePlatform is malformed (expected Server, Lambda or ECS, found another string), so it cannot be checked; fix its value; its compute platform evidence conflicts (Lambda: deployment config CodeDeployDefault.LambdaAllAtOnce; ECS: the ECS service it names), ${CONFLICT_TAIL}`,
    });
  });
});

describe("a custom config's traffic routing", () => {
  it("AllAtOnce, absent and undefined types are violations naming the config and the fix", () => {
    expect(lambdaOn({ type: "AllAtOnce" }).message).toBe(
      `Lambda deployment group "fn-dg": uses deployment config resource "rollout", which shifts all traffic to a new release at once; ${LAMBDA_FIX}.`,
    );
    expect(lambdaOn(undefined).message).toBe(
      `Lambda deployment group "fn-dg": uses deployment config resource "rollout", which has no trafficRoutingConfig, so all traffic shifts at once; ${LAMBDA_FIX}.`,
    );
    expect(lambdaOn({ type: "TimeBasedEventually" }).message).toBe(
      `Lambda deployment group "fn-dg": uses deployment config resource "rollout", whose traffic routing type is a value CodeDeploy does not define; ${LAMBDA_FIX}.`,
    );
  });

  it("the gradual types pass", () => {
    for (const type of ["TimeBasedCanary", "TimeBasedLinear", "TimeBasedFlexible"]) expect(lambdaOn({ type }).verdict).toBe("pass");
  });

  it("unknown routing is undecidable; malformed routing is reported as malformed", () => {
    expect(lambdaOn(SENTINEL)).toMatchObject({
      verdict: "advisory",
      message: 'Lambda deployment group "fn-dg": can\'t be checked during preview: trafficRoutingConfig is unknown until the update runs.',
    });
    expect(lambdaOn({ type: SENTINEL }).message).toBe(
      'Lambda deployment group "fn-dg": can\'t be checked during preview: trafficRoutingConfig is unknown until the update runs.',
    );
    expect(lambdaOn("AllAtOnce")).toMatchObject({
      verdict: "mandatory",
      finding: { reason: "malformed" },
      message:
        'Lambda deployment group "fn-dg": trafficRoutingConfig is malformed (expected object, found string), so it cannot be checked; fix its value.',
    });
    expect(lambdaOn({ type: 1 }).message).toBe(
      'Lambda deployment group "fn-dg": trafficRoutingConfig.type is malformed (expected string, found number), so it cannot be checked; fix its value.',
    );
  });

  it("an ECS group's message and fix name ECS", () => {
    const group = classic.group("svc-dg", ecsGroupProps({ deploymentConfigName: "rollout" }));
    expect(check(POLICY, group, [config("ECS", { type: "AllAtOnce" })]).message).toBe(
      `ECS deployment group "svc-dg": uses deployment config resource "rollout", which shifts all traffic to a new release at once; ${ECS_FIX}.`,
    );
    expect(check(POLICY, classic.group("svc-dg", ecsGroupProps({ deploymentConfigName: undefined }))).message).toBe(
      `ECS deployment group "svc-dg": names no deployment config, so CodeDeploy shifts all traffic to a new release at once; ${ECS_FIX}.`,
    );
  });
});

describe("a group whose platform is undecided", () => {
  // The application name is computed without a dependency: it may be a Server or a Lambda application.
  const undecided = (deploymentConfigName: unknown, others = [] as ReturnType<typeof config>[]) =>
    check(POLICY, classic.group("fn-dg", lambdaGroupProps({ appName: SENTINEL, deploymentConfigName })), others);

  it("is advisory when it would fail as a Lambda group", () => {
    expect(undecided(undefined)).toMatchObject({
      verdict: "advisory",
      finding: { reason: "undecidable" },
      message:
        'Deployment group "fn-dg": can\'t be checked during preview: its compute platform is not known yet (its application name is unknown during preview and does not come from an application in this stack), and as a Lambda group it would not pass.',
    });
  });

  it("passes when it would pass as a Lambda group (a Server group shifts no traffic)", () => {
    const unknownPlatform = classic.config("rollout", {
      deploymentConfigName: "rollout",
      computePlatform: SENTINEL,
      trafficRoutingConfig: { type: "TimeBasedLinear" },
    });
    expect(undecided("rollout", [unknownPlatform]).verdict).toBe("pass");
  });
});
