import { describe, expect, it } from "vitest";
import { check, classic, ecsGroupProps, lambdaGroupProps, native, SECRET_LOOKING, SENTINEL, serverGroupProps } from "./fixtures";

const POLICY = "codedeploy-blue-green-rollback-window";
const terminate = (action: unknown, wait?: unknown) => ({
  deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
  terminateBlueInstancesOnDeploymentSuccess: { action, ...(wait === undefined ? {} : { terminationWaitTimeInMinutes: wait }) },
});

describe(POLICY, () => {
  it.each([
    ["TERMINATE after 120 minutes", terminate("TERMINATE", 120), "pass"],
    ["TERMINATE after exactly 60 minutes", terminate("TERMINATE", 60), "pass"],
    ["KEEP_ALIVE", terminate("KEEP_ALIVE"), "pass"],
    ["TERMINATE after 5 minutes", terminate("TERMINATE", 5), "advisory"],
    ["TERMINATE with no wait", terminate("TERMINATE"), "advisory"],
    ["no termination option", { deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" } }, "advisory"],
    ["no blue/green config", undefined, "advisory"],
  ])("ECS group, %s: %s", (_label, blueGreenDeploymentConfig, expected) => {
    expect(check(POLICY, classic.group("svc-dg", ecsGroupProps({ blueGreenDeploymentConfig }))).verdict).toBe(expected);
  });

  it("names the group, that the wait is too short (never the number, which may be secret) and the fix", () => {
    const result = check(POLICY, classic.group("svc-dg", ecsGroupProps({ blueGreenDeploymentConfig: terminate("TERMINATE", 5) })));
    expect(result.message).toContain('"svc-dg"');
    expect(result.message).toContain("sooner after success than the required 60 minutes");
    expect(result.message).not.toMatch(/\b5\b/);
    expect(result.message).toContain("terminationWaitTimeInMinutes: 60 or more");
    expect(result.message).toContain("KEEP_ALIVE");
  });

  it("says when termination is left unset", () => {
    expect(check(POLICY, classic.group("svc-dg", ecsGroupProps({ blueGreenDeploymentConfig: undefined }))).message).toContain("unset");
  });

  it("checks Server blue/green groups and skips in-place ones", () => {
    const blueGreen = classic.group(
      "api-dg",
      serverGroupProps({
        deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" },
        blueGreenDeploymentConfig: terminate("TERMINATE", 0),
      }),
    );
    expect(check(POLICY, blueGreen).verdict).toBe("advisory");
    expect(check(POLICY, classic.group("api-dg", serverGroupProps({ blueGreenDeploymentConfig: terminate("TERMINATE", 0) }))).verdict).toBe(
      "pass",
    );
  });

  it("skips Lambda groups", () => {
    const app = classic.app("fn-app", { name: "embeddings-fn", computePlatform: "Lambda" });
    expect(check(POLICY, classic.group("fn-dg", lambdaGroupProps()), [app]).verdict).toBe("pass");
  });

  it("follows minTerminationWaitMinutes and the configured level", () => {
    const group = classic.group("svc-dg", ecsGroupProps({ blueGreenDeploymentConfig: terminate("TERMINATE", 5) }));
    expect(check(POLICY, group, [], { [POLICY]: { minTerminationWaitMinutes: 5 } }).verdict).toBe("pass");
    expect(check(POLICY, group, [], { [POLICY]: "mandatory" }).verdict).toBe("mandatory");
  });

  it("never echoes an unexpected action", () => {
    const result = check(POLICY, classic.group("svc-dg", ecsGroupProps({ blueGreenDeploymentConfig: terminate(SECRET_LOOKING) })));
    expect(result.verdict).toBe("advisory");
    expect(result.message).not.toContain(SECRET_LOOKING);
  });

  it("is advisory (undecidable) when the action is unknown", () => {
    const result = check(POLICY, classic.group("svc-dg", ecsGroupProps({ blueGreenDeploymentConfig: terminate(SENTINEL) })));
    expect(result.finding?.reason).toBe("undecidable");
  });

  it("passes a Server group whose deployment type is unknown when its blue/green settings pass anyway", () => {
    const group = classic.group(
      "api-dg",
      serverGroupProps({
        deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: SENTINEL },
        blueGreenDeploymentConfig: terminate("KEEP_ALIVE"),
      }),
    );
    expect(check(POLICY, group).verdict).toBe("pass");
    const risky = classic.group("api-dg", serverGroupProps({ deploymentStyle: { deploymentType: SENTINEL } }));
    expect(check(POLICY, risky).finding?.reason).toBe("undecidable");
  });

  it("reads AWS Native blueGreenDeploymentConfiguration", () => {
    const props = (wait: number) => ({
      applicationName: "ranker",
      ecsServices: [{ clusterName: "c", serviceName: "s" }],
      deploymentConfigName: "CodeDeployDefault.ECSCanary10Percent5Minutes",
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: wait },
      },
    });
    expect(check(POLICY, native.group("svc-dg", props(90))).verdict).toBe("pass");
    expect(check(POLICY, native.group("svc-dg", props(10))).verdict).toBe("advisory");
  });
});
