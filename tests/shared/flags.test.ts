// The tokenizer behind `check` and `audit`: every way a command line can be wrong is refused with a
// message naming the flag, and what is right comes back in order.
import { describe, expect, it } from "vitest";
import { flagValue, tokenizeFlags, type FlagSpec } from "../../packages/tools/src/shared/flags";
import { InputError } from "../../packages/tools/src/shared/inputError";

const SPEC: FlagSpec = {
  valueFlags: ["--format", "--config", "--state"],
  booleanFlags: ["--quiet"],
  repeatable: ["--config"],
  positionals: true,
  usage: "usage: tool [options]",
};

function refusal(argv: readonly string[], spec: FlagSpec = SPEC): string {
  try {
    tokenizeFlags(argv, spec);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error(`expected ${argv.join(" ")} to be refused`);
}

describe("tokenizeFlags", () => {
  it("reads --flag value, --flag=value, booleans, repeats in order, positionals and help", () => {
    const tokens = tokenizeFlags(["prog", "--format", "json", "--config=a=1", "--quiet", "--config", "b=2", "-h"], SPEC);
    expect(flagValue(tokens, "--format")).toBe("json");
    expect(tokens.values.get("--config")).toEqual(["a=1", "b=2"]);
    expect([...tokens.booleans]).toEqual(["--quiet"]);
    expect(tokens.positionals).toEqual(["prog"]);
    expect(tokens.help).toBe(true);
    expect(flagValue(tokens, "--state")).toBeUndefined();
    expect(tokenizeFlags([], SPEC).help).toBe(false);
  });

  it("a value may contain '=' and may start with a single dash", () => {
    const tokens = tokenizeFlags(["--state=a=b", "--format", "-x"], SPEC);
    expect(flagValue(tokens, "--state")).toBe("a=b");
    expect(flagValue(tokens, "--format")).toBe("-x");
  });

  it("refuses an unknown option, with the usage", () => {
    expect(refusal(["--fromat", "json"])).toBe('unknown option "--fromat"\nusage: tool [options]');
    expect(refusal(["-x"])).toBe('unknown option "-x"\nusage: tool [options]');
  });

  it("refuses a value flag without a value: at the end, empty, or followed by another option", () => {
    for (const argv of [["--format"], ["--format="], ["--format", ""], ["--format", "--quiet"]]) {
      expect(refusal(argv)).toBe("--format needs a value\nusage: tool [options]");
    }
  });

  it("refuses a second value of a flag that is not repeatable", () => {
    expect(refusal(["--format", "json", "--format=table"])).toBe("--format is given twice; give it once");
  });

  it("refuses a value on a boolean flag", () => {
    expect(refusal(["--quiet=yes"])).toBe("--quiet takes no value\nusage: tool [options]");
  });

  it("refuses positionals when the command takes none", () => {
    expect(refusal(["stray"], { ...SPEC, positionals: false })).toBe(
      'unexpected argument "stray"; every option starts with --\nusage: tool [options]',
    );
  });
});
