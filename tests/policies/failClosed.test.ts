// Cases where a careless pack would pass something it did not really check, or flag something it
// should not: each one pins the fail-closed or scoped behaviour the spec asks for.
import { describe, expect, it } from "vitest";
import { toGroupModel } from "../../policy-pack/adapters";
import { policyRunner } from "../../policy-pack/rules";
import { check, classic, ecsGroupProps, evaluate, lambdaGroupProps, native, NOW, SENTINEL, serverGroupProps } from "./fixtures";

const HOSTS = "codedeploy-minimum-healthy-hosts";
const GRADUAL = "codedeploy-gradual-traffic-shifting";

describe("an application whose platform cannot be read", () => {
  const groupOf = (computePlatform: unknown) => [
    classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: undefined })),
    classic.app("fn-app", { name: "embeddings-fn", computePlatform }),
  ];

  it("is a mandatory violation naming the field when malformed or misspelled", () => {
    for (const platform of [5, "lambda"]) {
      const mandatory = evaluate(groupOf(platform)).filter((finding) => finding.enforcementLevel === "mandatory");
      expect(mandatory.map((finding) => finding.policy)).toContain(HOSTS);
      expect(mandatory.find((finding) => finding.policy === HOSTS)!.message).toContain(
        'computePlatform of application "fn-app" is malformed',
      );
    }
  });

  it("is at least advisory, never a silent pass, when unknown during preview", () => {
    // No config named: on Server that is OneAtATime (a pass), on Lambda all at once: the verdict depends on the platform.
    const findings = evaluate(groupOf(SENTINEL));
    expect(findings.find((finding) => finding.policy === HOSTS)).toBeUndefined();
    expect(findings.find((finding) => finding.policy === "codedeploy-gradual-traffic-shifting")).toMatchObject({
      enforcementLevel: "advisory",
      message:
        'Deployment group "fn-dg": can\'t be checked during preview: its compute platform is not known yet (computePlatform of application "fn-app" is unknown until the update runs), and as a Lambda group it would not pass.',
    });
  });
});

describe("exemption patterns", () => {
  const exempt = (resource: string) => ({
    "codedeploy-auto-rollback-enabled": { exemptions: [{ resource, reason: "runbook", expires: "2026-12-31" }] },
  });
  const broken = classic.group("g", serverGroupProps({ autoRollbackConfiguration: { enabled: false } }));
  const verdictWith = (pattern: string) => check("codedeploy-auto-rollback-enabled", broken, [], exempt(pattern)).verdict;

  it("match a glob against the logical name, not against the project or stack in the URN", () => {
    expect(broken.urn).toContain("ml-platform");
    expect(verdictWith("*ml-platform*")).toBe("mandatory");
    expect(verdictWith("g")).toBe("pass");
    expect(verdictWith("?")).toBe("pass");
  });

  it("match a URN exactly, or as a glob when the pattern is itself a URN", () => {
    expect(verdictWith(broken.urn)).toBe("pass");
    expect(verdictWith("urn:pulumi:prod::ml-platform::*::g")).toBe("pass");
    expect(verdictWith("urn:pulumi:dev::*")).toBe("mandatory");
  });
});

describe("a refused policy config", () => {
  it("is mandatory even for an advisory policy: nothing it should check was checked", () => {
    const group = classic.group("bg", ecsGroupProps());
    const refused = check("codedeploy-blue-green-rollback-window", group, [], {
      "codedeploy-blue-green-rollback-window": { minTerminationWaitMinutes: "an hour" },
    });
    expect(refused.verdict).toBe("mandatory");
    expect(refused.message).toContain("minTerminationWaitMinutes");
  });
});

describe("the DEPLOYMENT_STOP_ON_ALARM note", () => {
  it("is given when no alarm is listed even if monitoring's enabled flag is unknown", () => {
    const group = classic.group("dg", serverGroupProps({ alarmConfiguration: { enabled: SENTINEL, alarms: [] } }));
    const result = check("codedeploy-alarm-rollback-configured", group);
    expect(result.verdict).toBe("mandatory");
    expect(result.message).toContain("DEPLOYMENT_STOP_ON_ALARM in its rollback events does nothing");
  });
});

describe("ECS services", () => {
  it("an empty classic ecsService block names no service, like an empty AWS Native list", () => {
    const classicGroup = toGroupModel(classic.group("c", serverGroupProps({ ecsService: {} })))!;
    const nativeGroup = toGroupModel(native.group("n", { applicationName: "a", ecsServices: [] }))!;
    expect(classicGroup.hasEcsService).toBe(false);
    expect(nativeGroup.hasEcsService).toBe(false);
    expect(toGroupModel(classic.group("e", ecsGroupProps()))!.hasEcsService).toBe(true);
  });
});

describe("outdated-instances remediation", () => {
  const remediate = (props: Record<string, unknown>) =>
    policyRunner("codedeploy-outdated-instances-update")
      .configure({}, NOW)
      .remediateGroup(toGroupModel(classic.group("g", props))!);

  it("fixes a Server group and leaves a group its own fields place on ECS or Lambda alone", () => {
    expect(remediate(serverGroupProps({ outdatedInstancesStrategy: "IGNORE" }))).toEqual({ outdatedInstancesStrategy: "UPDATE" });
    expect(remediate(ecsGroupProps({ outdatedInstancesStrategy: "IGNORE" }))).toBeUndefined();
    expect(remediate(lambdaGroupProps({ outdatedInstancesStrategy: "IGNORE" }))).toBeUndefined();
  });
});

describe("gradual traffic shifting with a platform decided by the application", () => {
  it("still reports an all-at-once Lambda group whose application states Lambda", () => {
    const findings = evaluate([
      classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: undefined })),
      classic.app("fn-app", { name: "embeddings-fn", computePlatform: "Lambda" }),
    ]);
    expect(findings.find((finding) => finding.policy === GRADUAL)).toMatchObject({ enforcementLevel: "mandatory" });
  });
});
