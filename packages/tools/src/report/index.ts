// Output shared by `check` and `audit`: one report shape, three renderings. The JSON form is a
// stable contract (documented in the README); fields are only ever added.
import type { EvaluatedFinding } from "codedeploy-guardrails/evaluate";
import { POLICY_NAMES } from "codedeploy-guardrails/rules";
import { POLICY_RUNNERS } from "codedeploy-guardrails/rules";
import type { BaselineSummary } from "./baseline";
import { toSarif } from "./sarif";
import { summaryLines } from "./summary";

export { applyBaseline, parseBaseline, readBaselineFile, type Baseline, type BaselineSummary } from "./baseline";
export { resolveOutputPath, writeReportOutput } from "./output";
export { summarizeFindings, type FindingsSummary } from "./summary";

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
  /** `audit`: the AWS account and region the resource was read from. */
  readonly account?: string;
  readonly region?: string;
  /** `check` on a program: where the resource is declared (file relative to the program directory). */
  readonly location?: ReportLocation;
  /** With `--baseline`: whether the baseline already had it (`fixed`: only in the report's `fixed` list). */
  readonly baseline?: "new" | "existing" | "fixed";
}

export interface ReportLocation {
  /** Relative to the program directory, with `/` separators. */
  readonly file: string;
  readonly line: number;
}

/** A change the pack would make to a resource (a policy set to `remediate`). */
export interface ReportRemediation {
  readonly policy: string;
  readonly urn: string;
  readonly resourceName: string;
  /** The top-level properties it changes. */
  readonly properties: readonly string[];
}

/** Something that could not be checked: never a pass, always a non-zero exit. */
export interface ReportError {
  readonly urn?: string;
  readonly resourceName?: string;
  readonly message: string;
  /** `audit`: the AWS account and region that could not be (fully) read, when known. */
  readonly account?: string;
  readonly region?: string;
}

/** Counts for one account, region or policy in a report's breakdown. */
export interface ScopeCounts {
  readonly violations: number;
  readonly mandatory: number;
  readonly advisory: number;
  readonly errors: number;
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
    /** `audit`: the same counts per account, per region and per policy (keys sorted). */
    readonly byAccount?: Readonly<Record<string, ScopeCounts>>;
    readonly byRegion?: Readonly<Record<string, ScopeCounts>>;
    readonly byPolicy?: Readonly<Record<string, ScopeCounts>>;
    /** With `--baseline`. */
    readonly baseline?: BaselineSummary;
  };
  /** `check`: the remediations the pack would apply (policies set to `remediate`). */
  readonly remediations?: readonly ReportRemediation[];
  /** With `--baseline`: baseline violations no longer found. */
  readonly fixed?: readonly ReportViolation[];
}

export interface RenderOptions {
  /** Tool name and version for SARIF. */
  readonly toolVersion?: string;
  /** Where the checked program or state lives, for SARIF locations (relative to `sourceRoot` when one is given). */
  readonly artifactUri?: string;
  /** Absolute path of the repository root that SARIF URIs are relative to (`%SRCROOT%`). */
  readonly sourceRoot?: string;
  /** The program directory relative to `sourceRoot` (`/` separators): prefixed to each violation's location file. */
  readonly programPath?: string;
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

/** One finding of the rule core as a report violation (the `audit` path). */
export function violationFromFinding(finding: EvaluatedFinding): ReportViolation {
  return {
    policy: finding.policy,
    enforcementLevel: finding.enforcementLevel,
    severity: severityOf(finding.policy),
    urn: finding.resource.urn,
    resourceType: finding.resource.type,
    resourceName: finding.resource.name,
    message: finding.message,
  };
}

/** A report from the rule core's findings. */
export function reportFromFindings(
  findings: readonly EvaluatedFinding[],
  resourceCount: number,
  errors: readonly ReportError[] = [],
): Report {
  return buildReport(findings.map(violationFromFinding), resourceCount, errors);
}

/** The report with its summary broken down per account, region and policy (what `audit` prints). */
export function withScopeSummary(report: Report): Report {
  const tally = (key: (item: { account?: string; region?: string; policy?: string }) => string | undefined) => {
    const counts = new Map<string, { violations: number; mandatory: number; advisory: number; errors: number }>();
    const entry = (name: string) => {
      let found = counts.get(name);
      if (!found) counts.set(name, (found = { violations: 0, mandatory: 0, advisory: 0, errors: 0 }));
      return found;
    };
    for (const violation of report.violations) {
      const name = key(violation);
      if (name === undefined) continue;
      const found = entry(name);
      found.violations++;
      if (violation.enforcementLevel === "mandatory") found.mandatory++;
      else found.advisory++;
    }
    for (const error of report.errors) {
      const name = key(error);
      if (name !== undefined) entry(name).errors++;
    }
    return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
  };
  return {
    ...report,
    summary: {
      ...report.summary,
      byAccount: tally((item) => item.account ?? "(no account)"),
      byRegion: tally((item) => item.region ?? "(no region)"),
      byPolicy: tally((item) => item.policy),
    },
  };
}

/**
 * 1 when anything mandatory is violated or anything could not be checked; 0 otherwise. With a
 * baseline, only new mandatory violations count: existing ones are reported but do not fail the run.
 */
export function exitCodeFor(report: Report): 0 | 1 {
  const mandatory = report.summary.baseline ? report.summary.baseline.newMandatory : report.summary.mandatory;
  return mandatory > 0 || report.summary.errors > 0 ? 1 : 0;
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
  const verdict =
    exitCodeFor(report) > 0
      ? "FAILED"
      : summary.mandatory > 0
        ? "passed: every mandatory violation is in the baseline"
        : summary.advisory > 0
          ? "passed with advisories"
          : "passed";
  lines.push(
    `codedeploy-guardrails: ${verdict}: ${summary.mandatory} mandatory, ${summary.advisory} advisory violation(s), ${summary.errors} error(s) in ${summary.resources} resource(s)`,
  );
  for (const violation of report.violations) {
    lines.push("");
    const known = violation.baseline === "existing" ? "  [existing: in the baseline]" : violation.baseline === "new" ? "  [new]" : "";
    lines.push(`${violation.enforcementLevel.toUpperCase().padEnd(9)} ${violation.policy}  (${violation.severity})${known}`);
    lines.push(`  resource: ${violation.resourceName}  [${violation.resourceType}]`);
    lines.push(`  urn:      ${violation.urn}`);
    if (violation.location) lines.push(`  declared: ${violation.location.file}:${violation.location.line}`);
    lines.push(`  ${violation.message}`);
  }
  for (const error of report.errors) {
    lines.push("");
    const where = error.account || error.region ? `  (${[error.account, error.region].filter(Boolean).join(", ")})` : "";
    lines.push(`ERROR     ${error.resourceName ?? error.urn ?? "(input)"}${where}`);
    lines.push(`  ${error.message}`);
  }
  const breakdowns: [string, Readonly<Record<string, ScopeCounts>> | undefined][] = [
    ["account", summary.byAccount],
    ["region", summary.byRegion],
    ["policy", summary.byPolicy],
  ];
  for (const [label, counts] of breakdowns) {
    if (!counts) continue;
    lines.push("");
    lines.push(`by ${label}:`);
    for (const [name, count] of Object.entries(counts))
      lines.push(`  ${name.padEnd(40)} ${count.mandatory} mandatory, ${count.advisory} advisory, ${count.errors} error(s)`);
  }
  lines.push(...summaryLines(report));
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
