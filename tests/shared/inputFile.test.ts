// The one reader of files named on the command line: every failure is an InputError that names the
// file as the flag does and says what to do.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../packages/tools/src/shared/inputError";
import { parseInputJson, readInputFile, readInputJson } from "../../packages/tools/src/shared/inputFile";

const dir = mkdtempSync(join(tmpdir(), "input-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as Error;
  }
  throw new Error("expected an InputError");
}

describe("readInputFile / readInputJson", () => {
  it("returns the text and the parsed document", () => {
    const path = join(dir, "ok.json");
    writeFileSync(path, '{"a": [1, 2]}');
    expect(readInputFile(path, "--x ok.json")).toBe('{"a": [1, 2]}');
    expect(readInputJson(path, "--x ok.json")).toEqual({ a: [1, 2] });
  });

  it("a missing file: the label, 'does not exist', and the hint when there is one", () => {
    const path = join(dir, "none.json");
    expect(thrown(() => readInputFile(path, `--x ${path}`, { missing: "write one first" })).message).toBe(
      `--x ${path} does not exist; write one first`,
    );
    expect(thrown(() => readInputFile(path, `--x ${path}`)).message).toBe(`--x ${path} does not exist`);
  });

  it("a folder where a file belongs: the error code, not a stack trace", () => {
    expect(thrown(() => readInputFile(dir, `--x ${dir}`)).message).toBe(
      `--x ${dir} cannot be read (EISDIR); check its permissions and that it is a file`,
    );
  });

  it("invalid JSON: one line, the parser's first line of reason, then the hint", () => {
    const error = thrown(() => parseInputJson("{not json", "--x bad.json", { invalid: "write it with --format json" }));
    expect(error.message).toMatch(/^--x bad\.json is not valid JSON \([^\n]+\); write it with --format json$/);
  });
});
