// The rule registry (policy-pack/rules/index.ts): the policies in report order, each bound to its own
// config; a refused config reported on every resource the policy would check, never a silent pass;
// exemptions and unreadable resources on deployment configs as on groups; remediation only by the rules
// that remediate, and never on an exempted group. From README (the policy table, "Config", "Exemptions")
// and docs/resolution.md (unreadable resources).
import { describe, expect, it } from "vitest";
import { toModel, unreadableModel } from "../../policy-pack/adapters";
import type { DeploymentConfigModel, DeploymentGroupModel } from "../../policy-pack/core/model";
import { EMPTY_STACK, resolveGroup } from "../../policy-pack/core/resolve";
import { isPolicyName, POLICY, POLICY_NAMES, POLICY_RUNNERS, policyRunner } from "../../policy-pack/rules";
import { classic, NOW, serverGroupProps } from "./fixtures";

const badGroup = classic.group(
  "legacy-dg",
  serverGroupProps({ autoRollbackConfiguration: { enabled: false }, outdatedInstancesStrategy: "IGNORE" }),
);
const badConfig = classic.config("all-at-once", {
  deploymentConfigName: "all-at-once",
  computePlatform: "Server",
  minimumHealthyHosts: { type: "HOST_COUNT", value: 0 },
});
const groupModel = toModel(badGroup) as DeploymentGroupModel;
const configModel = toModel(badConfig) as DeploymentConfigModel;
const context = { resolution: resolveGroup(groupModel, EMPTY_STACK), stack: EMPTY_STACK };
const exempting = (expires: string) => ({ exemptions: [{ resource: "*", reason: "migrating in Q3", expires }] });

describe("the rule registry", () => {
  it("lists the six policies in report order, with a short handle on each", () => {
    expect(POLICY_NAMES).toEqual([
      "codedeploy-auto-rollback-enabled",
      "codedeploy-alarm-rollback-configured",
      "codedeploy-minimum-healthy-hosts",
      "codedeploy-gradual-traffic-shifting",
      "codedeploy-blue-green-rollback-window",
      "codedeploy-outdated-instances-update",
    ]);
    expect(POLICY_RUNNERS.map((runner) => runner.metadata.name)).toEqual(POLICY_NAMES);
    expect(Object.values(POLICY).sort()).toEqual([...POLICY_NAMES].sort());
    expect(POLICY.minimumHealthyHosts).toBe("codedeploy-minimum-healthy-hosts");
  });

  it("says which policies can remediate a group, and which need the stack", () => {
    const byName = Object.fromEntries(POLICY_RUNNERS.map((runner) => [runner.metadata.name, [runner.remediable, runner.scope]]));
    expect(byName).toEqual({
      "codedeploy-auto-rollback-enabled": [true, "resource"],
      "codedeploy-alarm-rollback-configured": [true, "resource"],
      "codedeploy-minimum-healthy-hosts": [false, "stack"],
      "codedeploy-gradual-traffic-shifting": [false, "stack"],
      "codedeploy-blue-green-rollback-window": [false, "stack"],
      "codedeploy-outdated-instances-update": [true, "resource"],
    });
  });

  it("knows its names and refuses any other", () => {
    expect(isPolicyName("codedeploy-outdated-instances-update")).toBe(true);
    expect(isPolicyName("codedeploy-outdated")).toBe(false);
    expect(() => policyRunner("codedeploy-nothing" as never)).toThrow("no policy named codedeploy-nothing");
  });
});

describe("a refused policy config", () => {
  const refused = policyRunner("codedeploy-minimum-healthy-hosts").configure({ minHealthyHostCount: -1 }, NOW);
  const message =
    'Policy config refused, so nothing was checked: codedeploy-minimum-healthy-hosts: config field "minHealthyHostCount" must be at least 0, found -1. Fix the config passed with --policy-pack-config.';

  it("is reported on every group and deployment config the policy checks", () => {
    expect(refused.configErrors?.length).toBe(1);
    expect(refused.checkGroup(groupModel, context)).toEqual({
      policy: "codedeploy-minimum-healthy-hosts",
      resource: groupModel.resource,
      reason: "config",
      message,
    });
    expect(refused.checkDeploymentConfig(configModel)).toEqual({
      policy: "codedeploy-minimum-healthy-hosts",
      resource: configModel.resource,
      reason: "config",
      message,
    });
  });

  it("is not reported on deployment configs by a policy that does not check them", () => {
    const auto = policyRunner("codedeploy-auto-rollback-enabled").configure({ requiredEvents: ["DEPLOYMENT_EXPLODED"] }, NOW);
    expect(auto.configErrors).toBeDefined();
    expect(auto.checkGroup(groupModel, context)?.reason).toBe("config");
    expect(auto.checkDeploymentConfig(configModel)).toBeUndefined();
    expect(auto.remediateGroup(groupModel)).toBeUndefined();
    const outdated = policyRunner("codedeploy-outdated-instances-update").configure({ exemptions: "none" }, NOW);
    expect(outdated.remediateGroup(groupModel)).toBeUndefined();
  });

  it("an accepted config has no errors", () => {
    expect(policyRunner("codedeploy-minimum-healthy-hosts").configure({ minHealthyHostCount: 2 }, NOW).configErrors).toBeUndefined();
  });
});

describe("deployment configs through the registry", () => {
  const hosts = (settings: unknown) => policyRunner("codedeploy-minimum-healthy-hosts").configure(settings, NOW);

  it("are checked, and exempted like groups: an active exemption passes, an expired one says so", () => {
    expect(hosts({}).checkDeploymentConfig(configModel)?.reason).toBe("violation");
    expect(hosts(exempting("2026-12-31")).checkDeploymentConfig(configModel)).toBeUndefined();
    expect(hosts(exempting("2026-06-14")).checkDeploymentConfig(configModel)?.message).toBe(
      'Deployment config "all-at-once": this config keeps fewer healthy hosts (HOST_COUNT) than the required 1; raise minimumHealthyHosts.value to at least 1. The exemption for it ("migrating in Q3") expired on 2026-06-14; fix the resource or renew the exemption.',
    );
  });

  it("an unreadable config is advisory, saying why, whatever its fields would be", () => {
    const unreadable = unreadableModel(badConfig, "the engine sent no properties for it") as DeploymentConfigModel;
    expect(hosts({}).checkDeploymentConfig(unreadable)).toEqual({
      policy: "codedeploy-minimum-healthy-hosts",
      resource: configModel.resource,
      reason: "undecidable",
      message: 'Deployment config "all-at-once": cannot be checked in this preview: the engine sent no properties for it.',
    });
  });

  it("a policy without a deployment-config check reports nothing on them", () => {
    expect(policyRunner("codedeploy-auto-rollback-enabled").configure({}, NOW).checkDeploymentConfig(configModel)).toBeUndefined();
  });
});

describe("remediation through the registry", () => {
  const outdated = (settings: unknown) => policyRunner("codedeploy-outdated-instances-update").configure(settings, NOW);

  it("fixes a group unless an active exemption covers it", () => {
    expect(outdated({}).remediateGroup(groupModel)).toEqual({ outdatedInstancesStrategy: "UPDATE" });
    expect(outdated(exempting("2026-06-14")).remediateGroup(groupModel)).toEqual({ outdatedInstancesStrategy: "UPDATE" });
    expect(outdated(exempting("2026-12-31")).remediateGroup(groupModel)).toBeUndefined();
  });

  it("a rule that does not remediate returns no patch", () => {
    expect(policyRunner("codedeploy-minimum-healthy-hosts").configure({}, NOW).remediateGroup(groupModel)).toBeUndefined();
  });
});
