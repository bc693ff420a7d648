// Issue 12: what the report gives a team adopting the pack: baselines (existing, new, fixed), the
// summary after the table, locations in every format, reports written to a file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Log } from "sarif";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyBaseline,
  buildReport,
  exitCodeFor,
  parseBaseline,
  readBaselineFile,
  renderReport,
  resolveOutputPath,
  summarizeFindings,
  writeReportOutput,
  type Report,
  type ReportViolation,
} from "../../packages/tools/src/report";
import { InputError } from "../../packages/tools/src/shared/inputError";
import { sarifSchemaErrors } from "../support/sarifSchema";

const GROUP_TYPE = "aws:codedeploy/deploymentGroup:DeploymentGroup";
const urn = (name: string) => `urn:pulumi:dev::app::${GROUP_TYPE}::${name}`;
const violation = (policy: string, name: string, level: "mandatory" | "advisory" = "mandatory"): ReportViolation => ({
  policy,
  enforcementLevel: level,
  severity: "high",
  urn: urn(name),
  resourceType: GROUP_TYPE,
  resourceName: name,
  message: `Deployment group "${name}": finding of ${policy}.`,
});
const ALARMS = "codedeploy-alarm-rollback-configured";
const AUTO = "codedeploy-auto-rollback-enabled";
const OUTDATED = "codedeploy-outdated-instances-update";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "report-adoption-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A report as `check --format json` writes it, parsed back: what a baseline file holds. */
function asBaseline(report: Report) {
  return parseBaseline(JSON.parse(renderReport(report, "json")), "baseline.json");
}

describe("baselines", () => {
  const before = buildReport([violation(ALARMS, "api"), violation(ALARMS, "batch"), violation(AUTO, "batch")], 5);

  it("marks violations existing or new, lists the fixed ones, and fails only on new mandatory ones", () => {
    const now = buildReport(
      [violation(ALARMS, "api"), violation(AUTO, "batch"), violation(AUTO, "api"), violation(OUTDATED, "api", "advisory")],
      5,
    );
    const report = applyBaseline(now, asBaseline(before));
    const state = report.violations.map((v) => `${v.policy} ${v.resourceName} ${v.baseline}`);
    expect(state).toEqual([`${AUTO} api new`, `${AUTO} batch existing`, `${ALARMS} api existing`, `${OUTDATED} api new`]);
    expect(report.fixed?.map((v) => `${v.policy} ${v.resourceName}`)).toEqual([`${ALARMS} batch`]);
    expect(report.summary.baseline).toEqual({ existing: 2, new: 2, newMandatory: 1, fixed: 1 });
    expect(exitCodeFor(report)).toBe(1);
    // The same run without the new mandatory violation passes: existing ones do not fail it.
    const onlyExisting = applyBaseline(
      buildReport([violation(ALARMS, "api"), violation(OUTDATED, "api", "advisory")], 5),
      asBaseline(before),
    );
    expect(onlyExisting.summary.mandatory).toBe(1);
    expect(exitCodeFor(onlyExisting)).toBe(0);
    expect(renderReport(onlyExisting, "table").split("\n")[0]).toMatch(
      /^codedeploy-guardrails: passed: every mandatory violation is in the baseline/,
    );
    // Errors still fail a run, baseline or not.
    expect(exitCodeFor(applyBaseline(buildReport([], 5, [{ message: "could not read" }]), asBaseline(before)))).toBe(1);
  });

  it("matches on policy and resource, not on wording, and each baseline entry covers one violation", () => {
    const reworded = { ...violation(ALARMS, "api"), message: "a different message" };
    expect(applyBaseline(buildReport([reworded], 1), asBaseline(before)).violations[0]?.baseline).toBe("existing");
    const twice = applyBaseline(
      buildReport([violation(ALARMS, "api"), { ...violation(ALARMS, "api"), message: "second" }], 1),
      asBaseline(before),
    );
    expect(twice.violations.map((v) => v.baseline).sort()).toEqual(["existing", "new"]);
  });

  it("reads a baseline an older check wrote, with pulumi:pulumi:Stack in its URNs", () => {
    const old = parseBaseline(
      { violations: [{ ...violation(ALARMS, "api"), urn: `urn:pulumi:dev::app::pulumi:pulumi:Stack$${GROUP_TYPE}::api` }] },
      "old.json",
    );
    expect(applyBaseline(buildReport([violation(ALARMS, "api")], 1), old).summary.baseline).toMatchObject({ existing: 1, fixed: 0 });
  });

  it("shows the baseline in every format", () => {
    const report = applyBaseline(buildReport([violation(ALARMS, "api"), violation(AUTO, "api")], 1), asBaseline(before));
    const json = JSON.parse(renderReport(report, "json")) as Report;
    expect(json.violations.map((v) => v.baseline)).toEqual(["new", "existing"]);
    expect(json.fixed).toHaveLength(2);
    expect(json.summary.baseline).toEqual({ existing: 1, new: 1, newMandatory: 1, fixed: 2 });
    const table = renderReport(report, "table");
    expect(table).toContain(`MANDATORY ${ALARMS}  (high)  [existing: in the baseline]`);
    expect(table).toContain(`MANDATORY ${AUTO}  (high)  [new]`);
    expect(table).toContain("baseline: 1 new (1 mandatory), 1 existing (reported, not failing), 2 fixed");
    expect(table).toContain(`fixed: ${ALARMS}  batch  ${urn("batch")}`);
    const log = JSON.parse(renderReport(report, "sarif")) as Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0]!.results!.map((r) => [r.ruleId, r.baselineState])).toEqual([
      [AUTO, "new"],
      [ALARMS, "unchanged"],
    ]);
  });

  it.each([
    ["[]", /not a JSON report: expected an object with a "violations" list/],
    ['{"violations": [{"policy": "x"}]}', /violations\[0\] has no "policy" and "urn"/],
    ["{not json", /not valid JSON/],
  ])("refuses %s with one line saying what a baseline is", (text, reason) => {
    const path = join(dir, "bad-baseline.json");
    writeFileSync(path, text);
    expect(() => readBaselineFile(path)).toThrow(InputError);
    expect(() => readBaselineFile(path)).toThrow(reason);
    try {
      readBaselineFile(path);
    } catch (error) {
      expect((error as Error).message).not.toContain("\n");
      expect((error as Error).message).toMatch(/^--baseline .*bad-baseline\.json[: ]/);
    }
    expect(() => readBaselineFile(join(dir, "none.json"))).toThrow(
      /--baseline .*none\.json does not exist; write one with --format json --output/,
    );
  });
});

describe("the summary after the table", () => {
  it("counts per policy and level and names the resources with the most findings", () => {
    const violations = [
      ...Array.from({ length: 300 }, (_, index) => violation(ALARMS, `g${index}`)),
      violation(AUTO, "g7"),
      violation(OUTDATED, "g7", "advisory"),
      violation(AUTO, "g3"),
    ];
    const summary = summarizeFindings(violations, 2);
    expect(summary.byPolicy).toEqual([
      { policy: AUTO, mandatory: 2, advisory: 0 },
      { policy: ALARMS, mandatory: 300, advisory: 0 },
      { policy: OUTDATED, mandatory: 0, advisory: 1 },
    ]);
    expect(summary.topResources).toEqual([
      { urn: urn("g7"), resourceName: "g7", findings: 3 },
      { urn: urn("g3"), resourceName: "g3", findings: 2 },
    ]);
    const table = renderReport(buildReport(violations, 400), "table");
    const tail = table.slice(table.indexOf("\nSummary\n"));
    expect(tail).toContain(`    ${ALARMS}  300 mandatory, 0 advisory`);
    expect(tail).toContain("  by level: 302 mandatory, 1 advisory, 0 error(s)");
    expect(tail).toMatch(new RegExp(`resources with the most findings:\\n +3  g7  ${urn("g7").replace(/[$.]/g, "\\$&")}\\n +2  g3 `));
    expect(renderReport(buildReport([], 4), "table")).not.toContain("Summary");
  });

  it("lists the remediations the pack would apply, in the table and in the JSON", () => {
    const report: Report = {
      ...buildReport([], 1),
      remediations: [{ policy: AUTO, urn: urn("api"), resourceName: "api", properties: ["autoRollbackConfiguration"] }],
    };
    expect(renderReport(report, "table")).toContain(`remediations the pack would apply:\n    ${AUTO}  api: sets autoRollbackConfiguration`);
    expect((JSON.parse(renderReport(report, "json")) as Report).remediations).toEqual(report.remediations);
  });
});

describe("locations", () => {
  const located = { ...violation(ALARMS, "api"), location: { file: "lib/groups.ts", line: 42 } };
  const report = buildReport([located, violation(AUTO, "batch")], 2);

  it("SARIF: the declaring line, relative to the repository root, for GitHub code scanning", () => {
    const log = JSON.parse(
      renderReport(report, "sarif", {
        toolVersion: "9.9.9",
        sourceRoot: "/repo",
        programPath: "infra/app",
        artifactUri: "infra/app/index.ts",
      }),
    ) as Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    // Results come in policy order: auto-rollback (batch, no location), then alarms (api, located).
    const [second, first] = log.runs[0]!.results!;
    expect([first!.ruleId, second!.ruleId]).toEqual([ALARMS, AUTO]);
    expect(first!.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: "infra/app/lib/groups.ts", uriBaseId: "%SRCROOT%" },
      region: { startLine: 42 },
    });
    // Without a recorded line, the program's entry file stands in, with no region.
    expect(second!.locations![0]!.physicalLocation).toEqual({ artifactLocation: { uri: "infra/app/index.ts", uriBaseId: "%SRCROOT%" } });
    expect(log.runs[0]!.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: "file:///repo/" } });
    const driver = log.runs[0]!.tool.driver;
    expect(driver.version).toBe("9.9.9");
    for (const rule of driver.rules!) {
      expect(rule.helpUri).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      expect(rule.help?.text.length).toBeGreaterThan(20);
      expect(rule.help?.text).toContain(rule.helpUri);
    }
  });

  it("table and JSON: the file relative to the program directory and the line", () => {
    expect(renderReport(report, "table")).toContain(`  urn:      ${urn("api")}\n  declared: lib/groups.ts:42\n`);
    const json = JSON.parse(renderReport(report, "json")) as Report;
    expect(json.violations.find((v) => v.resourceName === "api")?.location).toEqual({ file: "lib/groups.ts", line: 42 });
    expect(json.violations.find((v) => v.resourceName === "batch")).not.toHaveProperty("location");
  });
});

describe("--output", () => {
  it("writes the whole report to the file and nothing to stdout", () => {
    const path = resolveOutputPath("out/nested/report.json", dir)!;
    expect(path).toBe(join(dir, "out", "nested", "report.json"));
    let stdout = "";
    const logged: string[] = [];
    const text = renderReport(buildReport([violation(ALARMS, "api")], 1), "json");
    writeReportOutput(
      text,
      path,
      (chunk) => (stdout += chunk),
      (line) => logged.push(line),
    );
    expect(stdout).toBe("");
    expect(readFileSync(path, "utf8")).toBe(text);
    expect(logged).toEqual([`report written to ${path}`]);
    expect(existsSync(`${path}.${process.pid}.partial`)).toBe(false);
  });

  it("writes to stdout without the flag or with -", () => {
    for (const output of [undefined, "-"]) {
      let stdout = "";
      writeReportOutput("report\n", resolveOutputPath(output, dir), (chunk) => (stdout += chunk));
      expect(stdout).toBe("report\n");
    }
  });

  it("an unwritable path is an input error naming it", () => {
    const blocker = join(dir, "a-file");
    writeFileSync(blocker, "");
    expect(() => writeReportOutput("x", join(blocker, "report.json"), () => undefined)).toThrow(
      /^--output .*a-file\/report\.json: cannot write the report there \(E[A-Z]+\); give a writable file path$/,
    );
  });
});
