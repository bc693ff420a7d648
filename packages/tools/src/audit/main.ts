// The `audit` command: arguments in, report on stdout (or --output FILE), progress on stderr, exit
// status out.
import { applyBaseline, exitCodeFor, readBaselineFile, renderReport, resolveOutputPath, writeReportOutput, type Report } from "../report";
import { toAsff } from "../report/asff";
import { InputError } from "../shared/inputError";
import { loadPolicyConfigFile } from "../shared/policyConfigFile";
import { parseAuditArgs, USAGE, type AuditFormat } from "./args";
import { AuditFatalError, fatalReport, runAudit, type AuditOptions } from "./audit";
import { Progress } from "./progress";

export interface CliIo {
  readonly env?: NodeJS.ProcessEnv;
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  /** Whether stderr is a terminal (a live progress line); process.stderr.isTTY when absent. */
  readonly stderrIsTTY?: boolean;
  /** Milliseconds between progress lines (tests). */
  readonly progressIntervalMs?: number;
  readonly cwd?: string;
  /** Passed through to runAudit (tests inject fast retries, a fake client or per-service endpoints). */
  readonly overrides?: Partial<Pick<AuditOptions, "retry" | "client" | "now" | "accountId" | "endpoints">>;
}

function render(report: Report, format: AuditFormat, now: Date): string {
  if (format === "asff") return `${JSON.stringify(toAsff(report, now), null, 2)}\n`;
  return renderReport(report, format);
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
    const baseline = args.baseline ? readBaselineFile(args.baseline) : undefined;
    const output = resolveOutputPath(args.output, io.cwd ?? process.cwd());
    const log = args.quiet ? () => {} : (line: string) => stderr(`audit: ${line}\n`);
    const progress = new Progress({
      write: stderr,
      mode: args.quiet ? "quiet" : (io.stderrIsTTY ?? process.stderr.isTTY === true) ? "live" : "lines",
      intervalMs: io.progressIntervalMs,
    });
    const scope = [
      args.organization
        ? "every account of the organization"
        : args.accounts
          ? `accounts ${args.accounts.join(", ")}`
          : "the current account",
      args.regions === "all" ? "every enabled region" : `region(s) ${(args.regions ?? [args.region]).join(", ")}`,
    ];
    log(`${scope.join(", ")}${args.endpoint ? `, endpoint ${args.endpoint}` : ""}${args.profile ? `, profile ${args.profile}` : ""}`);
    let report: Report;
    let exitCode: 0 | 1 | 2;
    try {
      const result = await runAudit({
        region: args.region,
        regions: args.regions,
        accounts: args.accounts,
        organization: args.organization,
        roleName: args.roleName,
        externalId: args.externalId,
        roleSessionName: args.roleSessionName,
        concurrency: args.concurrency,
        securityHub: args.securityHub,
        profile: args.profile,
        endpoint: args.endpoint,
        applications: args.applications,
        policyConfig,
        now,
        log,
        progress,
        ...io.overrides,
      });
      report = baseline ? applyBaseline(result.report, baseline) : result.report;
      exitCode = result.unreachable ? 2 : exitCodeFor(report);
      if (args.securityHub) log(`imported ${result.imported} finding(s) into Security Hub.`);
      if (result.unreachable) stderr("audit: the endpoint could not be reached; nothing that was not read is reported compliant.\n");
    } catch (error) {
      if (!(error instanceof AuditFatalError)) throw error;
      stderr(`audit: ${error.message}\n`);
      report = fatalReport(error);
      exitCode = 2;
    }
    writeReportOutput(render(report, args.format, now), output, stdout, log);
    if (exitCode !== 2) for (const error of report.errors) stderr(`audit: error: ${error.message}\n`);
    return exitCode;
  } catch (error) {
    if (error instanceof InputError) {
      stderr(`audit: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
