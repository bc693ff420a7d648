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
 * A table rather than a switch, so a new reason cannot compile without a decision here.
 */
const LEVEL_FIXED_BY_REASON: Readonly<Record<FindingReason, ReportedLevel | undefined>> = {
  violation: undefined,
  malformed: undefined,
  undecidable: "advisory",
  unresolved: "advisory",
  config: "mandatory",
};

export function levelFixedByReason(reason: FindingReason): ReportedLevel | undefined {
  return LEVEL_FIXED_BY_REASON[reason];
}

/** The one finding-to-level mapping: what the pack reports through the analyzer protocol, and `audit` reports. */
export function findingLevel(finding: Finding, policyLevel: EnforcementLevel): ReportedLevel {
  return levelFixedByReason(finding.reason) ?? (policyLevel === "advisory" ? "advisory" : "mandatory");
}
