// What the audit specs that run against a local fake endpoint share: fast retries, a fixed clock,
// the CLI run with its output captured, and fake servers that are closed after each test.
import { afterEach, beforeAll } from "vitest";
import { runAuditCli } from "../../packages/tools/src/audit/main";
import type { Report } from "../../packages/tools/src/report";
import { useFakeAwsCredentials } from "./endpoint";
import { startFakeAws, startFakeCodeDeploy, type FakeServer } from "./fakeServer";

/** Retries without waiting, so a throttling test takes milliseconds. */
export const FAST_RETRY = { maxAttempts: 3, backoffMs: () => 1 };
export const AUDIT_NOW = new Date("2026-01-15T00:00:00Z");

export interface AuditRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** stdout parsed, when it is a JSON report. */
  readonly report?: Report;
}

/** Runs the audit CLI in-process with no AWS environment, the fast retries and the fixed clock. */
export async function auditCli(
  args: readonly string[],
  extra: { stderrIsTTY?: boolean; progressIntervalMs?: number } = {},
): Promise<AuditRun> {
  let out = "";
  let err = "";
  const code = await runAuditCli([...args], {
    env: {},
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    overrides: { retry: FAST_RETRY, now: AUDIT_NOW },
    stderrIsTTY: extra.stderrIsTTY ?? false,
    progressIntervalMs: extra.progressIntervalMs,
  });
  let report: Report | undefined;
  try {
    report = JSON.parse(out) as Report;
  } catch {
    /* not JSON */
  }
  return { code, out, err, report };
}

/**
 * Fake credentials for the calling spec file and fake servers closed after each of its tests. Call
 * at the top level of a spec; start servers with what it returns.
 */
export function useFakeServers(): {
  codeDeploy(handler: Parameters<typeof startFakeCodeDeploy>[0]): Promise<FakeServer>;
  aws(handler: Parameters<typeof startFakeAws>[0], options?: Parameters<typeof startFakeAws>[1]): Promise<FakeServer>;
} {
  let servers: FakeServer[] = [];
  beforeAll(() => useFakeAwsCredentials());
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    servers = [];
  });
  const started = async (server: Promise<FakeServer>): Promise<FakeServer> => {
    const running = await server;
    servers.push(running);
    return running;
  };
  return {
    codeDeploy: (handler) => started(startFakeCodeDeploy(handler)),
    aws: (handler, options) => started(startFakeAws(handler, options)),
  };
}
