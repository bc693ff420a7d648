// How one finding reads when a resource has several problems: each policy collects them with
// `Problems` (rules/rule.ts), and the message lists every one, in order, joined by "; ".
import { describe, expect, it } from "vitest";
import { Problems } from "../../policy-pack/rules/rule";

const RESOURCE = {
  urn: "urn:pulumi:prod::ml::aws:codedeploy/deploymentGroup:DeploymentGroup::svc",
  name: "svc-dg",
  type: "aws:codedeploy/deploymentGroup:DeploymentGroup",
};

function problems(): Problems {
  return new Problems("codedeploy-test-policy", RESOURCE, "Deployment group");
}

describe("Problems.finding", () => {
  it("no problem, no finding", () => {
    expect(problems().finding()).toBeUndefined();
  });

  it("two violations and two notes: every one, in order, each after '; '", () => {
    const found = problems();
    found.note("first note");
    found.violation("first violation");
    found.violation("second violation");
    found.note("second note");
    expect(found.finding()).toEqual({
      policy: "codedeploy-test-policy",
      resource: RESOURCE,
      reason: "violation",
      message: 'Deployment group "svc-dg": first violation; second violation; first note; second note.',
    });
  });

  it("two unknown fields in preview: one advisory naming both, then the notes", () => {
    const found = problems();
    found.undecidable("alarmConfiguration.enabled");
    found.undecidable("alarmConfiguration.alarms");
    found.note("a note");
    found.note("another note");
    expect(found.finding()).toEqual({
      policy: "codedeploy-test-policy",
      resource: RESOURCE,
      reason: "undecidable",
      message:
        'Deployment group "svc-dg": can\'t be checked during preview: alarmConfiguration.enabled is unknown until the update runs; alarmConfiguration.alarms is unknown until the update runs; a note; another note.',
    });
  });

  it("an unresolved reference outweighs unknown fields, and a violation outweighs both", () => {
    const found = problems();
    found.undecidable("deploymentConfigName");
    found.unresolved('names deployment config "x", which this stack does not define');
    expect(found.finding()?.reason).toBe("unresolved");
    expect(found.finding()?.message).toBe('Deployment group "svc-dg": names deployment config "x", which this stack does not define.');
    found.violation("keeps no host healthy");
    expect(found.finding()?.reason).toBe("violation");
  });
});
