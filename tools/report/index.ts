// Output shared by `check` and `audit`: one report shape, three renderings. The JSON form is a
// stable contract (documented in the README); fields are only ever added.
import type { EvaluatedFinding } from "../../policy-pack/evaluate";
import { POLICY_NAMES } from "../../policy-pack/core/findings";
import { POLICY_RUNNERS } from "../../policy-pack/rules";
import { toSarif } from "./sarif";

export type OutputFormat = "table" | "json" | "sarif";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["table", "json", "sarif"];

export interface ReportViolation {
  readonly policy: string;
  readonly enforcementLevel: "mandatory" | "advisory";
  readonly severity: string;
  readonly urn: string;
  readonly resourceType: string;
  readonly resourceName: string;
  readonly message: string;
}

/** Something that could not be checked: never a pass, always a non-zero exit. */
export interface ReportError {
  readonly urn?: string;
  readonly resourceName?: string;
  readonly message: string;
}

export interface Report {
  readonly violations: readonly ReportViolation[];
  readonly errors: readonly ReportError[];
  readonly summary: {
    readonly resources: number;
    readonly violations: number;
    readonly mandatory: number;
    readonly advisory: number;
    readonly errors: number;
  };
}

export interface RenderOptions {
  /** Tool name and version for SARIF. */
  readonly toolVersion?: string;
  /** Where the checked program or state lives, for SARIF locations. */
  readonly artifactUri?: string;
  /** Secret strings seen in the input: any that reach a message are masked (defence in depth). */
  readonly secretValues?: readonly string[];
}

const POLICY_ORDER = new Map<string, number>(POLICY_NAMES.map((name, index) => [name, index]));

function compareViolations(a: ReportViolation, b: ReportViolation): number {
  return (
    (POLICY_ORDER.get(a.policy) ?? POLICY_NAMES.length) - (POLICY_ORDER.get(b.policy) ?? POLICY_NAMES.length) ||
    a.policy.localeCompare(b.policy) ||
    a.urn.localeCompare(b.urn) ||
    a.message.localeCompare(b.message)
  );
}

export function buildReport(violations: readonly ReportViolation[], resources: number, errors: readonly ReportError[] = []): Report {
  const sorted = [...violations].sort(compareViolations);
  const mandatory = sorted.filter((violation) => violation.enforcementLevel === "mandatory").length;
  return {
    violations: sorted,
    errors: [...errors],
    summary: { resources, violations: sorted.length, mandatory, advisory: sorted.length - mandatory, errors: errors.length },
  };
}

export function severityOf(policy: string): string {
  return POLICY_RUNNERS.find((runner) => runner.metadata.name === policy)?.metadata.severity ?? "medium";
}

/** A report from the rule core's findings (the `audit` path). */
export function reportFromFindings(
  findings: readonly EvaluatedFinding[],
  resourceCount: number,
  errors: readonly ReportError[] = [],
): Report {
  return buildReport(
    findings.map((finding) => ({
      policy: finding.policy,
      enforcementLevel: finding.enforcementLevel,
      severity: severityOf(finding.policy),
      urn: finding.resource.urn,
      resourceType: finding.resource.type,
      resourceName: finding.resource.name,
      message: finding.message,
    })),
    resourceCount,
    errors,
  );
}

/** 1 when anything mandatory is violated or anything could not be checked; 0 otherwise. */
export function exitCodeFor(report: Report): 0 | 1 {
  return report.summary.mandatory > 0 || report.summary.errors > 0 ? 1 : 0;
}

function mask(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    // Very short secrets would mask ordinary words; they cannot be told apart from text anyway.
    if (secret.length >= 4) result = result.split(secret).join("[secret]");
  }
  return result;
}

export function maskReport(report: Report, secrets: readonly string[]): Report {
  if (secrets.length === 0) return report;
  return {
    ...report,
    violations: report.violations.map((violation) => ({ ...violation, message: mask(violation.message, secrets) })),
    errors: report.errors.map((error) => ({ ...error, message: mask(error.message, secrets) })),
  };
}

function renderTable(report: Report): string {
  const { summary } = report;
  const lines: string[] = [];
  const verdict = summary.mandatory > 0 || summary.errors > 0 ? "FAILED" : summary.advisory > 0 ? "passed with advisories" : "passed";
  lines.push(
    `codedeploy-guardrails: ${verdict}: ${summary.mandatory} mandatory, ${summary.advisory} advisory violation(s), ${summary.errors} error(s) in ${summary.resources} resource(s)`,
  );
  for (const violation of report.violations) {
    lines.push("");
    lines.push(`${violation.enforcementLevel.toUpperCase().padEnd(9)} ${violation.policy}  (${violation.severity})`);
    lines.push(`  resource: ${violation.resourceName}  [${violation.resourceType}]`);
    lines.push(`  urn:      ${violation.urn}`);
    lines.push(`  ${violation.message}`);
  }
  for (const error of report.errors) {
    lines.push("");
    lines.push(`ERROR     ${error.resourceName ?? error.urn ?? "(input)"}`);
    lines.push(`  ${error.message}`);
  }
  return `${lines.join("\n")}\n`;
}

export function renderReport(report: Report, format: OutputFormat, options: RenderOptions = {}): string {
  const masked = maskReport(report, options.secretValues ?? []);
  switch (format) {
    case "table":
      return renderTable(masked);
    case "json":
      return `${JSON.stringify(masked, null, 2)}\n`;
    case "sarif":
      return `${JSON.stringify(toSarif(masked, options), null, 2)}\n`;
  }
}
