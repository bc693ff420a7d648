// The `audit` command: arguments in, report on stdout, progress on stderr, exit status out.
import { renderReport } from "../report";
import { parseAuditArgs, USAGE } from "./args";
import { runAudit, type AuditOptions } from "./audit";
import { InputError } from "../shared/inputError";
import { loadPolicyConfigFile } from "../shared/policyConfigFile";

export interface CliIo {
  readonly env?: NodeJS.ProcessEnv;
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  /** Passed through to runAudit (tests inject fast retries or a fake client). */
  readonly overrides?: Partial<Pick<AuditOptions, "retry" | "client" | "now" | "accountId">>;
}

export async function runAuditCli(argv: readonly string[], io: CliIo = {}): Promise<0 | 1 | 2> {
  const stdout = io.stdout ?? ((text) => process.stdout.write(text));
  const stderr = io.stderr ?? ((text) => process.stderr.write(text));
  const now = io.overrides?.now ?? new Date();
  try {
    const args = parseAuditArgs(argv, io.env ?? process.env);
    if (args.help) {
      stdout(`${USAGE}\n`);
      return 0;
    }
    const policyConfig = args.policyConfig ? loadPolicyConfigFile(args.policyConfig, now) : {};
    stderr(
      `audit: region ${args.region}${args.endpoint ? `, endpoint ${args.endpoint}` : ""}${args.profile ? `, profile ${args.profile}` : ""}\n`,
    );
    const result = await runAudit({
      region: args.region,
      profile: args.profile,
      endpoint: args.endpoint,
      applications: args.applications,
      policyConfig,
      now,
      log: (line) => stderr(`audit: ${line}\n`),
      ...io.overrides,
    });
    stdout(renderReport(result.report, args.format) + "\n");
    for (const error of result.errors) stderr(`audit: error: ${error.message}\n`);
    if (result.unreachable) stderr("audit: the endpoint could not be reached; nothing that was not read is reported compliant.\n");
    return result.exitCode;
  } catch (error) {
    if (error instanceof InputError) {
      stderr(`audit: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
