// codedeploy-blue-green-rollback-window, message by message: the branches mutation testing showed no test
// noticing (a TERMINATE with no wait, an unset termination, unknown and malformed blocks and fields, an
// action CodeDeploy does not define, a Server group's deployment type, a group whose platform is
// undecided). Expected from README's policy table: a blue/green group must keep the original fleet at
// least `minTerminationWaitMinutes` (default 60) after success, or KEEP_ALIVE; in-place and Lambda
// groups have no original fleet to keep. The advisory level is the policy's default.
import { describe, expect, it } from "vitest";
import { check, classic, ecsGroupProps, serverGroupProps, SENTINEL } from "./fixtures";

const POLICY = "codedeploy-blue-green-rollback-window";
const fix = (minutes: number) =>
  `set terminateBlueInstancesOnDeploymentSuccess { action: "TERMINATE", terminationWaitTimeInMinutes: ${minutes} or more } or action "KEEP_ALIVE"`;
const terminate = (action: unknown, wait?: unknown) => ({
  deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
  terminateBlueInstancesOnDeploymentSuccess: { action, ...(wait === undefined ? {} : { terminationWaitTimeInMinutes: wait }) },
});
const ecs = (blueGreenDeploymentConfig: unknown, settings: Record<string, unknown> = {}) =>
  check(POLICY, classic.group("svc-dg", ecsGroupProps({ blueGreenDeploymentConfig })), [], { [POLICY]: settings });
const blueGreenServer = (overrides: Record<string, unknown>) =>
  classic.group(
    "api-dg",
    serverGroupProps({ deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" }, ...overrides }),
  );

describe("the termination of the original fleet", () => {
  it("TERMINATE with no wait terminates at once, and says so", () => {
    expect(ecs(terminate("TERMINATE"))).toMatchObject({
      verdict: "advisory",
      message: `Deployment group "svc-dg": terminates the original fleet right after success (no terminationWaitTimeInMinutes), not the required 60 minutes later, leaving no quick rollback; ${fix(60)}.`,
    });
  });

  it("TERMINATE too soon says sooner, asks for the configured minutes, and never quotes the number", () => {
    expect(ecs(terminate("TERMINATE", 89), { minTerminationWaitMinutes: 90 }).message).toBe(
      `Deployment group "svc-dg": terminates the original fleet sooner after success than the required 90 minutes, leaving no quick rollback; ${fix(90)}.`,
    );
    expect(ecs(terminate("TERMINATE", 90), { minTerminationWaitMinutes: 90 }).verdict).toBe("pass");
    // With no minimum, terminating at once is allowed.
    expect(ecs(terminate("TERMINATE"), { minTerminationWaitMinutes: 0 }).verdict).toBe("pass");
  });

  it("an unset termination option is a violation with the fix", () => {
    expect(ecs({ deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" } })).toMatchObject({
      verdict: "advisory",
      finding: { reason: "violation" },
      message: `Deployment group "svc-dg": is blue/green but leaves the termination of the original fleet unset; ${fix(60)}.`,
    });
    expect(ecs(undefined).message).toBe(
      `Deployment group "svc-dg": is blue/green but leaves the termination of the original fleet unset; ${fix(60)}.`,
    );
  });

  it("an action CodeDeploy does not define is a violation that does not echo it", () => {
    expect(ecs(terminate("STOP")).message).toBe(
      `Deployment group "svc-dg": has termination action a value CodeDeploy does not define; ${fix(60)}.`,
    );
  });

  it("unknown parts are undecidable, naming the part", () => {
    expect(ecs(SENTINEL)).toMatchObject({
      finding: { reason: "undecidable" },
      message: 'Deployment group "svc-dg": can\'t be checked during preview: blueGreenDeploymentConfig is unknown until the update runs.',
    });
    expect(ecs(terminate(SENTINEL)).message).toBe(
      'Deployment group "svc-dg": can\'t be checked during preview: terminateBlueInstancesOnDeploymentSuccess.action is unknown until the update runs.',
    );
    expect(ecs(terminate("TERMINATE", SENTINEL)).message).toBe(
      'Deployment group "svc-dg": can\'t be checked during preview: terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes is unknown until the update runs.',
    );
  });

  it("malformed parts are reported as malformed, naming the field", () => {
    expect(ecs("KEEP_ALIVE")).toMatchObject({
      finding: { reason: "malformed" },
      message:
        'Deployment group "svc-dg": blueGreenDeploymentConfig is malformed (expected object, found string), so it cannot be checked; fix its value.',
    });
    expect(ecs(terminate(42)).message).toBe(
      'Deployment group "svc-dg": blueGreenDeploymentConfig.terminateBlueInstancesOnDeploymentSuccess.action is malformed (expected string, found number), so it cannot be checked; fix its value.',
    );
    expect(ecs(terminate("TERMINATE", "two hours")).message).toBe(
      'Deployment group "svc-dg": blueGreenDeploymentConfig.terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes is malformed (expected integer, found string), so it cannot be checked; fix its value.',
    );
  });
});

describe("a Server group's deployment type", () => {
  it("a malformed type is reported, whatever the window", () => {
    const group = blueGreenServer({ deploymentStyle: { deploymentType: 7 }, blueGreenDeploymentConfig: terminate("KEEP_ALIVE") });
    expect(check(POLICY, group)).toMatchObject({
      finding: { reason: "malformed" },
      message:
        'Deployment group "api-dg": deploymentStyle.deploymentType is malformed (expected string, found number), so it cannot be checked; fix its value.',
    });
  });

  it("an unknown type is undecidable only when the window would fail as blue/green", () => {
    const unknownType = { deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: SENTINEL } };
    expect(check(POLICY, blueGreenServer({ ...unknownType, blueGreenDeploymentConfig: terminate("TERMINATE", 5) })).message).toBe(
      'Deployment group "api-dg": can\'t be checked during preview: deploymentStyle.deploymentType is unknown until the update runs.',
    );
    expect(check(POLICY, blueGreenServer({ ...unknownType, blueGreenDeploymentConfig: terminate("TERMINATE", 60) })).verdict).toBe("pass");
  });

  it("in place passes whatever the window; blue/green is checked", () => {
    const inPlace = { deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "IN_PLACE" } };
    expect(check(POLICY, blueGreenServer({ ...inPlace, blueGreenDeploymentConfig: terminate("STOP") })).verdict).toBe("pass");
    expect(check(POLICY, blueGreenServer({ blueGreenDeploymentConfig: terminate("STOP") })).message).toBe(
      `Deployment group "api-dg": has termination action a value CodeDeploy does not define; ${fix(60)}.`,
    );
  });
});

describe("a group whose platform is undecided", () => {
  // The application lives outside the stack and the config name is computed without a dependency.
  const undecided = (overrides: Record<string, unknown>) =>
    blueGreenServer({ appName: "elsewhere", deploymentConfigName: SENTINEL, ...overrides });

  it("is advisory when it would fail as an EC2/on-premises group (Lambda keeps no fleet)", () => {
    expect(check(POLICY, undecided({ blueGreenDeploymentConfig: undefined }))).toMatchObject({
      finding: { reason: "undecidable" },
      message:
        'Deployment group "api-dg": can\'t be checked during preview: its compute platform is not known yet (deploymentConfigName is unknown during preview and does not come from a deployment config in this stack), and as an EC2/on-premises group it would not pass.',
    });
  });

  it("passes when it would pass on Server too", () => {
    expect(check(POLICY, undecided({ blueGreenDeploymentConfig: terminate("KEEP_ALIVE") })).verdict).toBe("pass");
  });
});
