// The one finding-to-level mapping, shared by the pack wiring (through levelFixedByReason) and
// evaluateStack (audit and the direct test path).
import { describe, expect, it } from "vitest";
import { findingLevel, levelFixedByReason, type EnforcementLevel, type Finding, type FindingReason } from "../../policy-pack/core/findings";

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function finding(reason: FindingReason): Finding {
  return { policy: "codedeploy-auto-rollback-enabled", resource: { urn: "urn:x", name: "x", type: "t" }, reason, message: "m" };
}

describe("findingLevel", () => {
  it("reports undecidable and unresolved findings as advisory at every policy level", () => {
    for (const reason of ["undecidable", "unresolved"] as const) {
      expect(levelFixedByReason(reason)).toBe("advisory");
      for (const level of LEVELS) expect(findingLevel(finding(reason), level), `${reason} at ${level}`).toBe("advisory");
    }
  });

  it("reports a refused config as mandatory even under an advisory policy", () => {
    expect(levelFixedByReason("config")).toBe("mandatory");
    for (const level of LEVELS) expect(findingLevel(finding("config"), level), level).toBe("mandatory");
  });

  it("reports violations and malformed fields at the policy's level, remediate counting as mandatory", () => {
    for (const reason of ["violation", "malformed"] as const) {
      expect(levelFixedByReason(reason)).toBeUndefined();
      expect(findingLevel(finding(reason), "advisory")).toBe("advisory");
      expect(findingLevel(finding(reason), "mandatory")).toBe("mandatory");
      expect(findingLevel(finding(reason), "remediate")).toBe("mandatory");
    }
  });
});
