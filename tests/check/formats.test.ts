// Issue 4: the reference stack checks clean and the faulty example yields its violations, in the
// three output formats (table, the JSON contract, SARIF 2.1.0 validated against its schema).
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Log } from "sarif";
import { sarifSchemaErrors } from "../support/sarifSchema";
import { ALARMS, check, ensureDistFresh, FAULTY, lineOf, MIN_HOSTS, REFERENCE, tempDir, type CheckRun } from "./support";

const FORMATS = ["table", "json", "sarif"] as const;
type Format = (typeof FORMATS)[number];
const VIOLATION_KEYS = ["enforcementLevel", "location", "message", "policy", "resourceName", "resourceType", "severity", "urn"];
// The engine's URNs: no pulumi:pulumi:Stack in the type chain (engine-facts.md, URNs).
const FAULTY_GROUP = "urn:pulumi:dev::faulty-auto-rollback::aws:codedeploy/deploymentGroup:DeploymentGroup::foo";
const FAULTY_CONFIG = "urn:pulumi:dev::faulty-auto-rollback::aws:codedeploy/deploymentConfig:DeploymentConfig::foo";

const FAULTY_GROUP_LINE = lineOf(join(FAULTY, "index.ts"), 'new aws.codedeploy.DeploymentGroup("foo"');

type Runs = Record<Format, CheckRun>;
let reference: Runs;
let faulty: Runs;
let strict: Runs;
let dir: string;

async function allFormats(args: readonly string[]): Promise<Runs> {
  const runs = await Promise.all(FORMATS.map((format) => check([...args, "--format", format])));
  return { table: runs[0]!, json: runs[1]!, sarif: runs[2]! };
}

beforeAll(async () => {
  ensureDistFresh();
  dir = tempDir("formats");
  const strictConfig = join(dir, "strict.json");
  writeFileSync(strictConfig, JSON.stringify({ [MIN_HOSTS]: { minHealthyHostCount: 2 } }));
  // Nine checks; each records its program and starts the pack, so they run side by side.
  [reference, faulty, strict] = await Promise.all([
    allFormats([REFERENCE]),
    allFormats([FAULTY]),
    allFormats([FAULTY, "--policy-config", strictConfig]),
  ]);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function json(run: CheckRun): { violations: Record<string, unknown>[]; errors: unknown[]; summary: Record<string, number> } {
  return JSON.parse(run.stdout) as { violations: Record<string, unknown>[]; errors: unknown[]; summary: Record<string, number> };
}

function sarif(run: CheckRun): Log {
  return JSON.parse(run.stdout) as Log;
}

function expectContract(run: CheckRun): void {
  const document = json(run);
  expect(Object.keys(document).sort()).toEqual(["errors", "remediations", "summary", "violations"]);
  expect(Object.keys(document.summary).sort()).toEqual(["advisory", "errors", "mandatory", "resources", "violations"]);
  for (const violation of document.violations) expect(Object.keys(violation).sort()).toEqual(VIOLATION_KEYS);
  const mandatory = document.violations.filter((v) => v["enforcementLevel"] === "mandatory").length;
  expect(document.summary).toMatchObject({
    violations: document.violations.length,
    mandatory,
    advisory: document.violations.length - mandatory,
    errors: document.errors.length,
  });
  expect(document.summary["resources"]).toBeGreaterThan(0);
  // The report on stdout is the whole of stdout: progress goes to stderr.
  expect(run.stderr).toMatch(/^check: /);
}

function expectValidSarif(run: CheckRun): Log {
  const log = sarif(run);
  expect(sarifSchemaErrors(log)).toEqual([]);
  expect(log.version).toBe("2.1.0");
  for (const result of log.runs[0]!.results ?? []) expect(["error", "warning"]).toContain(result.level);
  return log;
}

describe("the reference stack", () => {
  it("checks clean in every format, exit 0", () => {
    for (const format of FORMATS) expect(reference[format].exitCode, `${format}: ${reference[format].stderr}`).toBe(0);
    expect(reference.table.stdout.split("\n")[0]).toMatch(
      /^codedeploy-guardrails: passed: 0 mandatory, 0 advisory violation\(s\), 0 error\(s\) in \d+ resource\(s\)$/,
    );
    expectContract(reference.json);
    expect(json(reference.json).violations).toEqual([]);
    expect(json(reference.json).summary).toMatchObject({ violations: 0, mandatory: 0, advisory: 0, errors: 0 });
    expect(json(reference.json).summary["resources"]).toBe(reference.json.report?.summary.resources);
    const log = expectValidSarif(reference.sarif);
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.invocations?.[0]?.executionSuccessful).toBe(true);
  });
});

describe("the faulty example, default config", () => {
  it("fails in every format, exit 1", () => {
    for (const format of FORMATS) expect(faulty[format].exitCode, `${format}: ${faulty[format].stderr}`).toBe(1);
  });

  it("JSON: exactly one mandatory alarm violation, on the group foo", () => {
    expectContract(faulty.json);
    const { violations, summary } = json(faulty.json);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({
      policy: ALARMS,
      enforcementLevel: "mandatory",
      severity: "high",
      urn: FAULTY_GROUP,
      resourceType: "aws:codedeploy/deploymentGroup:DeploymentGroup",
      resourceName: "foo",
    });
    expect(violations[0]!["message"]).toMatch(/alarmConfiguration/);
    expect(violations[0]!["location"]).toEqual({ file: "index.ts", line: FAULTY_GROUP_LINE });
    expect(summary).toEqual({ resources: 8, violations: 1, mandatory: 1, advisory: 0, errors: 0 });
  });

  it("table: a FAILED verdict naming the policy, the resource and the finding", () => {
    const text = faulty.table.stdout;
    expect(text.split("\n")[0]).toBe("codedeploy-guardrails: FAILED: 1 mandatory, 0 advisory violation(s), 0 error(s) in 8 resource(s)");
    expect(text).toContain(`MANDATORY ${ALARMS}`);
    expect(text).toContain("resource: foo  [aws:codedeploy/deploymentGroup:DeploymentGroup]");
    expect(text).toContain(`  urn:      ${FAULTY_GROUP}\n  declared: index.ts:${FAULTY_GROUP_LINE}\n`);
    expect(text).toContain(json(faulty.json).violations[0]!["message"] as string);
    expect(text).toContain(
      `\nSummary\n  by policy:\n    ${ALARMS}  1 mandatory, 0 advisory\n  by level: 1 mandatory, 0 advisory, 0 error(s)`,
    );
    expect(text).not.toMatch(/\bpassed\b/);
  });

  it("SARIF: schema-valid, one error-level result for the alarm rule on foo", () => {
    const log = expectValidSarif(faulty.sarif);
    const run = log.runs[0]!;
    expect(run.results).toHaveLength(1);
    const [result] = run.results!;
    expect(result).toMatchObject({ ruleId: ALARMS, level: "error" });
    expect(run.tool.driver.rules?.[result!.ruleIndex!]?.id).toBe(ALARMS);
    expect(result!.locations?.[0]?.logicalLocations?.[0]).toMatchObject({ fullyQualifiedName: FAULTY_GROUP, name: "foo" });
    expect(result!.message.text).toBe(json(faulty.json).violations[0]!["message"]);
    // The line that declares the group, relative to the repository root, as GitHub code scanning reads it.
    expect(result!.locations?.[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: "examples/faulty-auto-rollback/index.ts", uriBaseId: "%SRCROOT%" },
      region: { startLine: FAULTY_GROUP_LINE },
    });
    expect(run.tool.driver.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("the faulty example, strict policy config (minHealthyHostCount 2)", () => {
  const expected = [`${ALARMS} ${FAULTY_GROUP}`, `${MIN_HOSTS} ${FAULTY_CONFIG}`, `${MIN_HOSTS} ${FAULTY_GROUP}`];

  it("adds minimum-healthy-hosts on the config and on the group, in every format", () => {
    for (const format of FORMATS) expect(strict[format].exitCode, `${format}: ${strict[format].stderr}`).toBe(1);
    expectContract(strict.json);
    const { violations, summary } = json(strict.json);
    expect(violations.map((v) => `${String(v["policy"])} ${String(v["urn"])}`).sort()).toEqual(expected);
    expect(violations.every((v) => v["enforcementLevel"] === "mandatory")).toBe(true);
    expect(summary).toEqual({ resources: 8, violations: 3, mandatory: 3, advisory: 0, errors: 0 });

    expect(strict.table.stdout.split("\n")[0]).toBe(
      "codedeploy-guardrails: FAILED: 3 mandatory, 0 advisory violation(s), 0 error(s) in 8 resource(s)",
    );
    expect(strict.table.stdout.match(new RegExp(`MANDATORY ${MIN_HOSTS}`, "g"))).toHaveLength(2);
    expect(strict.table.stdout).toContain("resource: foo  [aws:codedeploy/deploymentConfig:DeploymentConfig]");

    const results = expectValidSarif(strict.sarif).runs[0]!.results!;
    expect(results.map((r) => `${r.ruleId} ${r.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName}`).sort()).toEqual(expected);
    expect(results.every((r) => r.level === "error")).toBe(true);
  });

  it("an advisory level shows as a SARIF warning and does not fail the check", async () => {
    const config = join(dir, "advisory.json");
    writeFileSync(config, JSON.stringify({ [ALARMS]: "advisory" }));
    const sarifRun = await check([FAULTY, "--policy-config", config, "--format", "sarif"]);
    expect(sarifRun.exitCode).toBe(0);
    const results = expectValidSarif(sarifRun).runs[0]!.results!;
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([[ALARMS, "warning"]]);
  });
});
