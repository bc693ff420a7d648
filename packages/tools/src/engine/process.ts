// Starts a Node.js policy pack the way the Pulumi engine does (`NewPolicyAnalyzer` in
// sdk/go/common/resource/plugin/analyzer_plugin.go and the `pulumi-analyzer-policy` shim): read
// PulumiPolicy.yaml, resolve `@pulumi/pulumi/cmd/run-policy-pack` from the pack directory with
// Node's own module lookup, run `node <script> <engine-address> . [-option=value...]` with the pack
// directory as working directory, and take the gRPC port from the first line of stdout.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve as resolvePath, join } from "node:path";

export interface PackProcessOptions {
  readonly packDir: string;
  /** How long the pack may take to print its port. */
  readonly timeoutMs?: number;
  /**
   * The engine's gRPC address passed as first argument. The policy SDK does not dial it, so by
   * default an address nothing listens on is passed (`127.0.0.1:1`), as the smoke runs do.
   */
  readonly engineAddress?: string;
  /** Extra environment (the engine adds PULUMI_CONFIG, PULUMI_NODEJS_STACK, ... to its own). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface PackProcess {
  readonly port: number;
  readonly pid: number;
  /** PulumiPolicy.yaml `version`, which the engine reports over the pack's own version. */
  readonly projectVersion: string | undefined;
  /** Everything the pack wrote to stderr so far (kept to the last 64 KiB). */
  stderr(): string;
  /** Resolves when the process has exited, with its exit code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after a grace period. Idempotent. */
  kill(): Promise<void>;
}

export class PolicyPackStartError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(stderr.trim() ? `${message}\n--- policy pack stderr ---\n${tail(stderr, 4000)}` : message);
    this.name = "PolicyPackStartError";
  }
}

function tail(text: string, max: number): string {
  return text.length > max ? `...${text.slice(-max)}` : text;
}

interface PolicyProject {
  readonly runtime: string;
  readonly options: readonly string[];
  readonly version: string | undefined;
}

function unquote(text: string): string {
  const trimmed = text.replace(/\s+#.*$/, "").trim();
  return /^(["']).*\1$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}

/**
 * The few PulumiPolicy.yaml keys the engine uses to start a pack: `runtime` (a name, or
 * `{ name, options }`), its options and `version`. A small reader instead of a YAML library keeps
 * the client free of undeclared dependencies; a layout it cannot read is an error, not a guess.
 */
export function readPolicyProject(packDir: string): PolicyProject {
  const file = join(packDir, "PulumiPolicy.yaml");
  if (!existsSync(file)) {
    throw new PolicyPackStartError(`failed to load Pulumi policy project located at "${packDir}": PulumiPolicy.yaml is missing`, "");
  }
  const lines = readFileSync(file, "utf8").split(/\r?\n/);
  let runtime: string | undefined;
  let version: string | undefined;
  const options: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    const top = /^([A-Za-z]+):\s*(.*)$/.exec(line);
    if (!top) continue;
    const [, key, rest = ""] = top;
    if (key === "version") version = unquote(rest);
    if (key !== "runtime") continue;
    if (unquote(rest) !== "") {
      runtime = unquote(rest);
      continue;
    }
    // Block form: indented `name:` and `options:` with indented `key: value` pairs.
    let inOptions = false;
    for (index++; index < lines.length && /^\s+\S|^\s*$/.test(lines[index] ?? ""); index++) {
      const inner = lines[index] ?? "";
      const nameMatch = /^\s+name:\s*(.+)$/.exec(inner);
      const optionsMatch = /^\s+options:\s*$/.exec(inner);
      const optionMatch = /^\s{4,}([A-Za-z0-9_]+):\s*(.*)$/.exec(inner);
      if (nameMatch?.[1]) {
        runtime = unquote(nameMatch[1]);
        inOptions = false;
      } else if (optionsMatch) inOptions = true;
      else if (inOptions && optionMatch?.[1] !== undefined) {
        const value = unquote(optionMatch[2] ?? "");
        // The engine passes each non-empty option as `-key=value`.
        if (value !== "") options.push(`-${optionMatch[1]}=${value}`);
      }
    }
    index--;
  }
  if (runtime === undefined) throw new PolicyPackStartError(`${file} names no runtime; add \`runtime: nodejs\``, "");
  if (runtime !== "nodejs")
    throw new PolicyPackStartError(`${file} has runtime "${runtime}"; this client starts only nodejs policy packs`, "");
  return { runtime, options, version };
}

/** `require.resolve('@pulumi/pulumi/cmd/run-policy-pack')` run from the pack directory, as the shim does. */
export function resolveRunPolicyPack(packDir: string): string {
  try {
    return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
  } catch {
    throw new PolicyPackStartError(
      `it looks like the policy pack's dependencies are not installed: @pulumi/pulumi/cmd/run-policy-pack cannot be found from "${packDir}"; run npm install in that directory`,
      "",
    );
  }
}

// Every live pack process, killed when this process exits so no pack outlives its client.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of live) child.kill("SIGKILL");
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      for (const child of live) child.kill("SIGKILL");
      // Re-raise so the default action (exit) still happens when nobody else handles the signal.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

const KILL_GRACE_MS = 2000;
const STDERR_LIMIT = 64 * 1024;

export async function startPackProcess(options: PackProcessOptions): Promise<PackProcess> {
  const packDir = resolvePath(options.packDir);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const project = readPolicyProject(packDir);
  const script = resolveRunPolicyPack(packDir);
  const args = [script, options.engineAddress ?? "127.0.0.1:1", ".", ...project.options];

  installExitHook();
  const child = spawn(process.execPath, args, {
    cwd: packDir,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);

  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = tail(stderr + chunk, STDERR_LIMIT);
  });

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });

  let killing: Promise<void> | undefined;
  const kill = (): Promise<void> => {
    killing ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), KILL_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
    })();
    return killing;
  };

  const port = await new Promise<number>((resolve, reject) => {
    let stdout = "";
    const fail = (message: string) => {
      cleanup();
      void kill();
      reject(new PolicyPackStartError(message, stderr));
    };
    const timer = setTimeout(() => fail(`the policy pack in "${packDir}" printed no port within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf("\n");
      if (newline < 0) return;
      // The engine reads the first line of stdout as the port; anything else there is an error.
      const line = stdout.slice(0, newline).trim();
      const port = Number(line);
      if (!/^\d+$/.test(line) || port <= 0 || port > 65535) {
        fail(`the policy pack in "${packDir}" printed ${JSON.stringify(line.slice(0, 200))} where the engine expects its port`);
        return;
      }
      cleanup();
      resolve(port);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`the policy pack in "${packDir}" exited (${signal ?? `code ${code}`}) before printing its port`);
    const onError = (error: Error) => fail(`could not start node for the policy pack in "${packDir}": ${error.message}`);
    function cleanup() {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      child.off("error", onError);
    }
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
    child.once("error", onError);
  });
  // Keep draining stdout (console.log of a policy) so the pack never blocks on a full pipe.
  child.stdout?.resume();

  return {
    port,
    pid: child.pid ?? -1,
    projectVersion: project.version,
    stderr: () => stderr,
    exited,
    kill,
  };
}
