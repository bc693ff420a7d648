// The `check` command: arguments in, report on stdout, progress on stderr, exit status out.
import { existsSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import type { EngineResource } from "../engine";
import { recordProgram, RecordingError, stackResources } from "../mocks";
import { buildReport, exitCodeFor, maskReport, renderReport, type Report, type ReportError } from "../report";
import { InputError } from "../shared/inputError";
import { packageRoot, packageVersion } from "../shared/packageRoot";
import { loadPolicyConfigFile } from "../shared/policyConfigFile";
import { CHECK_USAGE, parseCheckArgs, type CheckArgs } from "./args";
import { checkResources } from "./run";
import { readStateFile } from "./state";

export interface CheckIo {
  readonly cwd?: string;
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  /** The policy pack to run; defaults to this package. */
  readonly packDir?: string;
}

export interface CheckOutcome {
  readonly exitCode: 0 | 1 | 2;
  readonly report?: Report;
}

interface Inputs {
  readonly resources: readonly EngineResource[];
  readonly stackResources: readonly EngineResource[];
  readonly artifactUri: string;
  /** Resources that could not be checked (encrypted state values the pack needs): never a pass. */
  readonly errors?: readonly ReportError[];
}

async function loadInputs(args: CheckArgs, cwd: string, log: (line: string) => void): Promise<Inputs> {
  if (args.state) {
    const path = isAbsolute(args.state) ? args.state : resolve(cwd, args.state);
    log(`reading state ${path}`);
    const state = readStateFile(path);
    if (state.encryptedSecrets > 0) {
      log(
        `${state.encryptedSecrets} encrypted secret value(s) cannot be read offline and are treated as unknown; export with --show-secrets to check them`,
      );
    }
    return { resources: state.resources, stackResources: state.stackResources, artifactUri: args.state, errors: state.errors };
  }
  const programDir = args.programDir ? resolve(cwd, args.programDir) : join(packageRoot(), "reference-stack");
  if (!existsSync(programDir) || !statSync(programDir).isDirectory()) {
    throw new InputError(`program directory ${programDir} does not exist; give the folder that holds the program's Pulumi.yaml`);
  }
  log(`running ${programDir} under Pulumi mocks (${args.mode})`);
  try {
    const recording = await recordProgram({ programDir, mode: args.mode, stack: args.stack });
    // In a preview the engine analyzes planned states, which are the inputs; after an update, the outputs.
    const forStack = args.mode === "preview" ? recording.resources : stackResources(recording);
    return { resources: recording.resources, stackResources: forStack, artifactUri: recording.entry };
  } catch (error) {
    if (error instanceof RecordingError) throw new InputError(error.message);
    throw error;
  }
}

/** Where the compiled pack lives; a checkout whose dist/ is missing is told how to build it. */
function ensureBuiltPack(packDir: string): void {
  if (!existsSync(join(packDir, "dist", "policy-pack", "index.js"))) {
    throw new InputError(`the policy pack in ${packDir} is not built; run \`npm run build\` (npm ci does it for you)`);
  }
}

export async function runCheckCli(argv: readonly string[], io: CheckIo = {}): Promise<CheckOutcome> {
  const stdout = io.stdout ?? ((text) => process.stdout.write(text));
  const stderr = io.stderr ?? ((text) => process.stderr.write(text));
  const log = (line: string) => stderr(`check: ${line}\n`);
  try {
    const args = parseCheckArgs(argv);
    if (args.help) {
      stdout(`${CHECK_USAGE}\n`);
      return { exitCode: 0 };
    }
    const cwd = io.cwd ?? process.cwd();
    const packDir = io.packDir ?? packageRoot();
    ensureBuiltPack(packDir);
    const policyConfig = args.policyConfig
      ? loadPolicyConfigFile(isAbsolute(args.policyConfig) ? args.policyConfig : resolve(cwd, args.policyConfig), new Date())
      : undefined;
    const inputs = await loadInputs(args, cwd, log);
    const result = await checkResources({ resources: inputs.resources, stackResources: inputs.stackResources, policyConfig, packDir, log });
    for (const [urn, changes] of Object.entries(result.remediated)) log(`remediated ${urn}: ${changes.join(", ")}`);
    const checked = inputs.errors?.length
      ? buildReport(result.report.violations, result.report.summary.resources, [...result.report.errors, ...inputs.errors])
      : result.report;
    const report = maskReport(checked, result.secretValues);
    stdout(renderReport(report, args.format, { toolVersion: packageVersion(), artifactUri: inputs.artifactUri }));
    return { exitCode: exitCodeFor(report), report };
  } catch (error) {
    if (error instanceof InputError) {
      stderr(`check: ${error.message.split("\n")[0]}\n`);
      const rest = error.message.split("\n").slice(1).join("\n");
      if (rest) stderr(`${rest}\n`);
      return { exitCode: 2 };
    }
    const message = error instanceof Error ? error.message : String(error);
    stderr(`check: could not complete the check, so nothing is reported compliant: ${message.split("\n")[0]}\n`);
    return { exitCode: 2 };
  }
}
