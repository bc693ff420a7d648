// codedeploy-outdated-instances-update, message by message and platform by platform: the branches mutation
// testing showed no test noticing (malformed and unknown strategies, a group whose platform is undecided
// or conflicting, which groups the remediation touches). From README's policy table: an EC2/on-premises
// group that sets outdatedInstancesStrategy IGNORE is reported (advisory by default); UPDATE is the fix.
import { describe, expect, it } from "vitest";
import { toGroupModel } from "../../policy-pack/adapters";
import { policyRunner } from "../../policy-pack/rules";
import { check, classic, ecsGroupProps, lambdaGroupProps, NOW, SENTINEL, serverGroupProps } from "./fixtures";

const POLICY = "codedeploy-outdated-instances-update";
const IGNORE_MESSAGE =
  'Deployment group "api-dg": has outdatedInstancesStrategy IGNORE, so instances launched during a deployment keep the previous release; set it to UPDATE.';
const group = (overrides: Record<string, unknown>) => classic.group("api-dg", serverGroupProps(overrides));
// The application lives outside the stack and the config name is computed without a dependency.
const undecided = (overrides: Record<string, unknown>) => group({ appName: "elsewhere", deploymentConfigName: SENTINEL, ...overrides });
const patchFor = (overrides: Record<string, unknown>, props = serverGroupProps(overrides)) =>
  policyRunner(POLICY)
    .configure({}, NOW)
    .remediateGroup(toGroupModel(classic.group("api-dg", props))!);

describe("the strategy on an EC2/on-premises group", () => {
  it("IGNORE is a violation with the fix", () => {
    expect(check(POLICY, group({ outdatedInstancesStrategy: "IGNORE" }))).toMatchObject({
      verdict: "advisory",
      finding: { reason: "violation" },
      message: IGNORE_MESSAGE,
    });
  });

  it("a malformed strategy is reported as malformed, naming the field", () => {
    expect(check(POLICY, group({ outdatedInstancesStrategy: ["IGNORE"] }))).toMatchObject({
      verdict: "advisory",
      finding: { reason: "malformed" },
      message:
        'Deployment group "api-dg": outdatedInstancesStrategy is malformed (expected string, found array), so it cannot be checked; fix its value.',
    });
  });

  it("an unknown strategy is undecidable", () => {
    expect(check(POLICY, group({ outdatedInstancesStrategy: SENTINEL })).message).toBe(
      'Deployment group "api-dg": can\'t be checked during preview: outdatedInstancesStrategy is unknown until the update runs.',
    );
  });
});

describe("the platform", () => {
  it("an undecided platform makes IGNORE advisory, saying why the platform is not known", () => {
    expect(check(POLICY, undecided({ outdatedInstancesStrategy: "IGNORE" }))).toMatchObject({
      verdict: "advisory",
      finding: { reason: "undecidable" },
      message:
        'Deployment group "api-dg": can\'t be checked during preview: its compute platform is not known yet (deploymentConfigName is unknown during preview and does not come from a deployment config in this stack), and as an EC2/on-premises group it would not pass.',
    });
    expect(check(POLICY, undecided({ outdatedInstancesStrategy: "UPDATE" })).verdict).toBe("pass");
  });

  it("Lambda, ECS and conflicting groups are not checked", () => {
    const lambda = classic.group("fn-dg", lambdaGroupProps({ outdatedInstancesStrategy: "IGNORE" }));
    expect(check(POLICY, lambda).verdict).toBe("pass");
    expect(check(POLICY, classic.group("svc-dg", ecsGroupProps({ outdatedInstancesStrategy: "IGNORE" }))).verdict).toBe("pass");
    // An ECS service with a Lambda config: gradual-traffic-shifting reports the conflict.
    const conflict = classic.group(
      "svc-dg",
      ecsGroupProps({ deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce", outdatedInstancesStrategy: "IGNORE" }),
    );
    expect(check(POLICY, conflict).verdict).toBe("pass");
  });
});

describe("remediation", () => {
  it("sets UPDATE on a Server group and on a group that may still be one", () => {
    expect(patchFor({ outdatedInstancesStrategy: "IGNORE" })).toEqual({ outdatedInstancesStrategy: "UPDATE" });
    expect(patchFor({ appName: "elsewhere", deploymentConfigName: SENTINEL, outdatedInstancesStrategy: "IGNORE" })).toEqual({
      outdatedInstancesStrategy: "UPDATE",
    });
  });

  it("leaves alone a group its own fields place on Lambda or ECS, and one that does not ignore", () => {
    expect(patchFor({}, lambdaGroupProps({ outdatedInstancesStrategy: "IGNORE" }))).toBeUndefined();
    expect(patchFor({}, ecsGroupProps({ outdatedInstancesStrategy: "IGNORE" }))).toBeUndefined();
    expect(patchFor({ outdatedInstancesStrategy: "UPDATE" })).toBeUndefined();
    expect(patchFor({ outdatedInstancesStrategy: SENTINEL })).toBeUndefined();
  });
});
