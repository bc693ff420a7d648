// Command-line arguments of `check`. Usage errors are InputErrors (exit 2).
import { OUTPUT_FORMATS, type OutputFormat } from "../report";
import { flagValue, tokenizeFlags } from "../shared/flags";
import { InputError } from "../shared/inputError";

export interface CheckArgs {
  /** The Pulumi program to check; undefined means the reference stack (or --state). */
  readonly programDir?: string;
  readonly state?: string;
  readonly policyConfig?: string;
  readonly format: OutputFormat;
  readonly mode: "preview" | "update";
  /** The stack whose Pulumi.<stack>.yaml to read; undefined: the only stack file, else dev. */
  readonly stack?: string;
  /** `--config key=value`, in order: `project:key` or a bare key (the program's project). */
  readonly config: Readonly<Record<string, string>>;
  readonly mocks?: string;
  readonly output?: string;
  readonly baseline?: string;
  readonly help: boolean;
}

export const CHECK_USAGE = `Usage: codedeploy-guardrails-check [PROGRAM_DIR | --state FILE] [options]
       npm run check -- [PROGRAM_DIR | --state FILE] [options]

Checks a Pulumi program (default, from a checkout: reference-stack/) or a stack's exported state
against the codedeploy-guardrails policies, offline: the program runs under Pulumi's mocks, and the
pack is started and driven exactly as \`pulumi preview --policy-pack\` drives it. No cloud account and
no Pulumi CLI are needed.

  --state FILE          check the JSON written by \`pulumi stack export\` instead of a program
  --policy-config FILE  the JSON file you pass to \`pulumi preview --policy-pack-config\`
  --format FORMAT       table (default), json (the stable contract in the README) or sarif (2.1.0)
  --output FILE         write the report to FILE instead of stdout (use it rather than a shell
                        redirect of \`npm run\`, whose banner would end up in the file)
  --baseline FILE       a JSON report of an earlier run: violations already in it are reported as
                        existing and do not fail the run; new ones do; fixed ones are listed
  --mode MODE           preview (default: values computed during the update are unknown) or update
  --stack NAME          read the program's config from Pulumi.<NAME>.yaml (it must exist); default:
                        the only Pulumi.<stack>.yaml in the program directory, else dev
  --config KEY=VALUE    set a config value (repeatable), over Pulumi.yaml and Pulumi.<stack>.yaml;
                        KEY is project:key, or a bare key of the program's project. A secure: value
                        in the stack file reaches the program as a secret placeholder: what depends
                        on it is advisory, unless you give a stand-in here
  --mocks FILE          results for what the built-in mocks cannot know, as JSON:
                        {"invokes": {"<token>": {<result>} | [{"args": {...}, "result": {...}}]},
                         "stackReferences": {"<org>/<project>/<stack>": {<outputs>}},
                         "resources": {"<type>::<name>": {<outputs>}}}
                        Built in: caller identity, region, partition, availability zones, VPC,
                        subnets, AMI, IAM policy documents, SSM parameters.
  --help, -h            this text

Exit status: 0 no mandatory violation (with --baseline: no new one) and everything checked; 1 a
mandatory violation, or something that could not be checked (reported under errors, e.g. an
encrypted value in a state file); 2 usage or input error (one line on stderr saying what to fix).`;

/** Every flag `check` takes (the README and --help describe each one; a test holds them to it). */
export const CHECK_FLAGS = [
  "--state",
  "--policy-config",
  "--format",
  "--output",
  "--baseline",
  "--mode",
  "--stack",
  "--config",
  "--mocks",
  "--help",
] as const;

const VALUE_FLAGS = ["--state", "--policy-config", "--format", "--mode", "--stack", "--config", "--mocks", "--output", "--baseline"];

/** `key=value` of --config, the key checked the way Pulumi names config keys. */
function configEntry(text: string): [string, string] {
  const equals = text.indexOf("=");
  const key = equals > 0 ? text.slice(0, equals) : "";
  if (!/^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?$/.test(key)) {
    throw new InputError(`--config takes KEY=VALUE with KEY a config key such as fleetSize or aws:region; found ${JSON.stringify(text)}`);
  }
  return [key, text.slice(equals + 1)];
}

export function parseCheckArgs(argv: readonly string[]): CheckArgs {
  const tokens = tokenizeFlags(argv, { valueFlags: VALUE_FLAGS, repeatable: ["--config"], positionals: true, usage: CHECK_USAGE });
  const { positionals: positional, help } = tokens;
  const config: Record<string, string> = {};
  for (const entry of tokens.values.get("--config") ?? []) {
    const [key, configValue] = configEntry(entry);
    if (key in config) throw new InputError(`--config sets ${key} twice`);
    config[key] = configValue;
  }
  if (positional.length > 1) throw new InputError(`check takes one program directory, got ${positional.length}: ${positional.join(" ")}`);
  const format = flagValue(tokens, "--format") ?? "table";
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new InputError(`--format must be one of ${OUTPUT_FORMATS.join(", ")}; found ${JSON.stringify(format)}`);
  }
  const mode = flagValue(tokens, "--mode") ?? "preview";
  if (mode !== "preview" && mode !== "update") throw new InputError(`--mode must be preview or update; found ${JSON.stringify(mode)}`);
  const state = flagValue(tokens, "--state");
  if (state !== undefined && positional.length > 0) throw new InputError("give either a program directory or --state, not both");
  if (state !== undefined) {
    for (const flag of ["--stack", "--mocks"]) {
      if (tokens.values.has(flag)) throw new InputError(`${flag} applies to a program run; a state file already holds the stack's values`);
    }
    if (Object.keys(config).length > 0)
      throw new InputError("--config applies to a program run; a state file already holds the stack's values");
  }
  return {
    programDir: positional[0],
    state,
    policyConfig: flagValue(tokens, "--policy-config"),
    format: format as OutputFormat,
    mode,
    stack: flagValue(tokens, "--stack"),
    config,
    mocks: flagValue(tokens, "--mocks"),
    output: flagValue(tokens, "--output"),
    baseline: flagValue(tokens, "--baseline"),
    help,
  };
}
