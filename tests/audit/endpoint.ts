// Test fixture: an AWS endpoint for the audit tier. LocalStack when one answers at
// LOCALSTACK_ENDPOINT (default http://localhost:4566) with CodeDeploy available; otherwise a
// moto_server this fixture starts on a free loopback port and stops afterwards. Under CI=true the
// tier must run: when neither can be had this throws; elsewhere it returns undefined (skip).
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export interface AwsEndpoint {
  readonly url: string;
  readonly kind: "localstack" | "moto";
  stop(): Promise<void>;
}

/** Fake credentials and no metadata lookups: nothing may leave the machine. */
export function useFakeAwsCredentials(): void {
  process.env["AWS_ACCESS_KEY_ID"] = "testing";
  process.env["AWS_SECRET_ACCESS_KEY"] = "testing";
  process.env["AWS_SESSION_TOKEN"] = "testing";
  process.env["AWS_REGION"] = "us-east-1";
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";
  delete process.env["AWS_PROFILE"];
  delete process.env["AWS_ENDPOINT_URL"];
}

async function get(url: string, timeoutMs: number): Promise<{ status: number; body: string } | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, body: await response.text() };
  } catch {
    return undefined;
  }
}

/** LocalStack answers and lists CodeDeploy as available or running. */
export async function localStackWithCodeDeploy(endpoint: string): Promise<boolean> {
  const answer = await get(`${endpoint.replace(/\/$/, "")}/_localstack/health`, 1_500);
  if (!answer || answer.status !== 200) return false;
  try {
    const state = (JSON.parse(answer.body) as { services?: Record<string, string> }).services?.["codedeploy"];
    return state === "available" || state === "running";
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function startMoto(): Promise<AwsEndpoint> {
  let lastError = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let child: ChildProcess;
    let spawnError: Error | undefined;
    let output = "";
    try {
      child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "pipe", "pipe"], detached: true });
    } catch (error) {
      throw new Error(`moto_server could not be started: ${(error as Error).message}`);
    }
    child.on("error", (error) => (spawnError = error));
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !spawnError && child.exitCode === null) {
      const answer = await get(`${url}/moto-api/`, 500);
      if (answer?.status === 200) {
        const stop = async () => {
          if (child.exitCode !== null || child.pid === undefined) return;
          const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
          try {
            process.kill(-child.pid, "SIGTERM");
          } catch {
            child.kill("SIGTERM");
          }
          await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        };
        return { url, kind: "moto", stop };
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    if (spawnError) throw new Error(`moto_server could not be started: ${spawnError.message}`);
    lastError = `moto_server on port ${port} did not answer: ${output.slice(-500)}`;
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }
  }
  throw new Error(lastError);
}

/**
 * The endpoint for this test file. Throws under CI=true when none can be had; returns undefined
 * elsewhere so the tier is skipped with a note.
 */
export async function startAwsEndpoint(): Promise<AwsEndpoint | undefined> {
  const localStack = process.env["LOCALSTACK_ENDPOINT"] ?? "http://localhost:4566";
  if (await localStackWithCodeDeploy(localStack)) return { url: localStack, kind: "localstack", stop: async () => {} };
  try {
    return await startMoto();
  } catch (error) {
    const message = `No AWS endpoint for the audit tier: no LocalStack with CodeDeploy at ${localStack}, and ${(error as Error).message}`;
    if (process.env["CI"] === "true") throw new Error(message);
    console.warn(`${message}; skipping the tier (under CI=true it fails instead).`);
    return undefined;
  }
}
