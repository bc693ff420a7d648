// SARIF 2.1.0 for code-scanning tools: one rule per policy, one result per violation, and a
// tool notification per error so that an incomplete run never looks like a clean one.
import type { Log, ReportingDescriptor, Result } from "sarif";
import { POLICY_RUNNERS } from "../../policy-pack/rules";
import type { RenderOptions, Report } from "./index";

const SEVERITY_SCORE: Readonly<Record<string, string>> = { low: "3.0", medium: "5.5", high: "8.0", critical: "9.5" };

function rules(): ReportingDescriptor[] {
  return POLICY_RUNNERS.map(({ metadata }) => ({
    id: metadata.name,
    name: metadata.displayName,
    shortDescription: { text: metadata.displayName },
    fullDescription: { text: metadata.description },
    helpUri: metadata.url,
    help: { text: metadata.remediationSteps },
    defaultConfiguration: { level: metadata.enforcementLevel === "mandatory" ? "error" : "warning" },
    properties: {
      tags: ["codedeploy", "rollback"],
      "security-severity": SEVERITY_SCORE[metadata.severity] ?? "5.5",
      severity: metadata.severity,
    },
  }));
}

export function toSarif(report: Report, options: RenderOptions): Log {
  const descriptors = rules();
  const results: Result[] = report.violations.map((violation) => {
    const ruleIndex = descriptors.findIndex((rule) => rule.id === violation.policy);
    return {
      ruleId: violation.policy,
      ...(ruleIndex >= 0 ? { ruleIndex } : {}),
      level: violation.enforcementLevel === "mandatory" ? "error" : "warning",
      message: { text: violation.message },
      locations: [
        {
          ...(options.artifactUri ? { physicalLocation: { artifactLocation: { uri: options.artifactUri } } } : {}),
          logicalLocations: [{ fullyQualifiedName: violation.urn, name: violation.resourceName, kind: "resource" }],
        },
      ],
      partialFingerprints: { resourceUrn: violation.urn },
    };
  });
  return {
    version: "2.1.0",
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    runs: [
      {
        tool: {
          driver: {
            name: "codedeploy-guardrails",
            ...(options.toolVersion ? { version: options.toolVersion } : {}),
            informationUri: "https://docs.aws.amazon.com/codedeploy/latest/userguide/deployments-rollback-and-redeploy.html",
            rules: descriptors,
          },
        },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: report.errors.map((error) => ({
              level: "error",
              message: { text: error.resourceName ? `${error.resourceName}: ${error.message}` : error.message },
            })),
          },
        ],
        results,
      },
    ],
  };
}
