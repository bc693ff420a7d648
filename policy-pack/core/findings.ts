import type { ResourceRef } from "./model";

/**
 * Why a finding exists. `violation` and `malformed` are reported at the policy's enforcement
 * level; `undecidable` (the verdict depends on a value unknown during preview) and `unresolved`
 * (a deployment config the stack does not define) are always advisory, so that a preview is never
 * blocked on something that cannot be known yet.
 */
export type FindingReason = "violation" | "malformed" | "undecidable" | "unresolved" | "config";

export interface Finding {
  /** The policy's name; the rule registry (rules/index.ts) is the one list of them. */
  readonly policy: string;
  readonly resource: ResourceRef;
  readonly reason: FindingReason;
  readonly message: string;
}

/** The levels a `--policy-pack-config` file may give a policy. */
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** The levels a finding is reported at. */
export type ReportedLevel = "advisory" | "mandatory";

/**
 * The level a finding's reason fixes whatever its policy's level, or undefined when the finding
 * takes the policy's level. A refused config means nothing was checked: never only an advisory.
 */
export function levelFixedByReason(reason: FindingReason): ReportedLevel | undefined {
  switch (reason) {
    case "undecidable":
    case "unresolved":
      return "advisory";
    case "config":
      return "mandatory";
    case "violation":
    case "malformed":
      return undefined;
  }
}

/** The one finding-to-level mapping: what the pack reports through the analyzer protocol, and `audit` reports. */
export function findingLevel(finding: Finding, policyLevel: EnforcementLevel): ReportedLevel {
  return levelFixedByReason(finding.reason) ?? (policyLevel === "advisory" ? "advisory" : "mandatory");
}
