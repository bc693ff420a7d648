import type { ResourceRef } from "./model";

export const POLICY_NAMES = [
  "codedeploy-auto-rollback-enabled",
  "codedeploy-alarm-rollback-configured",
  "codedeploy-minimum-healthy-hosts",
  "codedeploy-gradual-traffic-shifting",
  "codedeploy-blue-green-rollback-window",
  "codedeploy-outdated-instances-update",
] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/**
 * Why a finding exists. `violation` and `malformed` are reported at the policy's enforcement
 * level; `undecidable` (the verdict depends on a value unknown during preview) and `unresolved`
 * (a deployment config the stack does not define) are always advisory, so that a preview is never
 * blocked on something that cannot be known yet.
 */
export type FindingReason = "violation" | "malformed" | "undecidable" | "unresolved" | "config";

export interface Finding {
  readonly policy: PolicyName;
  readonly resource: ResourceRef;
  readonly reason: FindingReason;
  readonly message: string;
}

export function isAdvisoryReason(reason: FindingReason): boolean {
  return reason === "undecidable" || reason === "unresolved";
}
