// Command-line arguments of `audit`. Usage errors are InputErrors (exit 2).
import { OUTPUT_FORMATS, type OutputFormat } from "../report";
import { InputError } from "../shared/inputError";

export interface AuditArgs {
  readonly region: string;
  readonly profile?: string;
  readonly endpoint?: string;
  readonly applications?: readonly string[];
  readonly format: OutputFormat;
  readonly policyConfig?: string;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run audit -- --region REGION [--profile PROFILE] [--endpoint-url URL]
                      [--application NAME ...] [--format table|json|sarif] [--policy-config FILE]

Checks the CodeDeploy deployment groups deployed in an AWS account against the codedeploy-guardrails
policies. --endpoint-url (or AWS_ENDPOINT_URL) points it at LocalStack or another emulator.
--application may be repeated; without it every application in the region is audited.
--policy-config takes the same JSON file as \`pulumi preview --policy-pack-config\`.
Exit status: 0 nothing mandatory violated and everything read; 1 mandatory violations or resources
that could not be read; 2 usage or input error, or the endpoint could not be reached.`;

const VALUE_FLAGS = new Set(["--region", "--profile", "--endpoint-url", "--application", "--format", "--policy-config"]);

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

export function parseAuditArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): AuditArgs {
  const values = new Map<string, string[]>();
  let help = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === "--help" || argument === "-h") {
      help = true;
      continue;
    }
    const equals = argument.indexOf("=");
    const flag = equals > 0 ? argument.slice(0, equals) : argument;
    if (!VALUE_FLAGS.has(flag)) throw new InputError(`Unknown argument ${JSON.stringify(argument)}.\n${USAGE}`);
    let value: string | undefined;
    if (equals > 0) value = argument.slice(equals + 1);
    else {
      value = argv[index + 1];
      index++;
    }
    if (value === undefined || value === "" || (equals < 0 && value.startsWith("--")))
      throw new InputError(`${flag} needs a value.\n${USAGE}`);
    values.set(flag, [...(values.get(flag) ?? []), value]);
  }
  const single = (flag: string): string | undefined => {
    const found = values.get(flag);
    if (found && found.length > 1) throw new InputError(`${flag} may be given only once.`);
    return found?.[0];
  };
  const format = single("--format") ?? "table";
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format))
    throw new InputError(`--format must be one of ${OUTPUT_FORMATS.join(", ")}; found ${JSON.stringify(format)}.`);
  const region = single("--region") ?? env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"];
  if (!help && !region) throw new InputError(`--region is required.\n${USAGE}`);
  const flagEndpoint = single("--endpoint-url");
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
  const applications = values.get("--application");
  return {
    region: region ?? "",
    profile: single("--profile"),
    endpoint,
    applications: applications,
    format: format as OutputFormat,
    policyConfig: single("--policy-config"),
    help,
  };
}
