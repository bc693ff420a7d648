// Drives the pack in-process exactly as its process serves the engine: requests encoded as the
// engine encodes them (tools/engine/encoding) go through @pulumi/policy's own Analyze and
// AnalyzeStack handlers, which build the SDK-shaped args (unknown-checking proxies, unwrapped
// secrets, provider, property dependencies) the wiring gets. Each run builds fresh policies, so
// what the pack remembers from Analyze lives exactly as long as one engine operation.
//
// The SDK's Configure handler is not exported and keeps the config in a module global, so the
// policy config is applied the way that handler would make it visible: each policy's level as its
// enforcement level, its settings through `getConfig`.
import type { Policies, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { buildPolicies, PACK_NAME } from "../../policy-pack/policies";
import {
  decodeAnalyzeResponse,
  encodeAnalyzeRequest,
  encodeAnalyzeStackRequest,
  type AnalyzeResult,
  type EnforcementLevel,
} from "../../packages/tools/src/engine/encoding";
import type { EngineResource, WireProperties } from "../../packages/tools/src/engine/types";
import type { OracleResource } from "../oracle/oracle";

type Handler = (call: { request: unknown }, callback: (error: unknown, response: unknown) => void) => Promise<void>;
type HandlerFactory = (name: string, version: string, level: string, policies: Policies) => Handler;

// The SDK exports its handler factories (marked internal) next to `serve`; the pack process uses exactly these.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require("@pulumi/policy/server") as Record<"makeAnalyzeRpcFun" | "makeAnalyzeStackRpcFun", HandlerFactory>;
// The SDK's own decoding of a Struct into what a policy reads (secrets unwrapped, unknown sentinels kept).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { deserializeProperties } = require("@pulumi/policy/deserialize") as {
  deserializeProperties: (struct: Struct, proxySecrets: boolean) => Record<string, unknown>;
};

/** One diagnostic, on the URN of the resource it is about (Analyze's empty URN is the analyzed resource's). */
export interface PackDiagnostic {
  readonly policy: string;
  readonly urn: string;
  readonly level: EnforcementLevel;
  readonly message: string;
}

function call(factory: HandlerFactory, policies: Policies, request: unknown): Promise<AnalyzeResult> {
  const handler = factory(PACK_NAME, "0.0.0-test", "advisory", policies);
  return new Promise((resolve, reject) => {
    void handler({ request }, (error, response) =>
      error
        ? reject(error instanceof Error ? error : new Error(JSON.stringify(error)))
        : resolve(decodeAnalyzeResponse(response as never, undefined)),
    );
  });
}

function split(entry: unknown): { level?: EnforcementLevel; settings: Record<string, unknown> } {
  if (typeof entry === "string") return { level: entry as EnforcementLevel, settings: {} };
  if (typeof entry !== "object" || entry === null) return { settings: {} };
  const { enforcementLevel, ...settings } = entry as Record<string, unknown>;
  return { level: enforcementLevel as EnforcementLevel | undefined, settings };
}

/** The pack's policies with a `--policy-pack-config` file applied. */
function configuredPolicies(config: Readonly<Record<string, unknown>>): Policies {
  return buildPolicies().map((policy): ResourceValidationPolicy | StackValidationPolicy => {
    const { level, settings } = split(config[policy.name]);
    const enforcementLevel = level ?? policy.enforcementLevel;
    if ("validateStack" in policy) {
      const stack = policy;
      const result: StackValidationPolicy = {
        ...stack,
        enforcementLevel,
        validateStack: (args, report) => stack.validateStack({ ...args, getConfig: <T>() => settings as T }, report),
      };
      return result;
    }
    const validate = policy.validateResource;
    if (typeof validate !== "function") throw new Error(`${policy.name}: expected one validateResource function`);
    const result: ResourceValidationPolicy = {
      ...policy,
      enforcementLevel,
      validateResource: (args, report) => validate({ ...args, getConfig: <T>() => settings as T }, report),
    };
    return result;
  });
}

/**
 * Every diagnostic the pack gives for one engine operation: Analyze for each resource (unless
 * `analyze` is empty, as when AnalyzeStack arrives alone), then AnalyzeStack.
 */
export async function runPack(
  analyze: readonly EngineResource[],
  analyzeStack: readonly EngineResource[],
  config: Readonly<Record<string, unknown>>,
): Promise<PackDiagnostic[]> {
  const policies = configuredPolicies(config);
  const diagnostics: PackDiagnostic[] = [];
  for (const resource of analyze) {
    const result = await call(server.makeAnalyzeRpcFun, policies, encodeAnalyzeRequest(resource));
    for (const d of result.diagnostics)
      diagnostics.push({ policy: d.policyName, urn: d.urn || resource.urn, level: d.enforcementLevel, message: d.message });
  }
  const result = await call(server.makeAnalyzeStackRpcFun, policies, encodeAnalyzeStackRequest(analyzeStack));
  for (const d of result.diagnostics) diagnostics.push({ policy: d.policyName, urn: d.urn, level: d.enforcementLevel, message: d.message });
  return diagnostics;
}

/** Props as @pulumi/policy hands them to a policy (without its proxy: the oracle reads sentinels itself). */
export function asPolicySees(properties: WireProperties): Record<string, unknown> {
  return deserializeProperties(Struct.fromJavaScript(properties), false);
}

/**
 * The oracle's view of the same operation: each resource's AnalyzeStack props, its Analyze props
 * (when Analyze ran), its provider, and its property dependencies restricted, as the SDK restricts
 * them, to resources of the stack.
 */
export function oracleResources(analyze: readonly EngineResource[], analyzeStack: readonly EngineResource[]): OracleResource[] {
  const inputs = new Map(analyze.map((r) => [r.urn, r.properties]));
  const urns = new Set(analyzeStack.map((r) => r.urn));
  return analyzeStack.map((r): OracleResource => {
    const analyzed = inputs.get(r.urn);
    const dependencies = Object.fromEntries(
      Object.entries(r.propertyDependencies ?? {})
        .map(([key, list]) => [key, list.filter((urn) => urns.has(urn))] as const)
        .filter(([, list]) => list.length > 0),
    );
    return {
      type: r.type,
      urn: r.urn,
      name: r.name,
      props: asPolicySees(analyzed ?? {}),
      outputs: asPolicySees(r.properties),
      analyzed: analyzed !== undefined,
      ...(r.provider ? { provider: { urn: r.provider.urn, props: asPolicySees(r.provider.properties) } } : {}),
      propertyDependencies: dependencies,
    };
  });
}
