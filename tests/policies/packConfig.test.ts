// The core policy-config pipeline (core/packConfig.ts) that `check` and `audit` read files through.
import { describe, expect, it } from "vitest";
import { normalisePackConfig, splitPolicyConfig } from "../../policy-pack/core/packConfig";
import { POLICIES, refusal } from "./standInPolicies";
import { normalisePolicyPackConfig } from "../../policy-pack/evaluate";
import { POLICY_NAMES } from "../../policy-pack/rules";

describe("normalisePackConfig", () => {
  it("spreads the all level over policies without one of their own, and keeps their settings", () => {
    expect(normalisePackConfig({ all: "advisory", loose: { x: 1 } }, POLICIES)).toEqual({
      ok: true,
      file: { strict: "advisory", loose: { x: 1, enforcementLevel: "advisory" } },
    });
    expect(normalisePackConfig({ all: { enforcementLevel: "disabled" }, loose: "mandatory" }, POLICIES)).toEqual({
      ok: true,
      file: { strict: "disabled", loose: "mandatory" },
    });
  });

  it("refuses a file that is not an object, an unknown policy, and a level that is none", () => {
    expect(refusal([])).toBe("The policy config must be a JSON object keyed by policy name.");
    expect(refusal({ other: "advisory" })).toBe(
      'Policy config field "other" is not a policy of this pack; the policies are strict, loose.',
    );
    expect(refusal({ all: "loud" })).toBe(
      'Policy config field "all" must be one of advisory, mandatory, remediate, disabled; found "loud".',
    );
    expect(refusal({ all: {} })).toMatch(/^Policy config field "all.enforcementLevel" must be one of .*; found undefined\.$/);
    expect(refusal({ loose: { enforcementLevel: 3 } })).toMatch(
      /^Policy config field "loose.enforcementLevel" must be one of .*; found 3\.$/,
    );
    expect(refusal({ loose: 7 })).toBe('Policy config field "loose" must be an enforcement level or an object of settings.');
  });

  it("refuses settings a policy's schema refuses, naming policy and field", () => {
    expect(refusal({ strict: { enforcementLevel: "mandatory", typo: 1 } })).toBe(
      'Policy config refused: strict: config field "typo" is not a setting.',
    );
  });

  it("splits an entry into its level and its settings", () => {
    expect(splitPolicyConfig("remediate")).toEqual({ enforcementLevel: "remediate", settings: {} });
    expect(splitPolicyConfig({ enforcementLevel: "advisory", a: 1 })).toEqual({ enforcementLevel: "advisory", settings: { a: 1 } });
    expect(splitPolicyConfig(null)).toEqual({ settings: {} });
  });

  it("is bound to the pack's own policies and schemas", () => {
    expect(normalisePolicyPackConfig({ all: "advisory" }, new Date("2026-01-01"))).toEqual({
      ok: true,
      file: Object.fromEntries(POLICY_NAMES.map((name) => [name, "advisory"])),
    });
    const refused = normalisePolicyPackConfig({ [POLICY_NAMES[0]!]: { unknownSetting: true } }, new Date("2026-01-01"));
    expect(refused.ok).toBe(false);
  });
});
