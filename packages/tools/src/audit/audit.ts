// The audit as a function: for every account and region in scope (concurrently), fetch what is
// deployed, check that the alarms the groups watch exist, map it onto the pack's model, evaluate the
// same rule core with the same config, and fold whatever could not be read into the report as
// errors naming the account and region.
//
// What the audit cannot tell apart: a settings block the endpoint did not return, and one that is
// not set. Both read as unset, which is fail-closed for the rollback policies (no
// autoRollbackConfiguration or alarmConfiguration is a mandatory violation), so an endpoint that
// drops those blocks (moto drops alarmConfiguration) can make the audit stricter, never laxer.
import { builtInDeploymentConfig, isBuiltInName } from "codedeploy-guardrails/core/catalog";
import { isMalformed, isUnknown, type CodeDeployModel, type DeploymentGroupModel } from "codedeploy-guardrails/core/model";
import { evaluateStack, type EvaluatedFinding, type PolicyPackConfigFile } from "codedeploy-guardrails/evaluate";
import {
  accountIdFromArn,
  apiApplication,
  apiDeploymentConfig,
  apiDeploymentGroup,
  applicationArn,
  deploymentConfigArn,
  deploymentGroupArn,
  partitionOf,
  type ApiLocation,
} from "codedeploy-guardrails/adapters/codedeployApi";
import {
  buildReport,
  exitCodeFor,
  violationFromFinding,
  withScopeSummary,
  type Report,
  type ReportError,
  type ReportViolation,
} from "../report";
import { toAsff } from "../report/asff";
import { alarmNamesOf, existingAlarms, watchedAlarmNames, withExistingAlarms } from "./alarms";
import { ClientFactory, type AwsService, type CodeDeploySender, type CredentialSource, type RetryOptions } from "./client";
import { classifyFailure, describeFailure } from "./errors";
import { BatchSupport, fetchInventory, type FetchFailure, type Inventory } from "./fetch";
import type { Progress } from "./progress";
import {
  type AuditFatalError as FatalError,
  baseIdentity,
  regionsOf,
  resolveAccounts,
  type AccountSelection,
  type AccountTarget,
  type ScopeError,
} from "./scope";
import { importFindings } from "./securityHub";

export { AuditFatalError } from "./scope";

export interface AuditOptions extends AccountSelection {
  /** The region audited when `regions` is absent; also where STS, Organizations and EC2 are called. */
  readonly region: string;
  /** Regions to audit, or "all" (each account's enabled regions); `[region]` when absent. */
  readonly regions?: readonly string[] | "all";
  readonly profile?: string;
  /** One endpoint for every AWS service (an emulator such as moto). */
  readonly endpoint?: string;
  /** Per-service endpoints, over `endpoint` (tests: a fake for one service, the emulator for the rest). */
  readonly endpoints?: Partial<Record<AwsService, string>>;
  readonly applications?: readonly string[];
  /** The parsed `--policy-pack-config` file; `{}` for the pack's defaults. */
  readonly policyConfig?: PolicyPackConfigFile;
  readonly now?: Date;
  readonly retry?: RetryOptions;
  /** Requests in flight at once across the whole run. */
  readonly concurrency?: number;
  /** Import the findings into Security Hub in each audited account and region. */
  readonly securityHub?: boolean;
  /**
   * A sender to use instead of AWS clients, for CodeDeploy and CloudWatch calls of one account and
   * region (tests). No STS call is made; the account is `accountId`, else learnt from the groups'
   * service role ARNs.
   */
  readonly client?: CodeDeploySender;
  readonly accountId?: string;
  /** Notes (stderr in the CLI). */
  readonly log?: (line: string) => void;
  readonly progress?: Progress;
}

/** One account and region, as read and evaluated. */
export interface ScopeResult {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly inventory: Inventory;
  readonly models: readonly CodeDeployModel[];
  readonly findings: readonly EvaluatedFinding[];
  readonly violations: readonly ReportViolation[];
  readonly errors: readonly ReportError[];
  readonly credentials?: CredentialSource;
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
  /** Everything read, over every scope. */
  readonly inventory: Inventory;
  readonly scopes: readonly ScopeResult[];
  /** HTTP requests sent (retries included), by `service:Operation`; empty with an injected client. */
  readonly requests: { readonly total: number; readonly byOperation: Readonly<Record<string, number>> };
  /** Findings imported into Security Hub (with `securityHub`). */
  readonly imported: number;
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
  const where = { account: location.accountId, region: location.region };
  switch (resource.kind) {
    case "account":
      return { ...where, resourceName: `CodeDeploy in ${location.accountId}/${location.region}`, message: failure.message };
    case "application":
      return {
        ...where,
        urn: applicationArn(location, resource.application),
        resourceName: resource.application,
        message: failure.message,
      };
    case "deploymentGroup":
      return {
        ...where,
        urn: deploymentGroupArn(location, resource.application, resource.group),
        resourceName: `${resource.application}/${resource.group}`,
        message: failure.message,
      };
    case "deploymentConfig":
      return { ...where, urn: deploymentConfigArn(location, resource.name), resourceName: resource.name, message: failure.message };
  }
}

/** Groups whose platform neither their own answer nor their application's states: never guessed. */
function platformUnknown(group: DeploymentGroupModel, applications: ReadonlySet<string>): boolean {
  if (group.hasEcsService === true || typeof group.computePlatform === "string") return false;
  return typeof group.applicationName !== "string" || !applications.has(group.applicationName);
}

/** The group's model with `absentAlarms` set, when some of its alarms were found missing. */
function withAbsentAlarms(group: DeploymentGroupModel, absent: number): DeploymentGroupModel {
  const alarms = group.alarmConfiguration;
  if (absent === 0 || alarms === undefined || isUnknown(alarms) || isMalformed(alarms)) return group;
  return { ...group, alarmConfiguration: { ...alarms, absentAlarms: absent } };
}

export interface EvaluateOptions {
  readonly region: string;
  readonly accountId?: string;
  readonly partition?: string;
  readonly policyConfig?: PolicyPackConfigFile;
  readonly now?: Date;
  /** Alarm names that exist in CloudWatch here; undefined when they were not (or could not be) looked up. */
  readonly existingAlarms?: ReadonlySet<string>;
  /** Errors about this scope found outside the inventory (alarm lookups). */
  readonly extraErrors?: readonly ReportError[];
}

/** One account and region's inventory evaluated on its own: names only ever resolve within it. */
export function evaluateScope(inventory: Inventory, options: EvaluateOptions): ScopeResult {
  const accountId = options.accountId ?? learnAccountId(inventory);
  const location: ApiLocation = { region: options.region, accountId, partition: options.partition };
  const where = { account: accountId, region: options.region };
  const errors: ReportError[] = [...inventory.failures.map((failure) => errorOf(failure, location)), ...(options.extraErrors ?? [])];
  const applications = inventory.applications.map((info) => apiApplication(info, location));
  const applicationNames = new Set(applications.map((application) => application.resource.name));
  const groups: DeploymentGroupModel[] = [];
  for (const raw of inventory.groups) {
    const { info, absent } = options.existingAlarms ? withExistingAlarms(raw, options.existingAlarms) : { info: raw, absent: 0 };
    const group = withAbsentAlarms(apiDeploymentGroup(info, location), absent);
    if (platformUnknown(group, applicationNames)) {
      errors.push({
        ...where,
        urn: group.resource.urn,
        resourceName: group.resource.name,
        message: `Deployment group "${group.resource.name}": CodeDeploy did not state its compute platform and its application could not be read, so the policies that depend on the platform cannot be decided; it was not checked.`,
      });
      continue;
    }
    const configName = group.deploymentConfigName;
    if (typeof configName === "string" && isBuiltInName(configName) && !builtInDeploymentConfig(configName)) {
      errors.push({
        ...where,
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
  const violations: ReportViolation[] = findings.map((finding) => ({ ...violationFromFinding(finding), ...where }));
  return {
    account: accountId,
    region: options.region,
    partition: options.partition ?? partitionOf(options.region),
    inventory,
    models,
    findings,
    violations,
    errors,
  };
}

function compareErrors(a: ReportError, b: ReportError): number {
  return (
    (a.account ?? "").localeCompare(b.account ?? "") ||
    (a.region ?? "").localeCompare(b.region ?? "") ||
    (a.urn ?? "").localeCompare(b.urn ?? "") ||
    (a.resourceName ?? "").localeCompare(b.resourceName ?? "") ||
    a.message.localeCompare(b.message)
  );
}

function mergeInventories(inventories: readonly Inventory[]): Inventory {
  return {
    applications: inventories.flatMap((inventory) => inventory.applications),
    groups: inventories.flatMap((inventory) => inventory.groups),
    configs: inventories.flatMap((inventory) => inventory.configs),
    failures: inventories.flatMap((inventory) => inventory.failures),
    unreachable: inventories.some((inventory) => inventory.unreachable),
    batchGetDeploymentGroups: inventories.some((inventory) => inventory.batchGetDeploymentGroups === "used")
      ? "used"
      : inventories.some((inventory) => inventory.batchGetDeploymentGroups === "unsupported")
        ? "unsupported"
        : "not needed",
  };
}

/** Looks up the alarms the groups watch; an error entry (never a silent pass) when CloudWatch cannot be read. */
async function lookUpAlarms(
  cloudwatch: CodeDeploySender,
  inventory: Inventory,
  where: { account: string; region: string },
): Promise<{ existing?: Set<string>; errors: ReportError[]; unreachable: boolean }> {
  const names = watchedAlarmNames(inventory.groups);
  if (names.length === 0) return { existing: new Set(), errors: [], unreachable: false };
  try {
    return { existing: await existingAlarms(cloudwatch, names), errors: [], unreachable: false };
  } catch (error) {
    const watching = inventory.groups.filter((info) => alarmNamesOf(info).length > 0).length;
    return {
      errors: [
        {
          ...where,
          resourceName: `CloudWatch alarms in ${where.account}/${where.region}`,
          // Never the names: alarm names are free text and may be secrets.
          message: describeFailure(
            error,
            "cloudwatch:DescribeAlarms",
            `whether the ${names.length} alarm(s) that ${watching} deployment group(s) watch exist`,
          ),
        },
      ],
      unreachable: classifyFailure(error) === "unreachable",
    };
  }
}

interface Context {
  readonly options: AuditOptions;
  readonly factory?: ClientFactory;
  readonly batchSupport: BatchSupport;
  readonly progress?: Progress;
}

async function auditScope(context: Context, account: AccountTarget, region: string): Promise<ScopeResult> {
  const { options, factory } = context;
  const codedeploy = options.client ?? factory!.client("codedeploy", region, account.credentials);
  const cloudwatch = options.client ?? factory!.client("cloudwatch", region, account.credentials);
  const inventory = await fetchInventory(codedeploy, {
    applications: options.applications,
    log: options.log,
    batchSupport: context.batchSupport,
    endpointKey: factory?.endpointFor("codedeploy") ?? `codedeploy.${region}`,
    probeClient: factory?.client("codedeploy", region, account.credentials, 1),
    onGroupsRead: (count) => {
      if (context.progress) context.progress.groupsRead += count;
    },
  });
  const accountId = account.accountId || learnAccountId(inventory);
  const alarms = inventory.unreachable
    ? { existing: undefined, errors: [], unreachable: false }
    : await lookUpAlarms(cloudwatch, inventory, { account: accountId, region });
  if (alarms.unreachable) inventory.unreachable = true;
  const result = evaluateScope(inventory, {
    region,
    accountId,
    partition: account.partition || undefined,
    policyConfig: options.policyConfig,
    now: options.now,
    existingAlarms: alarms.existing,
    extraErrors: alarms.errors,
  });
  if (context.progress) context.progress.scopesDone++;
  return { ...result, credentials: account.credentials };
}

export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  const batchSupport = new BatchSupport();
  const progress = options.progress;
  const factory = options.client
    ? undefined
    : new ClientFactory({
        endpoint: options.endpoint,
        endpoints: options.endpoints,
        retry: options.retry,
        concurrency: options.concurrency,
      });
  const context: Context = { options, factory, batchSupport, progress };
  const scopeErrors: ScopeError[] = [];
  const scopes: ScopeResult[] = [];
  progress?.start();
  try {
    let accounts: AccountTarget[];
    if (!factory) {
      accounts = [{ accountId: options.accountId ?? "", partition: "", credentials: { kind: "default" } }];
    } else {
      const baseCredentials: CredentialSource = { kind: "default", profile: options.profile };
      const base = await baseIdentity(factory, options.region, baseCredentials);
      const resolved = await resolveAccounts(factory, options.region, base, baseCredentials, options);
      accounts = resolved.accounts;
      scopeErrors.push(...resolved.errors);
    }
    if (progress) progress.accountsTotal = accounts.length;
    await Promise.all(
      accounts.map(async (account) => {
        const { regions, error } = factory
          ? await regionsOf(factory, options.region, account, options.regions ?? [options.region])
          : { regions: [options.region], error: undefined };
        if (error) scopeErrors.push(error);
        if (progress) progress.scopesTotal += regions.length;
        const results = await Promise.all(regions.map((region) => auditScope(context, account, region)));
        scopes.push(...results);
        if (progress) progress.accountsDone++;
      }),
    );
    scopes.sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region));

    let imported = 0;
    const importErrors: ReportError[] = [];
    if (options.securityHub && factory) {
      const now = options.now ?? new Date();
      await Promise.all(
        scopes.map(async (scope) => {
          const findings = toAsff(buildReport(scope.violations, 0), now);
          if (findings.length === 0 || !scope.credentials) return;
          const outcome = await importFindings(
            factory.client("securityhub", scope.region, scope.credentials),
            scope.account,
            scope.region,
            findings,
          );
          imported += outcome.imported;
          importErrors.push(...outcome.errors);
        }),
      );
    }

    const errors = [...scopeErrors, ...scopes.flatMap((scope) => scope.errors), ...importErrors].sort(compareErrors);
    const models = scopes.flatMap((scope) => scope.models);
    const report = withScopeSummary(
      buildReport(
        scopes.flatMap((scope) => scope.violations),
        models.length,
        errors,
      ),
    );
    const inventory = mergeInventories(scopes.map((scope) => scope.inventory));
    const exitCode: 0 | 1 | 2 = inventory.unreachable ? 2 : exitCodeFor(report);
    return {
      report,
      findings: scopes.flatMap((scope) => scope.findings),
      errors,
      models,
      unreachable: inventory.unreachable,
      exitCode,
      inventory,
      scopes,
      requests: {
        total: factory?.requests.total ?? 0,
        byOperation: Object.fromEntries([...(factory?.requests.byOperation ?? new Map<string, number>())].sort()),
      },
      imported,
    };
  } finally {
    progress?.stop();
    factory?.destroy();
  }
}

/** The report of an audit that could not start (exit 2): no resource, one error saying why. */
export function fatalReport(error: FatalError): Report {
  return withScopeSummary(buildReport([], 0, [{ message: error.message }]));
}
