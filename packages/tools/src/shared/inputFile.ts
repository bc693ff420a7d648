// Reading a file a user named on the command line (--state, --baseline, --mocks, --policy-config):
// one wording for every tool, so a missing or broken file always says which flag, which file and
// what to do about it.
import { readFileSync } from "node:fs";
import { InputError } from "./inputError";

/** What to tell the user when the file is missing or is not what the flag takes. */
export interface InputFileHints {
  /** After "does not exist; ", e.g. how to create the file. */
  readonly missing?: string;
  /** After "is not valid JSON (...); ", e.g. how to write a valid one. */
  readonly invalid?: string;
}

/** The file's text; `label` names the file in the message (`--baseline report.json`, `state file x.json`). */
export function readInputFile(path: string, label: string, hints: InputFileHints = {}): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InputError(withHint(`${label} does not exist`, hints.missing));
    throw new InputError(`${label} cannot be read (${code ?? String(error)}); check its permissions and that it is a file`);
  }
}

/** `text` parsed as JSON, or an InputError naming the file and the first line of the parser's reason. */
export function parseInputJson(text: string, label: string, hints: InputFileHints = {}): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    throw new InputError(withHint(`${label} is not valid JSON (${reason})`, hints.invalid));
  }
}

/** readInputFile, then parseInputJson. */
export function readInputJson(path: string, label: string, hints: InputFileHints = {}): unknown {
  return parseInputJson(readInputFile(path, label, hints), label, hints);
}

function withHint(message: string, hint: string | undefined): string {
  return hint === undefined ? message : `${message}; ${hint}`;
}
