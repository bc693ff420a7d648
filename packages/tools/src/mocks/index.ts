// The mocks recorder: runs a Pulumi TypeScript or JavaScript program under Pulumi's mocks in a child
// process and returns every resource it registers in the shared EngineResource format.
//
//   const rec = await recordProgram({ programDir: "reference-stack", mode: "preview" });
//   rec.resources   // inputs, parent, provider, dependencies, propertyDependencies (for Analyze)
//   rec.outputs     // what the mocks returned, per URN
//   stackResources(rec) // outputs merged over inputs (for AnalyzeStack)
//
// The child is `node --import <tsx> runner` with the program directory as working directory, so
// TypeScript runs without a build step and the mocks land on the `@pulumi/pulumi` the program loads.

import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { withoutPlaceholders } from "./assembly";
import { EMPTY_MOCKS } from "./mocksFile";
import { ProjectError, qualifyConfigKey, readProject, readStackConfig, resolveStackName, SECURE_PLACEHOLDER, toConfigEnv } from "./project";
import type { RecordOptions, Recording, RecordingErrorKind, RunnerRequest, RunnerResult } from "./types";

export type {
  RecordOptions,
  Recording,
  RecordedOutputs,
  RecordedInvoke,
  RecordedRead,
  RecordMode,
  RecordingErrorKind,
  SourceLocation,
} from "./types";
export { readProject, resolveStackName, stackNames, SECURE_PLACEHOLDER, type ProjectInfo } from "./project";
export { mockResource, autoname, MOCK_ACCOUNT_ID, DEFAULT_REGION } from "./mockState";
export { builtInLookup, BUILT_IN_LOOKUP_TOKENS } from "./lookups";
export { loadMocksFile, parseMocksFile, EMPTY_MOCKS, type MocksFile, type InvokeCase } from "./mocksFile";
export { engineUrn, normalizeUrn, ROOT_STACK_TYPE } from "./urn";
export { stackResources, resourcesOfType } from "./assembly";

/** A program could not be recorded. `message` says what to fix; no partial recording is returned. */
export class RecordingError extends Error {
  constructor(
    readonly kind: RecordingErrorKind | "bad-config",
    message: string,
    readonly detail?: string,
    readonly stderr?: string,
  ) {
    super(message);
    this.name = "RecordingError";
  }
}

const DEFAULT_TIMEOUT_MS = 120_000;
const OUTPUT_LIMIT = 1_000_000;

function runnerPath(): string {
  const ext = path.extname(__filename) === ".ts" ? ".ts" : ".js";
  return path.join(__dirname, `runner${ext}`);
}

function tsxLoaderUrl(): string {
  // Resolved from this package, not from the program: a program outside the repo needs no tsx.
  return pathToFileURL(require.resolve("tsx")).href;
}

function tail(text: string, lines = 20): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** Runs the program at `options.programDir` under mocks and records what it registers. */
export async function recordProgram(options: RecordOptions): Promise<Recording> {
  let project;
  let config: Record<string, string>;
  let stack: string;
  let secureKeys: string[];
  let securePlaceholders: string[];
  try {
    project = readProject(options.programDir);
    stack = resolveStackName(project.projectDir, options.stack);
    const projectName = options.project ?? project.name;
    const overrides = toConfigEnv({ ...(options.config ?? {}) }, projectName);
    const stackConfig = readStackConfig(project.projectDir, projectName, stack, new Set(Object.keys(overrides)));
    secureKeys = stackConfig.secureKeys;
    securePlaceholders = secureKeys.filter((key) => !(key in overrides));
    config = {
      ...toConfigEnv(project.projectConfig, projectName),
      ...toConfigEnv(stackConfig.config, projectName),
      ...overrides,
    };
  } catch (err) {
    if (err instanceof ProjectError) throw new RecordingError(err.kind, err.message);
    throw err;
  }
  const projectName = options.project ?? project.name;
  const secretKeys = [...new Set([...(options.secretConfigKeys ?? []).map((k) => qualifyConfigKey(k, projectName)), ...secureKeys])];

  // The request (with the program's config) and the recording (with any secret values the program
  // holds) pass through this directory: mkdtemp creates it readable by the current user only (0o700),
  // the files in it are 0o600, and the `finally` below removes it on success, failure and timeout.
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-mocks-"));
  const requestFile = path.join(workDir, "request.json");
  const resultFile = path.join(workDir, "result.json");
  const request: RunnerRequest = {
    programDir: project.projectDir,
    entry: project.entry,
    moduleType: project.moduleType,
    mode: options.mode,
    project: projectName,
    stack,
    organization: options.organization ?? "organization",
    config,
    mocks: options.mocks ?? EMPTY_MOCKS,
    resultFile,
  };

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_CONFIG: JSON.stringify(config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys),
    PULUMI_PROJECT: projectName,
    PULUMI_STACK: stack,
    PULUMI_ORGANIZATION: request.organization,
    PULUMI_DRY_RUN: options.mode === "preview" ? "true" : "false",
    PULUMI_NODEJS_PROJECT: projectName,
    PULUMI_NODEJS_STACK: stack,
    PULUMI_NODEJS_DRY_RUN: options.mode === "preview" ? "true" : "false",
  };
  // An engine address inherited from a surrounding `pulumi` run must not reach the mocked program.
  delete env["PULUMI_MONITOR"];
  delete env["PULUMI_ENGINE"];
  delete env["PULUMI_NODEJS_MONITOR"];
  delete env["PULUMI_NODEJS_ENGINE"];

  try {
    fs.writeFileSync(requestFile, JSON.stringify(request), { mode: 0o600 });
    const { code, signal, stdout, stderr, timedOut } = await new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
      stdout: string;
      stderr: string;
      timedOut: boolean;
    }>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", tsxLoaderUrl(), runnerPath(), requestFile], {
        cwd: project.projectDir,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => {
        if (out.length < OUTPUT_LIMIT) out += d.toString();
      });
      child.stderr.on("data", (d: Buffer) => {
        if (err.length < OUTPUT_LIMIT) err += d.toString();
      });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
      }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      child.on("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on("close", (c, s) => {
        clearTimeout(timer);
        resolve({ code: c, signal: s, stdout: out, stderr: err, timedOut });
      });
    });

    if (timedOut) {
      throw new RecordingError(
        "timeout",
        `The program ${project.entry} did not finish within ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms under mocks: ` +
          `look for an output that never resolves or a pending timer.`,
        undefined,
        tail(stderr),
      );
    }
    let result: RunnerResult | undefined;
    if (fs.existsSync(resultFile)) {
      try {
        result = JSON.parse(fs.readFileSync(resultFile, "utf8")) as RunnerResult;
      } catch {
        result = undefined;
      }
    }
    if (!result) {
      throw new RecordingError(
        "crashed",
        `The program ${project.entry} stopped (exit ${code ?? signal}) without reporting its resources; its last output: ${tail(stderr, 5) || "(none)"}`,
        undefined,
        tail(stderr),
      );
    }
    if (!result.ok) {
      const hint =
        securePlaceholders.length > 0 && result.kind === "program-failed"
          ? ` The program ran with a placeholder for the secure config value(s) ${securePlaceholders.join(", ")}: if it parses one (a number, JSON), pass a plaintext stand-in with --config.`
          : "";
      throw new RecordingError(result.kind, result.message + hint, result.detail, tail(stderr));
    }
    if (code !== 0) {
      throw new RecordingError(
        "crashed",
        `The program ${project.entry} exited with code ${code ?? signal} after recording.`,
        undefined,
        tail(stderr),
      );
    }
    const recorded = securePlaceholders.length > 0 ? withoutPlaceholders(result.recording, SECURE_PLACEHOLDER) : result.recording;
    return {
      mode: options.mode,
      project: projectName,
      stack,
      programDir: project.projectDir,
      entry: project.entry,
      ...recorded,
      securePlaceholders,
      stdout,
      stderr,
    };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
