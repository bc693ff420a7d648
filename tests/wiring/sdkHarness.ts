// Drives a policy list in-process through @pulumi/policy's own RPC handlers, with requests encoded as
// the engine encodes them (tools/engine/encoding), so the props a policy gets are exactly what the
// SDK hands it: secrets unwrapped, unknowns behind its proxy, the provider as a `PolicyResource.provider`.
import type { Policies } from "@pulumi/policy";
import { PACK_NAME } from "../../policy-pack/policies";
import {
  decodeAnalyzeResponse,
  decodeRemediateResponse,
  encodeAnalyzeRequest,
  encodeAnalyzeStackRequest,
  type AnalyzeResult,
  type Diagnostic,
  type RemediateResult,
} from "../../packages/tools/src/engine/encoding";
import type { EngineResource } from "../../packages/tools/src/engine/types";

type Handler = (call: { request: unknown }, callback: (error: unknown, response: unknown) => void) => Promise<void>;
type HandlerFactory = (name: string, version: string, level: string, policies: Policies) => Handler;

// The SDK exports its handler factories (marked internal) next to `serve`; the pack process uses exactly these.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require("@pulumi/policy/server") as Record<
  "makeAnalyzeRpcFun" | "makeAnalyzeStackRpcFun" | "makeRemediateRpcFun",
  HandlerFactory
>;

function call<T>(factory: HandlerFactory, policies: Policies, request: unknown, decode: (response: never) => T): Promise<T> {
  const handler = factory(PACK_NAME, "0.0.0-test", "advisory", policies);
  return new Promise((resolve, reject) => {
    void handler({ request }, (error, response) =>
      error ? reject(error instanceof Error ? error : new Error(JSON.stringify(error))) : resolve(decode(response as never)),
    );
  });
}

/** One pack's handlers over one policy list, which keeps its state (what Analyze saw) across calls. */
export function sdkHandlers(policies: Policies) {
  return {
    analyze: (resource: EngineResource): Promise<AnalyzeResult> =>
      call(server.makeAnalyzeRpcFun, policies, encodeAnalyzeRequest(resource), (response) => decodeAnalyzeResponse(response, undefined)),
    analyzeStack: (resources: readonly EngineResource[]): Promise<AnalyzeResult> =>
      call(server.makeAnalyzeStackRpcFun, policies, encodeAnalyzeStackRequest([...resources]), (response) =>
        decodeAnalyzeResponse(response, undefined),
      ),
    remediate: (resource: EngineResource): Promise<RemediateResult> =>
      call(server.makeRemediateRpcFun, policies, encodeAnalyzeRequest(resource), (response) =>
        decodeRemediateResponse(response, undefined),
      ),
  };
}

/**
 * The pack's own message: the SDK puts the policy's description and a newline before the message of
 * a violation reported at the policy's level (`makeReportViolationFun`).
 */
export function packMessage(diagnostic: Diagnostic): string {
  return diagnostic.message.slice(diagnostic.message.lastIndexOf("\n") + 1);
}

/** `policy level urn: message`, sorted: diagnostics compared whatever order they came in. */
export function diagnosticLines(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.policyName} ${d.enforcementLevel} ${d.urn}: ${packMessage(d)}`).sort();
}
