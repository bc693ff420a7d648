import type { Exemption } from "./config";
import type { ResourceRef } from "./model";

export type ExemptionStatus =
  | { readonly state: "none" }
  | { readonly state: "active"; readonly exemption: Exemption }
  | { readonly state: "expired"; readonly exemption: Exemption };

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, "su");
}

/**
 * A pattern that is itself a URN (or, for `audit`, an ARN) is matched against the resource's URN;
 * any other pattern against its logical name only, so `*scorer*` cannot exempt every resource of a
 * project or stack whose name happens to contain the text.
 */
export function exemptionMatches(exemption: Exemption, resource: ResourceRef): boolean {
  if (exemption.resource === resource.urn) return true;
  const pattern = globToRegExp(exemption.resource);
  const isIdentifierPattern = exemption.resource.startsWith("urn:") || exemption.resource.startsWith("arn:");
  return isIdentifierPattern ? pattern.test(resource.urn) : pattern.test(resource.name);
}

/** The day after `expires`, at 00:00 UTC: the first instant the exemption no longer holds. */
function endOfExemption(exemption: Exemption): number {
  return Date.parse(`${exemption.expires}T00:00:00Z`) + 24 * 60 * 60 * 1000;
}

/**
 * An active exemption wins over an expired one for the same resource, so renewing an exemption
 * by adding a new entry works without deleting the old one.
 */
export function exemptionStatus(exemptions: readonly Exemption[], resource: ResourceRef, now: Date): ExemptionStatus {
  let expired: Exemption | undefined;
  for (const exemption of exemptions) {
    if (!exemptionMatches(exemption, resource)) continue;
    if (now.getTime() < endOfExemption(exemption)) return { state: "active", exemption };
    expired ??= exemption;
  }
  return expired ? { state: "expired", exemption: expired } : { state: "none" };
}
