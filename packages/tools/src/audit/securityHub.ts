// --security-hub: imports the ASFF findings into Security Hub in each audited account and region,
// with that account's credentials, in batches of 100 (BatchImportFindings' limit). A finding
// Security Hub refuses, or a batch that cannot be sent, is an error entry (exit 1).
import { BatchImportFindingsCommand } from "@aws-sdk/client-securityhub";
import type { AsffFinding } from "../report/asff";
import type { ReportError } from "../report";
import type { AwsSender } from "./client";
import { describeFailure } from "./errors";

export const FINDING_BATCH_SIZE = 100;

export interface ImportOutcome {
  readonly imported: number;
  readonly errors: ReportError[];
}

/** Imports `findings` (all of one account and region) through `securityHub`. */
export async function importFindings(
  securityHub: AwsSender,
  account: string,
  region: string,
  findings: readonly AsffFinding[],
): Promise<ImportOutcome> {
  const errors: ReportError[] = [];
  let imported = 0;
  const batches: AsffFinding[][] = [];
  for (let index = 0; index < findings.length; index += FINDING_BATCH_SIZE) batches.push(findings.slice(index, index + FINDING_BATCH_SIZE));
  await Promise.all(
    batches.map(async (batch) => {
      try {
        const response = (await securityHub.send(new BatchImportFindingsCommand({ Findings: batch }))) as {
          SuccessCount?: number;
          FailedFindings?: { Id?: string; ErrorCode?: string; ErrorMessage?: string }[];
        };
        imported += response.SuccessCount ?? 0;
        for (const failed of response.FailedFindings ?? []) {
          const finding = batch.find((item) => item.Id === failed.Id);
          errors.push({
            account,
            region,
            urn: finding?.Resources[0]?.Id,
            resourceName: finding
              ? `Security Hub finding for ${finding.Resources[0]?.Details.Other["resourceName"] ?? failed.Id}`
              : failed.Id,
            message: `Security Hub refused finding ${JSON.stringify(failed.Id ?? "")} (${failed.ErrorCode ?? "no error code"}: ${failed.ErrorMessage ?? ""}); it was not imported.`,
          });
        }
      } catch (error) {
        errors.push({
          account,
          region,
          resourceName: `Security Hub in ${account}/${region}`,
          message: `${describeFailure(error, "securityhub:BatchImportFindings", `${batch.length} finding(s) for Security Hub`)} Security Hub must be enabled in the account and region, and the credentials allowed securityhub:BatchImportFindings.`,
        });
      }
    }),
  );
  return { imported, errors };
}
