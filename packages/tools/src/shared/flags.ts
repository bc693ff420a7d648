// The command-line tokenizer `check` and `audit` share: `--flag value`, `--flag=value`, boolean
// flags, repeatable flags and positionals, with one wording for every mistake. Each command then
// reads what it needs from the tokens and checks the values itself.
import { InputError } from "./inputError";

export interface FlagSpec {
  /** Flags that take a value. */
  readonly valueFlags: readonly string[];
  /** Flags that take no value. */
  readonly booleanFlags?: readonly string[];
  /** Value flags that may be given more than once (every value is kept, in order). */
  readonly repeatable?: readonly string[];
  /** Whether bare arguments are allowed (a program folder); otherwise each is an error. */
  readonly positionals: boolean;
  /** Printed after a mistake in the command line itself. */
  readonly usage: string;
}

export interface FlagTokens {
  /** Each value flag's values, in the order given; one value unless the flag is repeatable. */
  readonly values: ReadonlyMap<string, readonly string[]>;
  readonly booleans: ReadonlySet<string>;
  readonly positionals: readonly string[];
  readonly help: boolean;
}

export function tokenizeFlags(argv: readonly string[], spec: FlagSpec): FlagTokens {
  const valueFlags = new Set(spec.valueFlags);
  const booleanFlags = new Set(spec.booleanFlags ?? []);
  const repeatable = new Set(spec.repeatable ?? []);
  const values = new Map<string, string[]>();
  const booleans = new Set<string>();
  const positionals: string[] = [];
  let help = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === "--help" || argument === "-h") {
      help = true;
      continue;
    }
    if (!argument.startsWith("-")) {
      if (!spec.positionals)
        throw new InputError(`unexpected argument ${JSON.stringify(argument)}; every option starts with --\n${spec.usage}`);
      positionals.push(argument);
      continue;
    }
    if (booleanFlags.has(argument)) {
      booleans.add(argument);
      continue;
    }
    const equals = argument.indexOf("=");
    const flag = equals > 0 ? argument.slice(0, equals) : argument;
    if (booleanFlags.has(flag)) throw new InputError(`${flag} takes no value\n${spec.usage}`);
    if (!valueFlags.has(flag)) throw new InputError(`unknown option ${JSON.stringify(argument)}\n${spec.usage}`);
    const value = equals > 0 ? argument.slice(equals + 1) : argv[++index];
    if (value === undefined || value === "" || (equals < 0 && value.startsWith("--")))
      throw new InputError(`${flag} needs a value\n${spec.usage}`);
    const earlier = values.get(flag);
    if (earlier !== undefined && !repeatable.has(flag)) throw new InputError(`${flag} is given twice; give it once`);
    values.set(flag, [...(earlier ?? []), value]);
  }
  return { values, booleans, positionals, help };
}

/** The flag's one value, if given (tokenizeFlags refuses a second value of a non-repeatable flag). */
export function flagValue(tokens: FlagTokens, flag: string): string | undefined {
  return tokens.values.get(flag)?.[0];
}
