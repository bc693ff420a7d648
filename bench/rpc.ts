// Timed analyzer calls. A request is serialized once, before timing, and sent as raw bytes: the
// engine is Go, so the client's own protobuf encoding is no part of the pack's cost. What a timed
// call measures is the transport, the pack decoding the request (the SDK's floor), the policies,
// and the pack encoding its answer.
import * as grpc from "@grpc/grpc-js";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { encodeAnalyzeRequest, encodeAnalyzeStackRequest } from "../packages/tools/src/engine/encoding";
import { MAX_RPC_MESSAGE_SIZE, type EngineResource } from "../packages/tools/src/engine";

const identity = (buffer: Buffer) => buffer;

export class RawAnalyzer {
  private readonly client: grpc.Client;

  constructor(port: number) {
    this.client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": MAX_RPC_MESSAGE_SIZE,
      "grpc.max_send_message_length": MAX_RPC_MESSAGE_SIZE,
    });
  }

  ready(): Promise<void> {
    return new Promise((resolve, reject) => this.client.waitForReady(Date.now() + 30_000, (error) => (error ? reject(error) : resolve())));
  }

  call(method: "Analyze" | "AnalyzeStack", request: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        `/pulumirpc.Analyzer/${method}`,
        identity,
        identity,
        request,
        new grpc.Metadata(),
        { deadline: Date.now() + 600_000 },
        (error, response) => (error || !response ? reject(error ?? new Error(`${method}: no response`)) : resolve(response)),
      );
    });
  }

  close(): void {
    this.client.close();
  }
}

export function analyzeBytes(resource: EngineResource): Buffer {
  return Buffer.from(encodeAnalyzeRequest(resource).serializeBinary());
}

export function analyzeStackBytes(resources: readonly EngineResource[]): Buffer {
  return Buffer.from(encodeAnalyzeStackRequest(resources).serializeBinary());
}

/** Diagnostics in an AnalyzeResponse, to check a pack did its work (and the empty pack did none). */
export function diagnosticCount(response: Buffer): number {
  return analyzerpb.AnalyzeResponse.deserializeBinary(response).getDiagnosticsList().length;
}
