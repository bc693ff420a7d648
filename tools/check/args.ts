// Command-line arguments of `check`. Usage errors are InputErrors (exit 2).
import { OUTPUT_FORMATS, type OutputFormat } from "../report";
import { InputError } from "../shared/inputError";

export interface CheckArgs {
  /** The Pulumi program to check; undefined means the reference stack (or --state). */
  readonly programDir?: string;
  readonly state?: string;
  readonly policyConfig?: string;
  readonly format: OutputFormat;
  readonly mode: "preview" | "update";
  readonly stack?: string;
  readonly help: boolean;
}

export const CHECK_USAGE = `Usage: npm run check -- [PROGRAM_DIR] [--state FILE] [--policy-config FILE]
                      [--format table|json|sarif] [--mode preview|update] [--stack NAME]

Checks a Pulumi program (default: reference-stack/) or a stack's exported state against the
codedeploy-guardrails policies, offline: the program runs under Pulumi's mocks, and the pack is
started and driven exactly as \`pulumi preview --policy-pack\` drives it. No cloud account and no
Pulumi CLI are needed.
  --state FILE          check the JSON written by \`pulumi stack export\` instead of a program
  --policy-config FILE  the JSON file you pass to \`pulumi preview --policy-pack-config\`
  --format              table (default), json (the stable contract in the README) or sarif (2.1.0)
  --mode                preview (default: values computed during the update are unknown) or update
  --stack NAME          stack name for the program's config (Pulumi.<stack>.yaml); default dev
Exit status: 0 no mandatory violation and everything checked; 1 a mandatory violation, or something
that could not be checked (reported under errors, e.g. an encrypted value in a state file); 2 usage
or input error.`;

const VALUE_FLAGS = new Set(["--state", "--policy-config", "--format", "--mode", "--stack"]);

export function parseCheckArgs(argv: readonly string[]): CheckArgs {
  const values = new Map<string, string>();
  const positional: string[] = [];
  let help = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === "--help" || argument === "-h") {
      help = true;
      continue;
    }
    if (!argument.startsWith("--")) {
      positional.push(argument);
      continue;
    }
    const equals = argument.indexOf("=");
    const flag = equals > 0 ? argument.slice(0, equals) : argument;
    if (!VALUE_FLAGS.has(flag)) throw new InputError(`unknown option ${JSON.stringify(argument)}\n${CHECK_USAGE}`);
    const value = equals > 0 ? argument.slice(equals + 1) : argv[++index];
    if (value === undefined || value === "" || (equals < 0 && value.startsWith("--")))
      throw new InputError(`${flag} needs a value\n${CHECK_USAGE}`);
    if (values.has(flag)) throw new InputError(`${flag} is given twice`);
    values.set(flag, value);
  }
  if (positional.length > 1) throw new InputError(`check takes one program directory, got ${positional.length}: ${positional.join(" ")}`);
  const format = values.get("--format") ?? "table";
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new InputError(`--format must be one of ${OUTPUT_FORMATS.join(", ")}; found ${JSON.stringify(format)}`);
  }
  const mode = values.get("--mode") ?? "preview";
  if (mode !== "preview" && mode !== "update") throw new InputError(`--mode must be preview or update; found ${JSON.stringify(mode)}`);
  const state = values.get("--state");
  if (state !== undefined && positional.length > 0) throw new InputError("give either a program directory or --state, not both");
  return {
    programDir: positional[0],
    state,
    policyConfig: values.get("--policy-config"),
    format: format as OutputFormat,
    mode,
    stack: values.get("--stack"),
    help,
  };
}
