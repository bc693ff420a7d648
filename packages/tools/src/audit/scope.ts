// Which accounts and regions an audit covers, and the credentials for each: the current
// credentials' own account, the accounts named with --accounts, or every ACTIVE account of the
// organization, each reached by assuming a role from the current credentials. The account id and
// partition of every set of credentials come from STS GetCallerIdentity, never from the resources.
import { DescribeRegionsCommand } from "@aws-sdk/client-ec2";
import { ListAccountsCommand } from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import type { ClientFactory, CredentialSource } from "./client";
import { classifyFailure, describeFailure } from "./errors";

export const DEFAULT_ROLE_NAME = "OrganizationAccountAccessRole";
export const DEFAULT_ROLE_SESSION_NAME = "codedeploy-guardrails-audit";
/** Assumed-role credentials are renewed when they have less than this left. */
const RENEW_BEFORE_MS = 5 * 60_000;

export interface Identity {
  readonly accountId: string;
  readonly partition: string;
  readonly arn: string;
}

/** One account to audit, and how to reach it. */
export interface AccountTarget {
  readonly accountId: string;
  readonly partition: string;
  readonly credentials: CredentialSource;
  /** The role assumed to reach it; undefined for the current credentials' own account. */
  readonly roleArn?: string;
}

/** Something about the audit's scope that could not be read: an error entry naming account and region. */
export interface ScopeError {
  readonly account?: string;
  readonly region?: string;
  readonly resourceName: string;
  readonly message: string;
}

/** The audit cannot start at all: no credentials, credentials refused, endpoint unreachable. Exit 2. */
export class AuditFatalError extends Error {}

export interface AccountSelection {
  /** --accounts: exactly these accounts. */
  readonly accounts?: readonly string[];
  /** --organization: every ACTIVE account of the organization. */
  readonly organization?: boolean;
  readonly roleName?: string;
  readonly externalId?: string;
  readonly roleSessionName?: string;
}

function partitionOfArn(arn: string): string | undefined {
  return /^arn:([a-z-]+):/.exec(arn)?.[1];
}

/** Who the credentials are, from STS. */
export async function callerIdentity(factory: ClientFactory, region: string, credentials: CredentialSource): Promise<Identity> {
  const response = (await factory.client("sts", region, credentials).send(new GetCallerIdentityCommand({}))) as {
    Account?: string;
    Arn?: string;
  };
  const accountId = response.Account ?? "";
  const arn = response.Arn ?? "";
  const partition = partitionOfArn(arn);
  if (!/^\d{12}$/.test(accountId) || !partition)
    throw new Error(`sts:GetCallerIdentity answered without a 12-digit account id and an ARN (account ${JSON.stringify(accountId)}).`);
  return { accountId, partition, arn };
}

/**
 * The current credentials' identity. Any failure here stops the audit with exit 2: without
 * credentials (the SDK's own reason is kept), or with refused ones, nothing can be read anywhere.
 */
export async function baseIdentity(factory: ClientFactory, region: string, credentials: CredentialSource): Promise<Identity> {
  try {
    return await callerIdentity(factory, region, credentials);
  } catch (error) {
    const e = error as { name?: string; message?: string };
    if (e.name === "CredentialsProviderError")
      throw new AuditFatalError(
        `no AWS credentials: ${e.message ?? String(error)} (set a profile with --profile or AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).`,
      );
    if (classifyFailure(error) === "credentials")
      throw new AuditFatalError(
        `the credentials were refused by sts:GetCallerIdentity (${e.name}: ${e.message ?? ""}); check the profile, region and keys.`,
      );
    throw new AuditFatalError(describeFailure(error, "sts:GetCallerIdentity", "the identity of the current credentials"));
  }
}

/** Credentials of `roleArn`, assumed from `from`, renewed before they expire. */
function assumedRole(
  factory: ClientFactory,
  region: string,
  from: CredentialSource,
  roleArn: string,
  selection: AccountSelection,
): CredentialSource {
  let current: AwsCredentialIdentity | undefined;
  const sts = factory.client("sts", region, from);
  return {
    kind: "provider",
    provider: async () => {
      if (current && (!current.expiration || current.expiration.getTime() - Date.now() > RENEW_BEFORE_MS)) return current;
      const response = (await sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: selection.roleSessionName ?? DEFAULT_ROLE_SESSION_NAME,
          ...(selection.externalId ? { ExternalId: selection.externalId } : {}),
        }),
      )) as { Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } };
      const credentials = response.Credentials;
      if (!credentials?.AccessKeyId || !credentials.SecretAccessKey)
        throw new Error(`sts:AssumeRole answered without credentials for ${roleArn}.`);
      current = {
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        sessionToken: credentials.SessionToken,
        expiration: credentials.Expiration,
      };
      return current;
    },
  };
}

async function organizationAccounts(factory: ClientFactory, region: string, credentials: CredentialSource): Promise<string[]> {
  const organizations = factory.client("organizations", region, credentials);
  const ids: string[] = [];
  let nextToken: string | undefined;
  const seen = new Set<string>();
  do {
    const response = (await organizations.send(new ListAccountsCommand({ NextToken: nextToken }))) as {
      Accounts?: { Id?: string; Status?: string; State?: string }[];
      NextToken?: string;
    };
    for (const account of response.Accounts ?? []) {
      // `State` replaces the deprecated `Status`; either says ACTIVE for an account that can be audited.
      if (account.Id && (account.State ?? account.Status) === "ACTIVE") ids.push(account.Id);
    }
    nextToken = response.NextToken || undefined;
    if (nextToken && seen.has(nextToken))
      throw new Error("organizations:ListAccounts repeated a page token; the account list is incomplete.");
    if (nextToken) seen.add(nextToken);
  } while (nextToken);
  return ids;
}

/**
 * The accounts to audit. An account that cannot be reached is an error entry naming it and what
 * to allow; every other account is still audited.
 */
export async function resolveAccounts(
  factory: ClientFactory,
  region: string,
  base: Identity,
  baseCredentials: CredentialSource,
  selection: AccountSelection,
): Promise<{ accounts: AccountTarget[]; errors: ScopeError[] }> {
  const errors: ScopeError[] = [];
  const own: AccountTarget = { accountId: base.accountId, partition: base.partition, credentials: baseCredentials };
  let ids: string[];
  if (selection.organization) {
    try {
      ids = await organizationAccounts(factory, region, baseCredentials);
    } catch (error) {
      errors.push({
        account: base.accountId,
        resourceName: `organization of account ${base.accountId}`,
        message: `${describeFailure(error, "organizations:ListAccounts", "the accounts of the organization")} Only account ${base.accountId} (the current credentials) was audited; --organization needs the management account's credentials (or a delegated administrator's).`,
      });
      ids = [base.accountId];
    }
    // The management account is audited with its own credentials, whatever ListAccounts says.
    if (!ids.includes(base.accountId)) ids.push(base.accountId);
  } else if (selection.accounts) ids = [...new Set(selection.accounts)];
  else return { accounts: [own], errors };

  const roleName = selection.roleName ?? DEFAULT_ROLE_NAME;
  const targets = await Promise.all(
    ids.map(async (accountId): Promise<AccountTarget | undefined> => {
      if (accountId === base.accountId) return own;
      const roleArn = `arn:${base.partition}:iam::${accountId}:role/${roleName}`;
      const credentials = assumedRole(factory, region, baseCredentials, roleArn, selection);
      try {
        if (credentials.kind === "provider") await credentials.provider();
      } catch (error) {
        errors.push({
          account: accountId,
          resourceName: `account ${accountId}`,
          message: `${describeFailure(error, "sts:AssumeRole", `role ${roleArn}`)} Account ${accountId} was not audited: allow ${base.arn} to call sts:AssumeRole on ${roleArn} (the role's trust policy and the caller's own policy), or name another role with --role-name.`,
        });
        return undefined;
      }
      try {
        const identity = await callerIdentity(factory, region, credentials);
        if (identity.accountId !== accountId)
          throw new Error(`the assumed role's credentials belong to account ${identity.accountId}, not ${accountId}`);
        return { accountId, partition: identity.partition, credentials, roleArn };
      } catch (error) {
        errors.push({
          account: accountId,
          resourceName: `account ${accountId}`,
          message: `${describeFailure(error, "sts:GetCallerIdentity", `the identity of role ${roleArn}`)} Account ${accountId} was not audited.`,
        });
        return undefined;
      }
    }),
  );
  const accounts = targets.filter((target): target is AccountTarget => target !== undefined);
  accounts.sort((a, b) => a.accountId.localeCompare(b.accountId));
  return { accounts, errors };
}

/** Opt-in statuses of a region an account can use; `not-opted-in` regions are left out. */
const ENABLED_OPT_IN = new Set(["opt-in-not-required", "opted-in"]);

/** The regions of `account` to audit: the given list, or its enabled regions from EC2 DescribeRegions. */
export async function regionsOf(
  factory: ClientFactory,
  homeRegion: string,
  account: AccountTarget,
  regions: readonly string[] | "all",
): Promise<{ regions: string[]; error?: ScopeError }> {
  if (regions !== "all") return { regions: [...regions] };
  try {
    const response = (await factory.client("ec2", homeRegion, account.credentials).send(new DescribeRegionsCommand({}))) as {
      Regions?: { RegionName?: string; OptInStatus?: string }[];
    };
    const names = (response.Regions ?? [])
      .filter((region) => region.RegionName && (region.OptInStatus === undefined || ENABLED_OPT_IN.has(region.OptInStatus)))
      .map((region) => region.RegionName!)
      .sort();
    return { regions: names };
  } catch (error) {
    return {
      regions: [],
      error: {
        account: account.accountId,
        region: homeRegion,
        resourceName: `regions of account ${account.accountId}`,
        message: `${describeFailure(error, "ec2:DescribeRegions", `the enabled regions of account ${account.accountId}`)} No region of account ${account.accountId} was audited; allow ec2:DescribeRegions or name the regions with --regions.`,
      },
    };
  }
}
