// The summary printed after the table, so that a thousand findings stay readable: counts per policy
// and per level, and the resources with the most findings.
import { POLICY_NAMES } from "codedeploy-guardrails/rules";
import type { Report, ReportViolation } from "./index";

export interface PolicyCount {
  readonly policy: string;
  readonly mandatory: number;
  readonly advisory: number;
}

export interface ResourceCount {
  readonly urn: string;
  readonly resourceName: string;
  readonly findings: number;
}

export interface FindingsSummary {
  readonly byPolicy: readonly PolicyCount[];
  /** The resources with the most findings, most first (ties by URN), at most `top`. */
  readonly topResources: readonly ResourceCount[];
}

export function summarizeFindings(violations: readonly ReportViolation[], top = 5): FindingsSummary {
  const byPolicy = new Map<string, { mandatory: number; advisory: number }>();
  const byResource = new Map<string, ResourceCount>();
  for (const violation of violations) {
    const counts = byPolicy.get(violation.policy) ?? { mandatory: 0, advisory: 0 };
    counts[violation.enforcementLevel]++;
    byPolicy.set(violation.policy, counts);
    const resource = byResource.get(violation.urn);
    byResource.set(violation.urn, { urn: violation.urn, resourceName: violation.resourceName, findings: (resource?.findings ?? 0) + 1 });
  }
  const order = (policy: string) => {
    const index = (POLICY_NAMES as readonly string[]).indexOf(policy);
    return index < 0 ? POLICY_NAMES.length : index;
  };
  return {
    byPolicy: [...byPolicy.entries()]
      .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
      .map(([policy, counts]) => ({ policy, ...counts })),
    topResources: [...byResource.values()].sort((a, b) => b.findings - a.findings || a.urn.localeCompare(b.urn)).slice(0, top),
  };
}

/** The summary's lines for the table (nothing when there is nothing to summarize). */
export function summaryLines(report: Report): string[] {
  if (report.violations.length === 0 && (report.remediations ?? []).length === 0 && (report.fixed ?? []).length === 0) return [];
  const lines = ["", "Summary"];
  const { byPolicy, topResources } = summarizeFindings(report.violations);
  if (byPolicy.length > 0) {
    // `audit` prints its own per-policy breakdown (summary.byPolicy) with the per-account ones.
    if (!report.summary.byPolicy) {
      const width = Math.max(...byPolicy.map((count) => count.policy.length));
      lines.push("  by policy:");
      for (const count of byPolicy)
        lines.push(`    ${count.policy.padEnd(width)}  ${count.mandatory} mandatory, ${count.advisory} advisory`);
    }
    const { mandatory, advisory, errors } = report.summary;
    lines.push(`  by level: ${mandatory} mandatory, ${advisory} advisory, ${errors} error(s)`);
    lines.push("  resources with the most findings:");
    for (const resource of topResources)
      lines.push(`    ${String(resource.findings).padStart(4)}  ${resource.resourceName}  ${resource.urn}`);
  }
  const baseline = report.summary.baseline;
  if (baseline) {
    lines.push(
      `  baseline: ${baseline.new} new (${baseline.newMandatory} mandatory), ${baseline.existing} existing (reported, not failing), ${baseline.fixed} fixed`,
    );
    for (const fixed of report.fixed ?? []) lines.push(`    fixed: ${fixed.policy}  ${fixed.resourceName}  ${fixed.urn}`);
  }
  const remediations = report.remediations ?? [];
  if (remediations.length > 0) {
    lines.push("  remediations the pack would apply:");
    for (const remediation of remediations) {
      lines.push(`    ${remediation.policy}  ${remediation.resourceName}: sets ${remediation.properties.join(", ")}`);
    }
  }
  return lines;
}
