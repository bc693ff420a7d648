// The audit as a function: fetch what is deployed, map it onto the pack's model, evaluate the same
// rule core with the same config, and fold whatever could not be read into the report as errors.
//
// What the audit cannot tell apart: a settings block the endpoint did not return, and one that is
// not set. Both read as unset, which is fail-closed for the rollback policies (no
// autoRollbackConfiguration or alarmConfiguration is a mandatory violation), so an endpoint that
// drops those blocks (moto drops alarmConfiguration) can make the audit stricter, never laxer.
import { builtInDeploymentConfig, isBuiltInName } from "../../policy-pack/core/catalog";
import type { CodeDeployModel, DeploymentGroupModel } from "../../policy-pack/core/model";
import { evaluateStack, type EvaluatedFinding, type PolicyPackConfigFile } from "../../policy-pack/evaluate";
import {
  accountIdFromArn,
  apiApplication,
  apiDeploymentConfig,
  apiDeploymentGroup,
  applicationArn,
  deploymentConfigArn,
  deploymentGroupArn,
  type ApiLocation,
} from "../../policy-pack/adapters/codedeployApi";
import { exitCodeFor, reportFromFindings, type Report, type ReportError } from "../report";
import { createCodeDeployClient, type CodeDeploySender, type RetryOptions } from "./client";
import { fetchInventory, type FetchFailure, type Inventory } from "./fetch";

export interface AuditOptions {
  readonly region: string;
  readonly profile?: string;
  readonly endpoint?: string;
  readonly applications?: readonly string[];
  /** The parsed `--policy-pack-config` file; `{}` for the pack's defaults. */
  readonly policyConfig?: PolicyPackConfigFile;
  readonly now?: Date;
  readonly retry?: RetryOptions;
  /** A client to use instead of one built from region/profile/endpoint (tests). */
  readonly client?: CodeDeploySender;
  /** The account of the ARNs; learnt from the groups' service role ARNs when absent. */
  readonly accountId?: string;
  /** Progress lines (stderr in the CLI). */
  readonly log?: (line: string) => void;
}

export interface AuditResult {
  readonly report: Report;
  readonly findings: readonly EvaluatedFinding[];
  readonly errors: readonly ReportError[];
  readonly models: readonly CodeDeployModel[];
  /** The endpoint could not be reached at all for some call. */
  readonly unreachable: boolean;
  /** 0 clean, 1 mandatory violations or unread resources, 2 endpoint unreachable. */
  readonly exitCode: 0 | 1 | 2;
  readonly inventory: Inventory;
}

function learnAccountId(inventory: Inventory): string {
  for (const info of inventory.groups) {
    const account = accountIdFromArn(info["serviceRoleArn"]);
    if (account) return account;
  }
  return "";
}

function errorOf(failure: FetchFailure, location: ApiLocation): ReportError {
  const resource = failure.resource;
  switch (resource.kind) {
    case "account":
      return { resourceName: `CodeDeploy in ${location.region}`, message: failure.message };
    case "application":
      return { urn: applicationArn(location, resource.application), resourceName: resource.application, message: failure.message };
    case "deploymentGroup":
      return {
        urn: deploymentGroupArn(location, resource.application, resource.group),
        resourceName: `${resource.application}/${resource.group}`,
        message: failure.message,
      };
    case "deploymentConfig":
      return { urn: deploymentConfigArn(location, resource.name), resourceName: resource.name, message: failure.message };
  }
}

/** Groups whose platform neither their own answer nor their application's states: never guessed. */
function platformUnknown(group: DeploymentGroupModel, applications: ReadonlySet<string>): boolean {
  if (group.hasEcsService === true || typeof group.computePlatform === "string") return false;
  return typeof group.applicationName !== "string" || !applications.has(group.applicationName);
}

export function evaluateInventory(
  inventory: Inventory,
  options: Pick<AuditOptions, "region" | "accountId" | "policyConfig" | "now">,
): AuditResult {
  const location: ApiLocation = { region: options.region, accountId: options.accountId ?? learnAccountId(inventory) };
  const errors: ReportError[] = inventory.failures.map((failure) => errorOf(failure, location));
  const applications = inventory.applications.map((info) => apiApplication(info, location));
  const applicationNames = new Set(applications.map((application) => application.resource.name));
  const groups: DeploymentGroupModel[] = [];
  for (const info of inventory.groups) {
    const group = apiDeploymentGroup(info, location);
    if (platformUnknown(group, applicationNames)) {
      errors.push({
        urn: group.resource.urn,
        resourceName: group.resource.name,
        message: `Deployment group "${group.resource.name}": CodeDeploy did not state its compute platform and its application could not be read, so the policies that depend on the platform cannot be decided; it was not checked.`,
      });
      continue;
    }
    const configName = group.deploymentConfigName;
    if (typeof configName === "string" && isBuiltInName(configName) && !builtInDeploymentConfig(configName)) {
      errors.push({
        urn: group.resource.urn,
        resourceName: group.resource.name,
        message: `Deployment group "${group.resource.name}" uses deployment config ${configName}, which is not in this pack's catalog of built-in configs, so its minimum healthy hosts and traffic shifting could not be checked; declare it in externalDeploymentConfigs or update the pack.`,
      });
    }
    groups.push(group);
  }
  const configs = inventory.configs.map((info) => apiDeploymentConfig(info, location));
  const models: CodeDeployModel[] = [...applications, ...groups, ...configs];
  const findings = evaluateStack(models, options.policyConfig ?? {}, options.now ?? new Date());
  const report = reportFromFindings(findings, models.length, errors);
  const exitCode: 0 | 1 | 2 = inventory.unreachable ? 2 : exitCodeFor(report);
  return { report, findings, errors, models, unreachable: inventory.unreachable, exitCode, inventory };
}

export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  const client = options.client ?? createCodeDeployClient(options);
  try {
    const inventory = await fetchInventory(client, { applications: options.applications, log: options.log });
    return evaluateInventory(inventory, options);
  } finally {
    if (!options.client && "destroy" in client && typeof client.destroy === "function") client.destroy();
  }
}
