// The gRPC path of the fuzzers: chunks of cases sent to the compiled pack as the engine sends them.
import fc from "fast-check";
import { POLICY_RUNNERS } from "../../../policy-pack/rules";
import { realEnginePayloads, type EngineResource } from "../../../packages/tools/src/engine";
import { type FuzzCase } from "./cases";
import { checkOracle } from "./oracle";

// ---- the gRPC path ------------------------------------------------------------------------------

export interface GrpcClient {
  readonly pid: number;
  analyze(
    resource: EngineResource,
  ): Promise<{ diagnostics: readonly { policyName: string; enforcementLevel: string; message: string; urn: string }[] }>;
  analyzeStack(
    resources: readonly EngineResource[],
  ): Promise<{ diagnostics: readonly { policyName: string; enforcementLevel: string; message: string; urn: string }[] }>;
  remediate(resource: EngineResource): Promise<unknown>;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * How a chunk reaches the pack: `undefined` sends the cases' props as they are (Analyze on each
 * target, AnalyzeStack over every stack); otherwise as a real preview or update sends them
 * (tools/engine/realEngine.ts): every resource behind one AWS provider, Analyze on each resource's
 * checked inputs, AnalyzeStack on the outputs in a seeded order, and, when `unknownProvider`, a
 * provider whose configuration is unknown during the preview (every output `{}`).
 */
export interface ChunkShapes {
  readonly mode: "preview" | "update";
  readonly shuffleSeed: number;
  readonly unknownProvider: boolean;
}

export const FUZZ_PROVIDER = {
  urn: "urn:pulumi:fuzz::hardening::pulumi:providers:aws::default_7_0_0",
  type: "pulumi:providers:aws",
  name: "default_7_0_0",
  properties: { region: "eu-west-1", version: "7.0.0" },
} as const;

/** Half the chunks in real shapes, a fifth of those behind a provider whose configuration is unknown. */
export const chunkShapesArb: fc.Arbitrary<ChunkShapes | undefined> = fc.option(
  fc.record({
    mode: fc.constantFrom("preview" as const, "update" as const),
    shuffleSeed: fc.integer(),
    unknownProvider: fc.integer({ min: 0, max: 4 }).map((draw) => draw === 0),
  }),
  { freq: 2 },
);

interface ChunkRequests {
  /** Analyze requests: the resource and whether it is a case's target (its diagnostics carry urn ""). */
  readonly analyze: readonly { readonly resource: EngineResource; readonly target: boolean }[];
  readonly remediate: readonly EngineResource[];
  readonly analyzeStack: readonly EngineResource[];
}

function chunkRequests(cases: readonly FuzzCase[], shapes: ChunkShapes | undefined): ChunkRequests {
  if (!shapes) {
    return {
      analyze: cases.map((fuzzCase) => ({ resource: fuzzCase.target, target: true })),
      remediate: cases.map((fuzzCase) => fuzzCase.target),
      analyzeStack: cases.flatMap((fuzzCase) => fuzzCase.stack),
    };
  }
  const targets = new Set(cases.map((fuzzCase) => fuzzCase.target.urn));
  const resources = cases.flatMap((fuzzCase) => fuzzCase.stack).map((resource) => ({ ...resource, provider: FUZZ_PROVIDER }));
  const payloads = realEnginePayloads(resources, {
    mode: shapes.mode,
    shuffleSeed: shapes.shuffleSeed,
    unknownProviderConfiguration: shapes.unknownProvider ? [FUZZ_PROVIDER.urn] : [],
  });
  // The engine analyzes every resource, but only an unconfigured provider's `{}` outputs make the
  // pack need what it saw in Analyze; otherwise the targets alone keep a chunk within its time
  // budget. Remediation runs on the same checked inputs.
  return {
    analyze: payloads.analyze
      .filter((resource) => shapes.unknownProvider || targets.has(resource.urn))
      .map((resource) => ({ resource, target: targets.has(resource.urn) })),
    remediate: payloads.analyze.filter((resource) => targets.has(resource.urn)),
    analyzeStack: payloads.analyzeStack,
  };
}

/**
 * Runs a chunk of cases through the pack: Analyze (and Remediate on each target), then one
 * AnalyzeStack over every case's stack, shaped as `shapes` says. Returns a failure description, or
 * undefined. A gRPC error throws.
 */
export async function runGrpcChunk(pack: GrpcClient, cases: readonly FuzzCase[], shapes?: ChunkShapes): Promise<string | undefined> {
  const requests = chunkRequests(cases, shapes);
  const describe = (resource: EngineResource) =>
    `${cases.find((fuzzCase) => fuzzCase.stack.some((item) => item.urn === resource.urn))?.mutation ?? "random"} ${JSON.stringify(resource).slice(0, 3000)}${shapes ? ` (shapes ${JSON.stringify(shapes)})` : ""}`;
  const call = async <T>(what: string, resource: EngineResource, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new Error(`${what} failed on ${describe(resource)}: ${detail}`);
    }
  };
  const analyzed = await Promise.all(
    requests.analyze.map(async ({ resource, target }) =>
      (await call("Analyze", resource, () => pack.analyze(resource))).diagnostics.map((diagnostic) => ({
        // A resource policy's finding is about the resource analyzed: "" for a target, as the oracle expects.
        urn: target ? "" : resource.urn,
        target: resource.urn,
        policy: diagnostic.policyName,
        level: diagnostic.enforcementLevel,
        message: diagnostic.message,
      })),
    ),
  );
  await Promise.all(requests.remediate.map((resource) => call("Remediate", resource, () => pack.remediate(resource))));
  const stack = await pack.analyzeStack(requests.analyzeStack);
  const stackVerdicts = stack.diagnostics.map((diagnostic) => ({
    urn: diagnostic.urn,
    policy: diagnostic.policyName,
    level: diagnostic.enforcementLevel,
    message: diagnostic.message,
  }));
  const analyzeVerdicts = analyzed.flat();
  for (const fuzzCase of cases) {
    const own = analyzeVerdicts.filter((verdict) => verdict.target === fuzzCase.target.urn);
    const failure = checkOracle(fuzzCase, [...own, ...stackVerdicts]);
    if (failure) return shapes ? `${failure} (shapes ${JSON.stringify(shapes)})` : failure;
  }
  if (!isAlive(pack.pid)) return "the pack process died";
  return undefined;
}

/** Every policy that can fix a group at `remediate`, so the fuzzer drives Remediate too. */
export const FUZZ_PACK_CONFIG: Readonly<Record<string, "remediate">> = Object.fromEntries(
  POLICY_RUNNERS.filter((runner) => runner.remediable).map((runner) => [runner.metadata.name, "remediate"]),
);

/** A fast-check reporter that reports a failure by seed, path and the failing case's message only (chunks are long). */
