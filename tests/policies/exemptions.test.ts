// Exemption matching and expiry (README "Exemptions"), called directly: which patterns are globs and over
// what, which characters are wildcards, and the exact instant an exemption stops holding.
import { describe, expect, it } from "vitest";
import type { Exemption } from "../../policy-pack/core/config";
import { exemptionMatches, exemptionStatus } from "../../policy-pack/core/exemptions";

const GROUP_URN = "urn:pulumi:prod::ml-platform::aws:codedeploy/deploymentGroup:DeploymentGroup::svc.v2-dg";
const group = { urn: GROUP_URN, name: "svc.v2-dg", type: "aws:codedeploy/deploymentGroup:DeploymentGroup" };
const exempt = (resource: string, expires = "2026-06-14"): Exemption => ({ resource, reason: "migrating in Q3", expires });

describe("exemptionMatches", () => {
  it("takes `*` and `?` as wildcards and every other character literally", () => {
    expect(exemptionMatches(exempt("svc.v2-*"), group)).toBe(true);
    expect(exemptionMatches(exempt("svc.v?-dg"), group)).toBe(true);
    expect(exemptionMatches(exempt("svc.v2-d"), group)).toBe(false);
    expect(exemptionMatches(exempt("vc.v2-dg"), group)).toBe(false);
    // `.` is a dot, not "any character"; regular-expression syntax means nothing special.
    expect(exemptionMatches(exempt("svc.v2-dg"), { ...group, name: "svcXv2-dg" })).toBe(false);
    expect(exemptionMatches(exempt("svc.v[0-9]-dg"), group)).toBe(false);
    expect(exemptionMatches(exempt("svc.v[0-9]-dg"), { ...group, name: "svc.v[0-9]-dg" })).toBe(true);
    expect(exemptionMatches(exempt("(svc|api).v2-dg"), group)).toBe(false);
    expect(exemptionMatches(exempt("svc.v2-dg$"), group)).toBe(false);
  });

  it("lets `?` stand for one character, whatever its encoding", () => {
    expect(exemptionMatches(exempt("model-?"), { ...group, name: "model-🚀" })).toBe(true);
    expect(exemptionMatches(exempt("model-??"), { ...group, name: "model-🚀" })).toBe(false);
  });

  it("matches a logical-name pattern against the name only, never the URN", () => {
    expect(exemptionMatches(exempt("*ml-platform*"), group)).toBe(false);
    expect(exemptionMatches(exempt("*v2*"), group)).toBe(true);
  });

  it("matches a URN exactly, or as a glob over the URN when the pattern starts with urn:", () => {
    expect(exemptionMatches(exempt(GROUP_URN), group)).toBe(true);
    expect(exemptionMatches(exempt("urn:pulumi:prod::ml-platform::*::svc.*"), group)).toBe(true);
    expect(exemptionMatches(exempt("urn:pulumi:dev::*"), group)).toBe(false);
  });

  it("in audit, matches a pattern starting with arn: as a glob over the ARN", () => {
    const live = {
      urn: "arn:aws:codedeploy:eu-west-1:111122223333:deploymentgroup:scorer/prod",
      name: "scorer/prod",
      type: "AWS::CodeDeploy::DeploymentGroup",
    };
    expect(exemptionMatches(exempt("arn:aws:codedeploy:*:deploymentgroup:scorer/*"), live)).toBe(true);
    expect(exemptionMatches(exempt("arn:aws:codedeploy:us-east-1:*"), live)).toBe(false);
    expect(exemptionMatches(exempt("scorer/*"), live)).toBe(true);
    // A name pattern never reaches into the ARN.
    expect(exemptionMatches(exempt("*111122223333*"), live)).toBe(false);
  });
});

describe("exemptionStatus", () => {
  it("holds through the last instant of the expiry day (UTC) and not one millisecond longer", () => {
    const exemption = exempt("svc.*", "2026-06-14");
    expect(exemptionStatus([exemption], group, new Date("2026-06-14T23:59:59.999Z"))).toEqual({ state: "active", exemption });
    expect(exemptionStatus([exemption], group, new Date("2026-06-15T00:00:00.000Z"))).toEqual({ state: "expired", exemption });
  });

  it("is none when no entry matches, even an expired one for another resource", () => {
    expect(exemptionStatus([exempt("other-*", "2020-01-01")], group, new Date("2026-06-15T12:00:00Z"))).toEqual({ state: "none" });
    expect(exemptionStatus([], group, new Date("2026-06-15T12:00:00Z"))).toEqual({ state: "none" });
  });

  it("prefers an active entry over an expired one in any order, and reports the first expired entry", () => {
    const old = exempt("svc.*", "2026-01-31");
    const older = exempt("*-dg", "2025-12-31");
    const renewed = exempt("svc.v2-dg", "2026-12-31");
    const now = new Date("2026-06-15T12:00:00Z");
    expect(exemptionStatus([old, renewed], group, now)).toEqual({ state: "active", exemption: renewed });
    expect(exemptionStatus([renewed, old], group, now)).toEqual({ state: "active", exemption: renewed });
    expect(exemptionStatus([old, older], group, now)).toEqual({ state: "expired", exemption: old });
    expect(exemptionStatus([older, old], group, now)).toEqual({ state: "expired", exemption: older });
  });
});
