// Test-only access to the analyzer protocol underneath the engine client: sends a Configure with
// whatever config is given, skipping the client's (the CLI's) validation, as a pack would receive
// it from an engine that did not validate (or from a buggy or future engine).
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { encodeConfigureRequest, type PolicyConfigEntry } from "../../packages/tools/src/engine/encoding";

export async function rawConfigure(port: number, config: Readonly<Record<string, PolicyConfigEntry>>): Promise<void> {
  const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  try {
    await new Promise<void>((resolve, reject) =>
      client.configure(encodeConfigureRequest(config), new grpc.Metadata(), { deadline: Date.now() + 30_000 }, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  } finally {
    client.close();
  }
}
