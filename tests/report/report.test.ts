import { describe, expect, it } from "vitest";
import { buildReport, exitCodeFor, renderReport, reportFromFindings, type ReportViolation } from "../../packages/tools/src/report";
import { sarifSchemaErrors } from "../support/sarifSchema";
import type { EvaluatedFinding } from "../../policy-pack/evaluate";

const groupViolation: ReportViolation = {
  policy: "codedeploy-auto-rollback-enabled",
  enforcementLevel: "mandatory",
  severity: "high",
  urn: "urn:pulumi:dev::app::aws:codedeploy/deploymentGroup:DeploymentGroup::api",
  resourceType: "aws:codedeploy/deploymentGroup:DeploymentGroup",
  resourceName: "api",
  message: 'Deployment group "api": automatic rollback is disabled.',
};
const advisory: ReportViolation = {
  ...groupViolation,
  policy: "codedeploy-outdated-instances-update",
  enforcementLevel: "advisory",
  severity: "medium",
};

describe("report", () => {
  it("summarises and orders violations by policy, then URN", () => {
    const report = buildReport([advisory, groupViolation], 7);
    expect(report.violations.map((violation) => violation.policy)).toEqual([
      "codedeploy-auto-rollback-enabled",
      "codedeploy-outdated-instances-update",
    ]);
    expect(report.summary).toEqual({ resources: 7, violations: 2, mandatory: 1, advisory: 1, errors: 0 });
    expect(exitCodeFor(report)).toBe(1);
    expect(exitCodeFor(buildReport([advisory], 7))).toBe(0);
    expect(exitCodeFor(buildReport([], 7, [{ message: "could not read group" }]))).toBe(1);
  });

  it("keeps the JSON contract", () => {
    const json = JSON.parse(renderReport(buildReport([groupViolation], 3), "json")) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(expect.arrayContaining(["violations", "summary"]));
    expect((json.violations as object[])[0]).toEqual(groupViolation);
    expect(json.summary).toMatchObject({ resources: 3, violations: 1, mandatory: 1, advisory: 0 });
  });

  it("writes SARIF 2.1.0 that validates against the official schema, errors included", () => {
    const report = buildReport([groupViolation, advisory], 3, [{ resourceName: "app/group", message: "AccessDenied" }]);
    const log = JSON.parse(renderReport(report, "sarif", { toolVersion: "0.1.0", artifactUri: "reference-stack/index.ts" })) as {
      runs: { results: { level: string; ruleId: string }[]; invocations: { executionSuccessful: boolean }[] }[];
    };
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0]!.results.map((result) => [result.ruleId, result.level])).toEqual([
      ["codedeploy-auto-rollback-enabled", "error"],
      ["codedeploy-outdated-instances-update", "warning"],
    ]);
    expect(log.runs[0]!.invocations[0]!.executionSuccessful).toBe(false);
    // The validator itself must be able to fail.
    log.runs[0]!.results[0]!.level = "fatal";
    expect(sarifSchemaErrors(log)).not.toEqual([]);
  });

  it("masks secret values that reach a message in every format", () => {
    const leaking = { ...groupViolation, message: "alarm s3cr3t-alarm-name is missing" };
    for (const format of ["table", "json", "sarif"] as const) {
      const text = renderReport(buildReport([leaking], 1), format, { secretValues: ["s3cr3t-alarm-name"] });
      expect(text).not.toContain("s3cr3t-alarm-name");
      expect(text).toContain("[secret]");
    }
  });

  it("builds from rule-core findings with each policy's severity", () => {
    const finding: EvaluatedFinding = {
      policy: "codedeploy-blue-green-rollback-window",
      resource: {
        urn: "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:app/bg",
        name: "app/bg",
        type: "AWS::CodeDeploy::DeploymentGroup",
      },
      reason: "violation",
      message: "x",
      enforcementLevel: "advisory",
    };
    const report = reportFromFindings([finding], 1);
    expect(report.violations[0]).toMatchObject({ severity: "medium", resourceName: "app/bg", urn: finding.resource.urn });
    expect(renderReport(report, "table")).toContain("ADVISORY");
  });
});
