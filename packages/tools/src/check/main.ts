// The `check` command: arguments in, report on stdout, progress on stderr, exit status out.
import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { realEnginePayloads, type EngineResource } from "../engine";
import { loadMocksFile, recordProgram, RecordingError, type SourceLocation } from "../mocks";
import {
  applyBaseline,
  buildReport,
  exitCodeFor,
  maskReport,
  readBaselineFile,
  renderReport,
  resolveOutputPath,
  writeReportOutput,
  type Report,
  type ReportError,
  type ReportViolation,
} from "../report";
import { InputError } from "../shared/inputError";
import { packageRoot, packageVersion } from "../shared/packageRoot";
import { loadPolicyConfigFile } from "../shared/policyConfigFile";
import { CHECK_USAGE, parseCheckArgs, type CheckArgs } from "./args";
import { checkResources } from "./run";
import { ENCRYPTED_IN_STATE, readStateFile } from "./state";

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
  /** Absolute path of the program's entry, or of the state file: the SARIF location of a finding with no line. */
  readonly artifact: string;
  /** The program directory (program mode). */
  readonly programDir?: string;
  /** Where each resource is declared (program mode). */
  readonly locations?: Readonly<Record<string, SourceLocation>>;
  /** State mode: the pack's "can't be checked during preview" means a value encrypted in the file. */
  readonly fromState?: boolean;
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
    return { resources: state.resources, stackResources: state.stackResources, artifact: path, errors: state.errors, fromState: true };
  }
  const programDir = args.programDir ? resolve(cwd, args.programDir) : join(packageRoot(), "reference-stack");
  if (!existsSync(programDir) || !statSync(programDir).isDirectory()) {
    throw new InputError(`program directory ${programDir} does not exist; give the folder that holds the program's Pulumi.yaml`);
  }
  const mocks = args.mocks ? loadMocksFile(isAbsolute(args.mocks) ? args.mocks : resolve(cwd, args.mocks)) : undefined;
  log(`running ${programDir} under Pulumi mocks (${args.mode})`);
  try {
    const recording = await recordProgram({ programDir, mode: args.mode, stack: args.stack, config: args.config, mocks });
    if (recording.securePlaceholders.length > 0) {
      log(
        `stack ${recording.stack}: ${recording.securePlaceholders.join(", ")} ${recording.securePlaceholders.length === 1 ? "is" : "are"} secure; ` +
          `the program got a secret placeholder, so what depends on ${recording.securePlaceholders.length === 1 ? "it" : "them"} is advisory (give a stand-in with --config KEY=VALUE to check it)`,
      );
    }
    // What a real preview or update sends: Analyze gets the inputs after the AWS provider's Check
    // (its defaults filled in), AnalyzeStack the outputs (computed fields unknown in a preview).
    const payloads = realEnginePayloads(recording.resources, { mode: args.mode, recordedOutputs: recording.outputs });
    return {
      resources: payloads.analyze,
      stackResources: payloads.analyzeStack,
      artifact: recording.entry,
      programDir: recording.programDir,
      locations: recording.locations,
    };
  } catch (error) {
    if (error instanceof RecordingError) throw new InputError(error.message);
    throw error;
  }
}

/** The repository that holds `path`: the nearest folder above it with a .git, else `fallback`. */
function repositoryRoot(path: string, fallback: string): string {
  for (let directory = path; ; directory = dirname(directory)) {
    if (existsSync(join(directory, ".git"))) return directory;
    if (dirname(directory) === directory) return fallback;
  }
}

function posixRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join("/") || ".";
}

/** Each violation with the file (relative to the program directory) and line that declare its resource. */
function withLocations(violations: readonly ReportViolation[], inputs: Inputs): ReportViolation[] {
  const { locations, programDir } = inputs;
  if (!locations || !programDir) return [...violations];
  return violations.map((violation) => {
    const location = locations[violation.urn];
    return location ? { ...violation, location: { file: posixRelative(programDir, location.file), line: location.line } } : violation;
  });
}

/** The words the pack uses for a verdict that depends on an unknown value (policy-pack/rules/rule.ts, core/resolve.ts). */
const PREVIEW_UNKNOWN: readonly [RegExp, string][] = [
  [/can't be checked during preview/g, `a value it needs is ${ENCRYPTED_IN_STATE}`],
  [/unknown during preview/g, "encrypted in the state file"],
];

/**
 * In a state file nothing is unknown but an encrypted secret, so the pack's "can't be checked during
 * preview" there means exactly that: say so, instead of blaming a preview that never happened.
 */
function forState(violation: ReportViolation): ReportViolation {
  const message = PREVIEW_UNKNOWN.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), violation.message);
  return message === violation.message ? violation : { ...violation, message };
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
    // Everything the user gave is read before the program runs, so a bad file fails fast.
    const baseline = args.baseline ? readBaselineFile(isAbsolute(args.baseline) ? args.baseline : resolve(cwd, args.baseline)) : undefined;
    const output = resolveOutputPath(args.output, cwd);
    const inputs = await loadInputs(args, cwd, log);
    const result = await checkResources({ resources: inputs.resources, stackResources: inputs.stackResources, policyConfig, packDir, log });
    for (const remediation of result.remediations) {
      log(`remediated ${remediation.urn}: ${remediation.policy} sets ${remediation.properties.join(", ")}`);
    }
    const violations = withLocations(result.report.violations, inputs).map((violation) =>
      inputs.fromState ? forState(violation) : violation,
    );
    const checked: Report = {
      ...buildReport(violations, result.report.summary.resources, [...result.report.errors, ...(inputs.errors ?? [])]),
      remediations: result.remediations,
    };
    const masked = maskReport(checked, result.secretValues);
    const report = baseline ? applyBaseline(masked, baseline) : masked;
    const sourceRoot = repositoryRoot(inputs.programDir ?? dirname(inputs.artifact), cwd);
    const rendered = renderReport(report, args.format, {
      toolVersion: packageVersion(),
      artifactUri: posixRelative(sourceRoot, inputs.artifact),
      sourceRoot,
      ...(inputs.programDir ? { programPath: posixRelative(sourceRoot, inputs.programDir) } : {}),
    });
    writeReportOutput(rendered, output, stdout, log);
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
