// The report's violations as AWS Security Finding Format (ASFF) findings, for Security Hub's
// BatchImportFindings: one finding per violation, in the account and region of the resource, under
// that account's default custom product. The Id depends only on the policy and the resource, so a
// re-run updates a finding instead of adding a duplicate. Only violations that carry an account and
// region (`audit`) can be findings.
import { POLICY_RUNNERS } from "codedeploy-guardrails/rules";
import type { Report, ReportViolation } from "./index";

export const ASFF_SCHEMA_VERSION = "2018-10-08";
export const ASFF_GENERATOR_PREFIX = "codedeploy-guardrails";

/** The AWS partitions ASFF names in `Resources[].Partition`. */
export const ASFF_PARTITIONS = ["aws", "aws-cn", "aws-us-gov", "aws-us-iso", "aws-us-iso-b"] as const;
export type AsffPartition = (typeof ASFF_PARTITIONS)[number];

export type AsffSeverityLabel = "INFORMATIONAL" | "LOW" | "MEDIUM" | "HIGH" | "CRITICAL";

/** The fields of an ASFF finding this tool sets (a subset of the format; all required ones). */
export interface AsffFinding {
  readonly SchemaVersion: string;
  readonly Id: string;
  readonly ProductArn: string;
  readonly GeneratorId: string;
  readonly AwsAccountId: string;
  readonly Region: string;
  readonly Types: string[];
  readonly CreatedAt: string;
  readonly UpdatedAt: string;
  readonly Severity: { readonly Label: AsffSeverityLabel; readonly Original: string };
  readonly Title: string;
  readonly Description: string;
  readonly Remediation: { readonly Recommendation: { readonly Text: string; readonly Url: string } };
  readonly ProductFields: Readonly<Record<string, string>>;
  readonly Resources: {
    readonly Type: string;
    readonly Id: string;
    readonly Partition?: AsffPartition;
    readonly Region: string;
    readonly Details: { readonly Other: Readonly<Record<string, string>> };
  }[];
  readonly Compliance: { readonly Status: "FAILED" | "WARNING" };
  readonly RecordState: "ACTIVE";
}

const SEVERITY_LABELS: Readonly<Record<string, AsffSeverityLabel>> = {
  low: "LOW",
  medium: "MEDIUM",
  high: "HIGH",
  critical: "CRITICAL",
};

/** ASFF's own length limits (characters). */
const LIMITS = { title: 256, description: 1024, recommendationText: 512, id: 512 } as const;

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 3)}...`;
}

function partitionOfArn(arn: string): string {
  return /^arn:([a-z-]+):/.exec(arn)?.[1] ?? "aws";
}

function asffPartition(partition: string): AsffPartition | undefined {
  return ASFF_PARTITIONS.find((known) => known === partition);
}

export function productArn(partition: string, region: string, account: string): string {
  return `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`;
}

/** Stable across runs: the same policy on the same resource is the same finding. */
export function findingId(violation: Pick<ReportViolation, "policy" | "urn">): string {
  return clip(`${ASFF_GENERATOR_PREFIX}/${violation.policy}/${violation.urn}`, LIMITS.id);
}

export function toAsffFinding(violation: ReportViolation, now: Date): AsffFinding | undefined {
  const { account, region } = violation;
  if (!account || !region) return undefined;
  const metadata = POLICY_RUNNERS.find((runner) => runner.metadata.name === violation.policy)?.metadata;
  const partition = partitionOfArn(violation.urn);
  const timestamp = now.toISOString();
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: findingId(violation),
    ProductArn: productArn(partition, region, account),
    GeneratorId: `${ASFF_GENERATOR_PREFIX}/${violation.policy}`,
    AwsAccountId: account,
    Region: region,
    Types: ["Software and Configuration Checks"],
    CreatedAt: timestamp,
    UpdatedAt: timestamp,
    Severity: { Label: SEVERITY_LABELS[violation.severity] ?? "MEDIUM", Original: violation.severity },
    Title: clip(`${metadata?.displayName ?? violation.policy}: ${violation.resourceName}`, LIMITS.title),
    Description: clip(violation.message, LIMITS.description),
    Remediation: {
      Recommendation: {
        Text: clip(metadata?.remediationSteps ?? "See the policy's documentation.", LIMITS.recommendationText),
        Url: metadata?.url ?? "https://docs.aws.amazon.com/codedeploy/latest/userguide/",
      },
    },
    ProductFields: {
      "codedeploy-guardrails/policy": violation.policy,
      "codedeploy-guardrails/enforcementLevel": violation.enforcementLevel,
    },
    Resources: [
      {
        // ASFF has no CodeDeploy resource type; `Other` with the CloudFormation type in Details.
        Type: "Other",
        Id: violation.urn,
        // A partition ASFF does not list is left out rather than misnamed.
        Partition: asffPartition(partition),
        Region: region,
        Details: { Other: { resourceType: violation.resourceType, resourceName: violation.resourceName } },
      },
    ],
    Compliance: { Status: violation.enforcementLevel === "mandatory" ? "FAILED" : "WARNING" },
    RecordState: "ACTIVE",
  };
}

/** Every violation of the report that has an account and region, as a finding. */
export function toAsff(report: Report, now: Date): AsffFinding[] {
  return report.violations.map((violation) => toAsffFinding(violation, now)).filter((finding) => finding !== undefined);
}
