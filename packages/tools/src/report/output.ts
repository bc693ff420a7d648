// Where a rendered report goes (`--output FILE`, for `check` and `audit`): to FILE, or to stdout. A
// report written to a file never mixes with what npm or the shell print (`npm run` prints a banner
// on stdout, so `npm run check -- ... > r.sarif` is not valid SARIF).
//
//   const target = resolveOutputPath(args.output, cwd);  // undefined: stdout
//   writeReportOutput(text, target, stdout, log);

import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { InputError } from "../shared/inputError";

/** The absolute path of `--output`, or undefined for stdout (no flag, or `-`). */
export function resolveOutputPath(output: string | undefined, cwd: string): string | undefined {
  if (output === undefined || output === "-") return undefined;
  return isAbsolute(output) ? output : resolve(cwd, output);
}

/**
 * Writes the report to `path` (creating its folder; through a temporary file, so a reader never sees
 * half a report), or to `stdout` when there is no path. An unwritable path is an InputError (exit 2).
 */
export function writeReportOutput(
  text: string,
  path: string | undefined,
  stdout: (text: string) => void,
  log?: (line: string) => void,
): void {
  if (path === undefined) {
    stdout(text);
    return;
  }
  const partial = `${path}.${process.pid}.partial`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(partial, text);
    renameSync(partial, path);
  } catch (error) {
    try {
      rmSync(partial, { force: true });
    } catch {
      // Nothing was written where nothing can be written.
    }
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`--output ${path}: cannot write the report there (${code ?? String(error)}); give a writable file path`);
  }
  log?.(`report written to ${path}`);
}
