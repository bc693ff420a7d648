// SARIF 2.1.0 for code-scanning tools: one rule per policy, one result per violation, and a
// tool notification per error so that an incomplete run never looks like a clean one.
import { posix } from "node:path";
import { pathToFileURL } from "node:url";
import type { Location, Log, ReportingDescriptor, Result } from "sarif";
import { POLICY_RUNNERS } from "codedeploy-guardrails/rules";
import type { RenderOptions, Report, ReportViolation } from "./index";

/** SARIF URIs are relative to the repository root, named by this base id (the one GitHub code scanning uses). */
export const SOURCE_ROOT_BASE_ID = "%SRCROOT%";

const SEVERITY_SCORE: Readonly<Record<string, string>> = { low: "3.0", medium: "5.5", high: "8.0", critical: "9.5" };

function rules(): ReportingDescriptor[] {
  return POLICY_RUNNERS.map(({ metadata }) => ({
    id: metadata.name,
    name: metadata.displayName,
    shortDescription: { text: metadata.displayName },
    fullDescription: { text: metadata.description },
    helpUri: metadata.url,
    help: {
      text: `${metadata.remediationSteps} See ${metadata.url}`,
      markdown: `${metadata.remediationSteps}\n\n[AWS documentation](${metadata.url})`,
    },
    defaultConfiguration: { level: metadata.enforcementLevel === "mandatory" ? "error" : "warning" },
    properties: {
      tags: ["codedeploy", "rollback"],
      "security-severity": SEVERITY_SCORE[metadata.severity] ?? "5.5",
      severity: metadata.severity,
    },
  }));
}

/**
 * Where a violation is: the line that declares the resource, relative to the repository root, when
 * the program run recorded it; otherwise the program's entry (or the state file), with no line.
 */
function physicalLocation(violation: ReportViolation, options: RenderOptions): Location["physicalLocation"] | undefined {
  const base = options.sourceRoot ? { uriBaseId: SOURCE_ROOT_BASE_ID } : {};
  if (violation.location) {
    const uri = posix.normalize(posix.join(options.programPath ?? ".", violation.location.file));
    return { artifactLocation: { uri, ...base }, region: { startLine: violation.location.line } };
  }
  return options.artifactUri ? { artifactLocation: { uri: options.artifactUri, ...base } } : undefined;
}

export function toSarif(report: Report, options: RenderOptions): Log {
  const descriptors = rules();
  const results: Result[] = report.violations.map((violation) => {
    const ruleIndex = descriptors.findIndex((rule) => rule.id === violation.policy);
    const physical = physicalLocation(violation, options);
    return {
      ruleId: violation.policy,
      ...(ruleIndex >= 0 ? { ruleIndex } : {}),
      level: violation.enforcementLevel === "mandatory" ? "error" : "warning",
      message: { text: violation.message },
      locations: [
        {
          ...(physical ? { physicalLocation: physical } : {}),
          logicalLocations: [{ fullyQualifiedName: violation.urn, name: violation.resourceName, kind: "resource" }],
        },
      ],
      partialFingerprints: { resourceUrn: violation.urn },
      ...(violation.baseline === "new" || violation.baseline === "existing"
        ? { baselineState: violation.baseline === "new" ? ("new" as const) : ("unchanged" as const) }
        : {}),
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
        ...(options.sourceRoot
          ? {
              originalUriBaseIds: {
                [SOURCE_ROOT_BASE_ID]: {
                  uri: pathToFileURL(options.sourceRoot.endsWith("/") ? options.sourceRoot : `${options.sourceRoot}/`).href,
                },
              },
            }
          : {}),
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
