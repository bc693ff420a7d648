// Command-line arguments of `audit`. Usage errors are InputErrors (exit 2).
import { OUTPUT_FORMATS, type OutputFormat } from "../report";
import { flagValue, tokenizeFlags } from "../shared/flags";
import { InputError } from "../shared/inputError";
import { DEFAULT_CONCURRENCY } from "./client";
import { DEFAULT_ROLE_NAME, DEFAULT_ROLE_SESSION_NAME } from "./scope";

export type AuditFormat = OutputFormat | "asff";
export const AUDIT_FORMATS: readonly AuditFormat[] = [...OUTPUT_FORMATS, "asff"];

export interface AuditArgs {
  /** Where STS, Organizations and EC2 are called; the audited region when --regions is absent. */
  readonly region: string;
  /** --regions: a list, or "all" (each account's enabled regions); undefined means [region]. */
  readonly regions?: readonly string[] | "all";
  readonly accounts?: readonly string[];
  readonly organization: boolean;
  readonly roleName: string;
  readonly externalId?: string;
  readonly roleSessionName: string;
  readonly concurrency: number;
  readonly quiet: boolean;
  readonly output?: string;
  /** A JSON report of an earlier run: violations already in it do not fail this one. */
  readonly baseline?: string;
  readonly securityHub: boolean;
  readonly profile?: string;
  readonly endpoint?: string;
  readonly applications?: readonly string[];
  readonly format: AuditFormat;
  readonly policyConfig?: string;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run audit -- [--region REGION] [--regions r1,r2|all]
                      [--accounts id1,id2 | --organization] [--role-name NAME] [--external-id ID] [--role-session-name NAME]
                      [--profile PROFILE] [--endpoint-url URL] [--application NAME ...] [--policy-config FILE]
                      [--format table|json|sarif|asff] [--output FILE] [--baseline FILE] [--security-hub]
                      [--concurrency N] [--quiet]

Checks the CodeDeploy deployment groups deployed in AWS accounts against the codedeploy-guardrails policies.
  --region              the region audited (and where STS, Organizations and EC2 are called); default AWS_REGION
  --regions             regions to audit, comma-separated, or "all" for each account's enabled regions
  --accounts            audit these accounts, assuming --role-name (default ${DEFAULT_ROLE_NAME}) in each
  --organization        audit every ACTIVE account of the organization (the management account with its own credentials)
  --external-id, --role-session-name (default ${DEFAULT_ROLE_SESSION_NAME}) are passed to sts:AssumeRole
  --application         may be repeated; without it every application is audited
  --policy-config       the same JSON file as \`pulumi preview --policy-pack-config\`
  --format asff         AWS Security Finding Format findings; --security-hub imports them into each audited account and region
  --output FILE         write the results to FILE instead of stdout
  --baseline FILE       a JSON report of an earlier run: violations already in it are reported but do not fail the run
  --concurrency N       requests in flight at once (default ${DEFAULT_CONCURRENCY})
  --quiet               no progress on stderr
  --endpoint-url (or AWS_ENDPOINT_URL) points every AWS call at LocalStack or another emulator.
Exit status: 0 nothing mandatory violated and everything read; 1 mandatory violations or something that
could not be read; 2 usage or input error, no usable credentials, or the endpoint could not be reached.`;

const VALUE_FLAGS = [
  "--region",
  "--regions",
  "--accounts",
  "--role-name",
  "--external-id",
  "--role-session-name",
  "--concurrency",
  "--output",
  "--baseline",
  "--profile",
  "--endpoint-url",
  "--application",
  "--format",
  "--policy-config",
];
const BOOLEAN_FLAGS = ["--organization", "--quiet", "--security-hub"];

const REGION = /^[a-z]{2,}(-[a-z]+)+-\d{1,2}$/;
const ACCOUNT = /^\d{12}$/;
// IAM's own rules: role names [\w+=,.@-]{1,64}; session names [\w+=,.@-]{2,64}; external ids [\w+=,.@:/-]{2,1224}.
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

function checkEndpoint(url: string, source: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`${source} is not a URL: ${JSON.stringify(url)}.`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new InputError(`${source} must be an http or https URL; found ${JSON.stringify(url)}.`);
  return url;
}

function list(value: string, flag: string, pattern: RegExp, what: string): string[] {
  const items = value.split(",").map((item) => item.trim());
  for (const item of items)
    if (!pattern.test(item)) throw new InputError(`${flag} takes ${what}, comma-separated; ${JSON.stringify(item)} is not one.`);
  return [...new Set(items)];
}

export function parseAuditArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): AuditArgs {
  const tokens = tokenizeFlags(argv, {
    valueFlags: VALUE_FLAGS,
    booleanFlags: BOOLEAN_FLAGS,
    repeatable: ["--application"],
    positionals: false,
    usage: USAGE,
  });
  const { booleans, help } = tokens;
  const format = flagValue(tokens, "--format") ?? "table";
  if (!(AUDIT_FORMATS as readonly string[]).includes(format))
    throw new InputError(`--format must be one of ${AUDIT_FORMATS.join(", ")}; found ${JSON.stringify(format)}.`);

  const regionsFlag = flagValue(tokens, "--regions");
  const regions: readonly string[] | "all" | undefined =
    regionsFlag === undefined
      ? undefined
      : regionsFlag === "all"
        ? "all"
        : list(regionsFlag, "--regions", REGION, 'region names (or "all")');
  const explicitRegion = flagValue(tokens, "--region");
  if (explicitRegion !== undefined && !REGION.test(explicitRegion))
    throw new InputError(`--region takes a region name such as eu-west-1; found ${JSON.stringify(explicitRegion)}.`);
  const region =
    explicitRegion ?? env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"] ?? (Array.isArray(regions) ? (regions as string[])[0] : undefined);
  if (!help && !region)
    throw new InputError(
      `--region is required (or AWS_REGION${regions === "all" ? "; --regions all needs a region to ask for the account's regions" : ""}).\n${USAGE}`,
    );

  const accountsFlag = flagValue(tokens, "--accounts");
  const accounts = accountsFlag === undefined ? undefined : list(accountsFlag, "--accounts", ACCOUNT, "12-digit account ids");
  const organization = booleans.has("--organization");
  if (accounts && organization)
    throw new InputError("--accounts and --organization cannot be combined: --organization already audits every account.");
  const roleName = flagValue(tokens, "--role-name");
  const externalId = flagValue(tokens, "--external-id");
  const roleSessionName = flagValue(tokens, "--role-session-name");
  for (const [flag, value] of [
    ["--role-name", roleName],
    ["--external-id", externalId],
    ["--role-session-name", roleSessionName],
  ] as const)
    if (value !== undefined && !accounts && !organization)
      throw new InputError(`${flag} only applies with --accounts or --organization (it is passed to sts:AssumeRole).`);
  if (roleName !== undefined && !ROLE_NAME.test(roleName))
    throw new InputError(`--role-name is not a valid IAM role name: ${JSON.stringify(roleName)}.`);
  if (roleSessionName !== undefined && !SESSION_NAME.test(roleSessionName))
    throw new InputError(`--role-session-name must be 2 to 64 characters of letters, digits and +=,.@_-.`);
  // The external id is a shared secret: never echoed.
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId))
    throw new InputError(`--external-id must be 2 to 1224 characters of letters, digits and +=,.@:/_-.`);

  const concurrencyFlag = flagValue(tokens, "--concurrency");
  const concurrency = concurrencyFlag === undefined ? DEFAULT_CONCURRENCY : Number(concurrencyFlag);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)
    throw new InputError(`--concurrency must be a whole number from 1 to 256; found ${JSON.stringify(concurrencyFlag)}.`);

  const securityHub = booleans.has("--security-hub");
  const flagEndpoint = flagValue(tokens, "--endpoint-url");
  const envEndpoint = env["AWS_ENDPOINT_URL_CODEDEPLOY"]
    ? "AWS_ENDPOINT_URL_CODEDEPLOY"
    : env["AWS_ENDPOINT_URL"]
      ? "AWS_ENDPOINT_URL"
      : undefined;
  const endpoint = flagEndpoint
    ? checkEndpoint(flagEndpoint, "--endpoint-url")
    : envEndpoint
      ? checkEndpoint(env[envEndpoint]!, envEndpoint)
      : undefined;
  return {
    region: region ?? "",
    regions,
    accounts,
    organization,
    roleName: roleName ?? DEFAULT_ROLE_NAME,
    externalId,
    roleSessionName: roleSessionName ?? DEFAULT_ROLE_SESSION_NAME,
    concurrency,
    quiet: booleans.has("--quiet"),
    output: flagValue(tokens, "--output"),
    baseline: flagValue(tokens, "--baseline"),
    securityHub,
    profile: flagValue(tokens, "--profile"),
    endpoint,
    applications: tokens.values.get("--application"),
    format: format as AuditFormat,
    policyConfig: flagValue(tokens, "--policy-config"),
    help,
  };
}
