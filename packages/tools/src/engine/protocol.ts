// The analyzer gRPC client, driven in the order and with the requests the Pulumi engine uses:
// Handshake (tolerating Unimplemented, as the Node policy SDK does not implement it),
// ConfigureStack, GetAnalyzerInfo, Configure with the reconciled config, then Analyze /
// AnalyzeStack / Remediate. Responses come back as plain objects (see ./encoding).
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import type { PluginInfo as PluginInfoMessage } from "@pulumi/pulumi/proto/plugin_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { reconcilePolicyPackConfig, type PolicyPackConfig } from "./config";
import {
  decodeAnalyzeResponse,
  decodeAnalyzerInfo,
  decodeRemediateResponse,
  encodeAnalyzeRequest,
  encodeAnalyzeStackRequest,
  encodeConfigureRequest,
  type AnalyzeResult,
  type AnalyzerInfo,
  type PolicyConfigEntry,
  type RemediateResult,
} from "./encoding";
import type { PackProcess } from "./process";
import type { EngineResource } from "./types";

/** The SDK's server accepts messages up to 400 MB (`maxRPCMessageSize` in @pulumi/policy/server.js). */
export const MAX_RPC_MESSAGE_SIZE = 1024 * 1024 * 400;

export interface PluginInfo {
  readonly version: string;
}

/** What the engine sends in ConfigureStack: the stack it runs, its config and tags. */
export interface StackContext {
  readonly stack?: string;
  readonly project?: string;
  readonly organization?: string;
  readonly dryRun?: boolean;
  readonly config?: Readonly<Record<string, string>>;
  readonly configSecretKeys?: readonly string[];
}

export class AnalyzerCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: grpc.status | undefined,
    detail: string,
    stderr: string,
  ) {
    super(
      `${method} failed${code !== undefined ? ` (${grpc.status[code]})` : ""}: ${detail}${
        stderr.trim() ? `\n--- policy pack stderr ---\n${stderr.slice(-4000)}` : ""
      }`,
    );
    this.name = "AnalyzerCallError";
  }
}

type Callback<T> = (error: grpc.ServiceError | null, response: T) => void;
type Invoke<Res> = (metadata: grpc.Metadata, options: Partial<grpc.CallOptions>, callback: Callback<Res>) => grpc.ClientUnaryCall;

export class AnalyzerConnection {
  private readonly client: AnalyzerClient;
  private info: AnalyzerInfo | undefined;
  private closed = false;

  constructor(
    private readonly pack: PackProcess,
    private readonly callTimeoutMs: number,
  ) {
    this.client = new AnalyzerClient(`127.0.0.1:${pack.port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": MAX_RPC_MESSAGE_SIZE,
      "grpc.max_send_message_length": MAX_RPC_MESSAGE_SIZE,
    });
  }

  waitForReady(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.waitForReady(Date.now() + timeoutMs, (error) =>
        error ? reject(new AnalyzerCallError("connect", undefined, error.message, this.pack.stderr())) : resolve(),
      );
    });
  }

  private call<Res>(method: string, invoke: Invoke<Res>): Promise<Res> {
    if (this.closed)
      return Promise.reject(new AnalyzerCallError(method, undefined, "the policy pack client is closed; start a new one", ""));
    return new Promise((resolve, reject) => {
      invoke(new grpc.Metadata(), { deadline: Date.now() + this.callTimeoutMs }, (error, response) => {
        if (error) reject(new AnalyzerCallError(method, error.code, error.details || error.message, this.pack.stderr()));
        else resolve(response);
      });
    });
  }

  /** The engine's handshake; false when the pack does not implement it (the Node SDK does not). */
  async handshake(engineAddress: string, packDir: string): Promise<boolean> {
    const request = new analyzerpb.AnalyzerHandshakeRequest();
    request.setEngineAddress(engineAddress);
    request.setRootDirectory(packDir);
    request.setProgramDirectory(packDir);
    try {
      await this.call<analyzerpb.AnalyzerHandshakeResponse>("Handshake", (metadata, options, callback) =>
        this.client.handshake(request, metadata, options, callback),
      );
      return true;
    } catch (error) {
      if (error instanceof AnalyzerCallError && error.code === grpc.status.UNIMPLEMENTED) return false;
      throw error;
    }
  }

  async getAnalyzerInfo(): Promise<AnalyzerInfo> {
    const response = await this.call<analyzerpb.AnalyzerInfo>("GetAnalyzerInfo", (metadata, options, callback) =>
      this.client.getAnalyzerInfo(new Empty(), metadata, options, callback),
    );
    this.info = decodeAnalyzerInfo(response, this.pack.projectVersion);
    return this.info;
  }

  async getPluginInfo(): Promise<PluginInfo> {
    const response = await this.call<PluginInfoMessage>("GetPluginInfo", (metadata, options, callback) =>
      this.client.getPluginInfo(new Empty(), metadata, options, callback),
    );
    return { version: response.getVersion() };
  }

  /**
   * Validates `config` as the CLI does (throws PolicyConfigError) and sends the reconciled config,
   * one entry per policy with defaults filled in. Returns what was sent.
   */
  async configure(config: PolicyPackConfig = {}): Promise<Record<string, PolicyConfigEntry>> {
    const info = this.info ?? (await this.getAnalyzerInfo());
    const reconciled = reconcilePolicyPackConfig(info, config);
    if (!info.supportsConfig) return reconciled;
    await this.call<Empty>("Configure", (metadata, options, callback) =>
      this.client.configure(encodeConfigureRequest(reconciled), metadata, options, callback),
    );
    return reconciled;
  }

  async configureStack(tags: Readonly<Record<string, string>> = {}, context: StackContext = {}): Promise<void> {
    const request = new analyzerpb.AnalyzerStackConfigureRequest();
    request.setStack(context.stack ?? "");
    request.setProject(context.project ?? "");
    request.setOrganization(context.organization ?? "");
    request.setDryRun(context.dryRun ?? true);
    request.setConfigSecretKeysList([...(context.configSecretKeys ?? [])]);
    const configMap = request.getConfigMap();
    for (const [key, value] of Object.entries(context.config ?? {})) configMap.set(key, value);
    const tagsMap = request.getTagsMap();
    for (const [key, value] of Object.entries(tags)) tagsMap.set(key, value);
    await this.call<analyzerpb.AnalyzerStackConfigureResponse>("ConfigureStack", (metadata, options, callback) =>
      this.client.configureStack(request, metadata, options, callback),
    );
  }

  async analyze(resource: EngineResource): Promise<AnalyzeResult> {
    const response = await this.call<analyzerpb.AnalyzeResponse>("Analyze", (metadata, options, callback) =>
      this.client.analyze(encodeAnalyzeRequest(resource), metadata, options, callback),
    );
    return decodeAnalyzeResponse(response, this.pack.projectVersion);
  }

  async analyzeStack(resources: readonly EngineResource[]): Promise<AnalyzeResult> {
    const response = await this.call<analyzerpb.AnalyzeResponse>("AnalyzeStack", (metadata, options, callback) =>
      this.client.analyzeStack(encodeAnalyzeStackRequest(resources), metadata, options, callback),
    );
    return decodeAnalyzeResponse(response, this.pack.projectVersion);
  }

  async remediate(resource: EngineResource): Promise<RemediateResult> {
    const response = await this.call<analyzerpb.RemediateResponse>("Remediate", (metadata, options, callback) =>
      this.client.remediate(encodeAnalyzeRequest(resource), metadata, options, callback),
    );
    return decodeRemediateResponse(response, this.pack.projectVersion);
  }

  close(): void {
    this.closed = true;
    this.client.close();
  }
}
