// Child-process entry of the mocks recorder: `node --import tsx runner.(ts|js) <request.json>`.
// Runs one Pulumi program under `pulumi.runtime.setMocks`, installed on the `@pulumi/pulumi` the
// program itself resolves (sdkShims.ts), with the mock monitor wrapped (interception.ts), and writes
// the RunnerResult that assembly.ts builds from what was intercepted to the request's `resultFile`.
// This file is the process around them: the request, the program run, the result, and errors mapped
// to a kind and a message that says what to fix.

import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { assembleRecording, missingMocksMessage, type Intercepted } from "./assembly";
import { interceptRegistrations } from "./interception";
import { loadProgramSdk, SdkShimError, type ProgramSdk } from "./sdkShims";
import type { RecordingErrorKind, RunnerRequest, RunnerResult } from "./types";

// Keep ES module `import()` even when this file is compiled to CommonJS: tsconfig.json compiles with
// `module: commonjs`, which rewrites a literal `import()` into `require()`, and `require()` cannot load
// an ES-module program (top-level await, .mjs). A Function body is not transpiled, so its `import()` stays.
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- constant source, no user input; the only way to keep a real import() in CommonJS output
const dynamicImport = new Function("u", "return import(u)") as (u: string) => Promise<Record<string, unknown>>;

const request = JSON.parse(fs.readFileSync(process.argv[2]!, "utf8")) as RunnerRequest;
let finished = false;
const loggedErrors: string[] = [];
/** Filled while the program runs; its missing mocks are reported whatever the program then did. */
let intercepted: Intercepted | undefined;
// Stack traces (and so each resource's location) point at the TypeScript source: tsx registers
// source maps, and a compiled program shipped with .map files gets them mapped too.
process.setSourceMapsEnabled(true);

function write(result: RunnerResult): void {
  if (finished) return;
  finished = true;
  fs.writeFileSync(request.resultFile, JSON.stringify(result), { mode: 0o600 });
}

function errorText(err: unknown): { message: string; detail?: string } {
  if (err instanceof Error) {
    const stack = err.stack ?? "";
    const frames = stack
      .split("\n")
      .filter((l) => /^\s+at /.test(l))
      .slice(0, 8)
      .join("\n");
    return { message: err.message, detail: frames || undefined };
  }
  return { message: String(err) };
}

function fail(kind: RecordingErrorKind, message: string, detail?: string): never {
  write({ ok: false, kind, message, detail });
  process.exit(1);
}

/** Invokes and stack references nothing answers: reported as a missing mock, whatever the program then did. */
function failIfMocksMissing(): void {
  if (intercepted && intercepted.missingMocks.length > 0) fail("missing-mock", missingMocksMessage(intercepted.missingMocks));
}

const MISSING_CONFIG = /Missing required configuration variable '([^']+)'/;

function programError(err: unknown): never {
  failIfMocksMissing();
  const { message, detail } = errorText(err);
  const missingConfig = MISSING_CONFIG.exec(message)?.[1];
  if (missingConfig) {
    const bare = missingConfig.startsWith(`${request.project}:`) ? missingConfig.slice(request.project.length + 1) : missingConfig;
    fail(
      "missing-config",
      `The program needs the config value '${missingConfig}', which stack '${request.stack}' does not set: add it under config: ` +
        `in Pulumi.${request.stack}.yaml next to Pulumi.yaml, or pass --config ${bare}=<value>.`,
      detail,
    );
  }
  const code = (err as { code?: string } | undefined)?.code;
  const where = path.relative(request.programDir, request.entry) || request.entry;
  if (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") {
    const missing = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1];
    fail(
      "load-failed",
      `The program ${request.entry} could not load ${missing ? `module '${missing}'` : "a module"}: ` +
        `install the program's dependencies (npm install in ${request.programDir}) or fix the import. (${message.split("\n")[0]})`,
      detail,
    );
  }
  const name = err instanceof Error ? err.name : "";
  if (name === "SyntaxError" || name === "TransformError" || /Transform failed/.test(message)) {
    fail(
      "load-failed",
      `The program ${where} does not compile: ${message.split("\n").slice(0, 6).join(" ")}. Fix the syntax error and run again.`,
      detail,
    );
  }
  fail(
    "program-failed",
    `The Pulumi program ${where} (in ${request.programDir}) failed under mocks: ${message}. ` +
      `Fix the program so that it completes; no resources are reported from a failed run.`,
    detail,
  );
}

process.on("uncaughtException", (err) => programError(err));
process.on("unhandledRejection", (err) => programError(err));
process.on("exit", (code) => {
  if (!finished) {
    write({
      ok: false,
      kind: "crashed",
      message: `The program ${request.entry} exited (code ${code}) before it finished registering resources; it must not call process.exit.`,
    });
  }
});

const originalConsoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  const text = args.map((a) => (typeof a === "string" ? a : String(a))).join(" ");
  if (text.startsWith("error: ")) loggedErrors.push(text.replace(/^error: (\[runtime\] )?/, ""));
  originalConsoleError(...args);
};

/** Loads the program's entry module and, like the Pulumi Node.js language host, calls an exported function. */
async function runProgram(program: ProgramSdk): Promise<unknown> {
  let programExport: unknown;
  if (request.moduleType === "module") {
    const namespace = await dynamicImport(pathToFileURL(request.entry).href);
    programExport = namespace;
    if (Object.getOwnPropertyDescriptor(namespace, "default") !== undefined) {
      if (Object.keys(namespace).length !== 1) {
        throw new Error("expected entrypoint module to have either a default export or named exports but not both");
      }
      programExport = namespace["default"];
    }
  } else {
    programExport = program.programRequire(request.entry);
  }
  const result: unknown = programExport instanceof Function ? (programExport as () => unknown)() : programExport;
  return await result;
}

async function main(): Promise<void> {
  let program: ProgramSdk;
  try {
    program = loadProgramSdk(request.programDir);
    intercepted = await interceptRegistrations(program, request);
  } catch (err) {
    if (err instanceof SdkShimError) fail(err.kind, err.message);
    throw err;
  }
  const run: Intercepted = intercepted;
  process.argv = [process.argv[0]!, request.entry];

  try {
    await program.sdk.runtime.runInPulumiStack(() => runProgram(program));
    await program.sdk.runtime.disconnect();
    // Let late failures surface (an apply callback that throws rejects after the RPCs drained).
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await program.sdk.runtime.disconnect();
    }
  } catch (err) {
    programError(err);
  }
  failIfMocksMissing();
  if (program.sdk.log?.hasErrors?.()) {
    fail(
      "program-failed",
      `The Pulumi program ${request.entry} logged ${loggedErrors.length || "some"} error(s) under mocks: ${loggedErrors.join("; ") || "see its output"}. Fix them and run again.`,
    );
  }
  const failed = run.registrations.filter((r) => r.failed);
  if (failed.length) {
    fail("program-failed", `Registering ${failed.map((f) => f.urn).join(", ")} failed under mocks.`);
  }
  write({ ok: true, recording: assembleRecording(run, { ...request, runnerDir: __dirname }) });
  process.exit(0);
}

main().catch((err) => programError(err));
