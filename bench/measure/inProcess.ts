// In-process measurements: the pack's own work, and the SDK's AnalyzeStack handler around it.
import { createRequire } from "node:module";
import { join } from "node:path";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { buildPolicies } from "../../policy-pack/policies";
import { type PackDirs } from "../packs";
import { generateStack } from "../stack";
import { median, round } from "../stats";
import { stackRequest } from "./analyzeStack";
import { ms, VARIANT_RUNS } from "./settings";

// The SDK's own decoding (internal modules, not in its .d.ts), so the in-process measurement reads
// props exactly as a policy receives them.
export const load = createRequire(__filename);
const { deserializeProperties } = load("@pulumi/policy/deserialize") as {
  deserializeProperties: (struct: Struct, proxySecrets: boolean) => Record<string, unknown>;
};
const { unknownCheckingProxy } = load("@pulumi/policy/proxy") as { unknownCheckingProxy: <T>(value: T) => T };

// ---- the pack's own work, in process -------------------------------------------------------------

/**
 * What one stack policy of the pack does beyond the SDK (stackModels, indexStack, the rule over
 * every group and config), on resources decoded by the SDK's own functions. Linear means the time
 * per resource stays flat from 10,000 to 50,000.
 */
export function packOwnWork() {
  const stackPolicies = buildPolicies().filter((policy): policy is StackValidationPolicy => "validateStack" in policy);
  const result: Record<string, { msAllStackPolicies: number; usPerResource: number; findings: number }> = {};
  for (const size of [2_000, 10_000, 50_000]) {
    const resources: PolicyResource[] = generateStack(size).resources.map((resource) => ({
      type: resource.type,
      urn: resource.urn,
      name: resource.name,
      props: unknownCheckingProxy(deserializeProperties(Struct.fromJavaScript(resource.properties), false)),
      opts: {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
      },
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    }));
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    generateStack(size).resources.forEach((resource, index) => {
      const target = resources[index]!;
      for (const [key, urns] of Object.entries(resource.propertyDependencies ?? {})) {
        target.propertyDependencies[key] = urns.map((urn) => byUrn.get(urn)!).filter(Boolean);
      }
    });
    const times: number[] = [];
    let findings = 0;
    for (let run = 0; run < 6; run++) {
      findings = 0;
      const begin = performance.now();
      for (const policy of stackPolicies) {
        void policy.validateStack(
          { resources, getConfig: <T>() => ({}) as T, stackTags: new Map(), notApplicable: () => undefined as never },
          () => findings++,
        );
      }
      if (run > 0) times.push(ms(begin)); // the first run warms the JIT up
    }
    const time = median(times);
    if (size === 2_000) continue; // JIT warm-up only
    result[size] = { msAllStackPolicies: round(time, 1), usPerResource: round((time * 1000) / size, 2), findings };
  }
  return { sizes: result, perResourceGrowth10kTo50k: round(result[50_000]!.usPerResource / result[10_000]!.usPerResource, 3) };
}

// ---- the SDK's handler, in process -------------------------------------------------------------------

type AnalyzeStackHandler = (call: { request: unknown }, callback: (error: unknown, response: unknown) => void) => Promise<void>;
type MakeHandler = (name: string, version: string, level: string, policies: unknown[]) => AnalyzeStackHandler;

/**
 * Where the time of one AnalyzeStack goes, without transport or a second process: decoding the
 * request message (the same for any pack), then the SDK's AnalyzeStack handler with 0..3 of the
 * pack's stack policies, and with the patched SDK prototypes. Alternated, median of several runs.
 */
export async function sdkHandlerInProcess(dirs: PackDirs) {
  const size = 10_000;
  const bytes = stackRequest(size).bytes;
  const policies = buildPolicies();
  const stackPolicyNames = policies.filter((policy) => "validateStack" in policy).map((policy) => policy.name);
  const original = load("@pulumi/policy/server") as { makeAnalyzeStackRpcFun: MakeHandler };
  const prototype = (dir: string) =>
    (createRequire(join(dir, "index.js"))("@pulumi/policy/server") as { makeAnalyzeStackRpcFun: MakeHandler }).makeAnalyzeStackRpcFun;
  const subset = (k: number) => policies.filter((policy) => !("validateStack" in policy) || stackPolicyNames.indexOf(policy.name) < k);
  const handlers: Record<string, AnalyzeStackHandler> = {};
  for (const k of [1, 2, 3]) handlers[`stack-${k}`] = original.makeAnalyzeStackRpcFun("bench", "0.1.0", "advisory", subset(k));
  handlers["sdk-shared-lazy"] = prototype(dirs.sdkPrototypes.sharedLazy)("bench", "0.1.0", "advisory", policies);
  const times: Record<string, number[]> = { decodeRequest: [] };
  for (const name of Object.keys(handlers)) times[name] = [];
  for (let run = 0; run < VARIANT_RUNS + 1; run++) {
    let begin = performance.now();
    const request = analyzerpb.AnalyzeStackRequest.deserializeBinary(bytes);
    if (run > 0) times.decodeRequest!.push(ms(begin));
    for (const [name, handler] of Object.entries(handlers)) {
      // A fresh message each time, as each gRPC call has: jspb caches decoded sub-messages.
      const fresh = analyzerpb.AnalyzeStackRequest.deserializeBinary(bytes);
      begin = performance.now();
      await handler({ request: fresh }, (error) => {
        if (error) throw error as Error;
      });
      if (run > 0) times[name]!.push(ms(begin));
    }
    void request;
  }
  const medianMs = Object.fromEntries(Object.entries(times).map(([name, values]) => [name, round(median(values), 1)]));
  return { resources: size, runs: VARIANT_RUNS, medianMs, msPerStackPolicy: round((medianMs["stack-3"]! - medianMs["stack-1"]!) / 2, 1) };
}
