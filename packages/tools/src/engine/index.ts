// The engine-faithful analyzer client: starts a policy pack as `pulumi preview --policy-pack` does
// and drives it over the analyzer protocol. Used by the pack's gRPC tests, `check`, benchmarks and
// fuzz tests, so it lives in project code, not in the tests.
//
//   const pack = await startPolicyPack({ packDir: "." });
//   try { const { diagnostics } = await pack.analyze(resource); } finally { await pack.close(); }
import { PolicyConfigError, type PolicyConfigProblem, type PolicyPackConfig } from "./config";
import type { AnalyzeResult, AnalyzerInfo, PolicyConfigEntry, RemediateResult } from "./encoding";
import { AnalyzerConnection, type PluginInfo, type StackContext } from "./protocol";
import { startPackProcess, type PackProcessOptions } from "./process";
import type { EngineResource } from "./types";

export interface StartPolicyPackOptions extends PackProcessOptions {
  /** Deadline of each gRPC call. */
  readonly callTimeoutMs?: number;
  /**
   * The config the engine configures the pack with right after start (it always calls Configure,
   * with every policy's defaults when no `--policy-pack-config` is given). `false` skips it.
   * Defaults to `{}`.
   */
  readonly configure?: PolicyPackConfig | false;
}

export interface PolicyPackClient {
  readonly port: number;
  readonly pid: number;
  getAnalyzerInfo(): Promise<AnalyzerInfo>;
  getPluginInfo(): Promise<PluginInfo>;
  /** Validates like the CLI (throws PolicyConfigError), then sends the reconciled config; returns it. */
  configure(config?: PolicyPackConfig): Promise<Record<string, PolicyConfigEntry>>;
  configureStack(tags?: Readonly<Record<string, string>>, context?: StackContext): Promise<void>;
  analyze(resource: EngineResource): Promise<AnalyzeResult>;
  analyzeStack(resources: readonly EngineResource[]): Promise<AnalyzeResult>;
  remediate(resource: EngineResource): Promise<RemediateResult>;
  /** What the pack wrote to stderr so far. */
  stderr(): string;
  /** Closes the connection and kills the pack process. Idempotent. */
  close(): Promise<void>;
}

export async function startPolicyPack(options: StartPolicyPackOptions): Promise<PolicyPackClient> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pack = await startPackProcess({ ...options, timeoutMs });
  const connection = new AnalyzerConnection(pack, options.callTimeoutMs ?? 60_000);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      connection.close();
      await pack.kill();
    })();
    return closing;
  };
  try {
    await connection.waitForReady(timeoutMs);
    await connection.handshake(options.engineAddress ?? "127.0.0.1:1", options.packDir);
    if (options.configure !== false) await connection.configure(options.configure ?? {});
  } catch (error) {
    await close();
    throw error;
  }
  return {
    port: pack.port,
    pid: pack.pid,
    getAnalyzerInfo: () => connection.getAnalyzerInfo(),
    getPluginInfo: () => connection.getPluginInfo(),
    configure: (config) => connection.configure(config),
    configureStack: (tags, context) => connection.configureStack(tags, context),
    analyze: (resource) => connection.analyze(resource),
    analyzeStack: (resources) => connection.analyzeStack(resources),
    remediate: (resource) => connection.remediate(resource),
    stderr: () => pack.stderr(),
    close,
  };
}

export { PolicyConfigError };
export type { PolicyConfigProblem, PolicyPackConfig, PluginInfo, StackContext };
export { AnalyzerCallError, MAX_RPC_MESSAGE_SIZE } from "./protocol";
export { PolicyPackStartError } from "./process";
export { reconcilePolicyPackConfig } from "./config";
export type {
  AnalyzeResult,
  AnalyzerInfo,
  Diagnostic,
  EnforcementLevel,
  NotApplicable,
  PolicyConfigEntry,
  PolicyConfigSchema,
  PolicyFramework,
  PolicyInfo,
  PolicyType,
  Remediation,
  RemediateResult,
  Severity,
} from "./encoding";
export * from "./types";
export {
  realEnginePayloads,
  checkedInputs,
  seededShuffle,
  providerConfigurationUnknown,
  resourceRegion,
  annotateSecrets,
  stripSecrets,
  containsSecret,
  type EngineMode,
  type RealEngineOptions,
  type RealEnginePayloads,
} from "./realEngine";
export { CLASSIC_SCHEMAS, CLASSIC_TYPES, DEFAULTS_KEY, classicCheckDefaults, typedUnknown, type FieldSchema } from "./classicProvider";
