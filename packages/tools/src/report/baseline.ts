// Baselines for adopting the pack on an existing estate (`--baseline FILE`, for `check` and `audit`):
// FILE is a JSON report an earlier run wrote. A violation already in it is reported as existing and
// does not fail the run; a new one does; a baseline violation no longer found is listed as fixed.
//
// A violation is identified by its policy and the URN of the resource it is about (an ARN in
// `audit`), not by its message, so rewording a message or tightening a setting does not turn an
// existing violation into a new one. Each baseline entry accounts for one current violation.
//
//   const baseline = readBaselineFile(path);        // InputError (exit 2) when it is not a report
//   const report = applyBaseline(current, baseline); // marks violations, lists fixed ones, re-counts

import { normalizeUrn } from "../mocks/urn";
import { InputError } from "../shared/inputError";
import { readInputJson } from "../shared/inputFile";
import type { Report, ReportViolation } from "./index";

export interface BaselineViolation {
  readonly policy: string;
  readonly urn: string;
  readonly enforcementLevel: string;
  readonly severity: string;
  readonly resourceType: string;
  readonly resourceName: string;
  readonly message: string;
}

export interface Baseline {
  readonly path: string;
  readonly violations: readonly BaselineViolation[];
}

export interface BaselineSummary {
  /** Violations that were already in the baseline: reported, but they do not fail the run. */
  readonly existing: number;
  readonly new: number;
  /** New mandatory violations: with a baseline, these (and errors) decide the exit status. */
  readonly newMandatory: number;
  /** Baseline violations no longer found. */
  readonly fixed: number;
}

/** A URN an older `check` wrote (with the root stack's type in it) is read in the engine's form, so its baseline still matches. */
function identity(violation: Pick<ReportViolation, "policy" | "urn">): string {
  return `${violation.policy}\u0000${normalizeUrn(violation.urn)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validates a parsed baseline (a JSON report); `path` names it in the one-line error. */
export function parseBaseline(raw: unknown, path: string): Baseline {
  const fail = (reason: string): never => {
    throw new InputError(
      `--baseline ${path}: ${reason}; a baseline is a report written earlier with --format json (e.g. --format json --output ${path})`,
    );
  };
  if (!isRecord(raw) || !Array.isArray(raw["violations"])) return fail('not a JSON report: expected an object with a "violations" list');
  const violations = (raw["violations"] as unknown[]).map((item, index): BaselineViolation => {
    if (!isRecord(item) || typeof item["policy"] !== "string" || typeof item["urn"] !== "string" || item["urn"] === "") {
      return fail(`violations[${index}] has no "policy" and "urn"`);
    }
    const text = (key: string) => (typeof item[key] === "string" ? item[key] : "");
    return {
      policy: item["policy"],
      urn: item["urn"],
      enforcementLevel: text("enforcementLevel"),
      severity: text("severity"),
      resourceType: text("resourceType"),
      resourceName: text("resourceName"),
      message: text("message"),
    };
  });
  return { path, violations };
}

export function readBaselineFile(path: string): Baseline {
  const raw = readInputJson(path, `--baseline ${path}`, {
    missing: `write one with --format json --output ${path}`,
    invalid: "give a report written with --format json",
  });
  return parseBaseline(raw, path);
}

/** The report with each violation marked new or existing, the fixed ones listed, and the baseline counts. */
export function applyBaseline(report: Report, baseline: Baseline): Report {
  const remaining = new Map<string, BaselineViolation[]>();
  for (const old of baseline.violations) {
    const key = identity(old);
    remaining.set(key, [...(remaining.get(key) ?? []), old]);
  }
  const violations = report.violations.map((violation): ReportViolation => {
    const matches = remaining.get(identity(violation));
    const existing = matches !== undefined && matches.length > 0;
    if (existing) matches.shift();
    return { ...violation, baseline: existing ? "existing" : "new" };
  });
  const fixed = [...remaining.values()].flat().map((old): ReportViolation => ({
    policy: old.policy,
    enforcementLevel: old.enforcementLevel === "advisory" ? "advisory" : "mandatory",
    severity: old.severity,
    urn: old.urn,
    resourceType: old.resourceType,
    resourceName: old.resourceName,
    message: old.message,
    baseline: "fixed",
  }));
  const fresh = violations.filter((violation) => violation.baseline === "new");
  const summary: BaselineSummary = {
    existing: violations.length - fresh.length,
    new: fresh.length,
    newMandatory: fresh.filter((violation) => violation.enforcementLevel === "mandatory").length,
    fixed: fixed.length,
  };
  return { ...report, violations, fixed, summary: { ...report.summary, baseline: summary } };
}
