// Determinism: the same input gives the same diagnostics in the same order over repeated Analyze
// and AnalyzeStack calls; and the diagnostics do not depend on resource order, which the engine
// does not fix (docs/resolution.md). Stacks go as a real preview or update sends them
// (tools/engine/realEngine.ts), and include same-name configs and applications, in one scope and in
// two regions, so that no verdict can hang on which candidate came first.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realEnginePayloads, type EngineResource, type PolicyPackClient } from "../../packages/tools/src/engine";
import { diagnosticKey, startPack } from "../engine/helpers";
import { nearValidCaseArb, type FuzzCase } from "./fuzz/cases";
import { FUZZ_PACK_CONFIG, FUZZ_PROVIDER } from "./fuzz/grpc";
import { evaluateDirect } from "./fuzz/oracle";

let pack: PolicyPackClient;

beforeAll(async () => {
  pack = await startPack(FUZZ_PACK_CONFIG);
});

afterAll(async () => {
  await pack?.close();
});

// Faulty-ish stacks: near-valid cases of every role and provider, 30 of them in one stack.
const stackArb = fc.array(
  fc.oneof(
    nearValidCaseArb("group", "classic"),
    nearValidCaseArb("group", "native"),
    nearValidCaseArb("config", "classic"),
    nearValidCaseArb("config", "native"),
    nearValidCaseArb("application", "classic"),
  ),
  { minLength: 30, maxLength: 30 },
);

const NAME_KEYS = ["name", "applicationName", "deploymentConfigName"];

/**
 * Every case's resources behind one provider, plus, for every third config or application, a twin
 * of the same name (so a group naming it has two candidates) and, for every fifth, a twin in
 * another region (never a candidate).
 */
function withCollisions(cases: readonly FuzzCase[]): EngineResource[] {
  const resources: EngineResource[] = cases
    .flatMap((fuzzCase) => fuzzCase.stack)
    .map((resource) => ({ ...resource, provider: FUZZ_PROVIDER }));
  const twins: EngineResource[] = [];
  resources.forEach((resource, index) => {
    if (!NAME_KEYS.some((key) => key in resource.properties) || /DeploymentGroup$/.test(resource.type)) return;
    const twin = (suffix: string, extra: Record<string, string>): EngineResource => ({
      ...resource,
      urn: `${resource.urn}-${suffix}`,
      name: `${resource.name}-${suffix}`,
      properties: { ...resource.properties, ...extra },
    });
    if (index % 3 === 0) twins.push(twin("twin", {}));
    if (index % 5 === 0) twins.push(twin("east", { region: "us-east-1" }));
  });
  return [...resources, ...twins];
}

describe("determinism", () => {
  it("repeated Analyze and AnalyzeStack give identical diagnostics in identical order", async () => {
    const [cases] = fc.sample(stackArb, { seed: 20260115, numRuns: 1 });
    const resources = cases!.flatMap((item) => item.stack);
    const first = await pack.analyzeStack(resources);
    expect(first.diagnostics.length).toBeGreaterThan(0);
    for (let round = 0; round < 3; round++) expect(await pack.analyzeStack(resources)).toEqual(first);
    for (const item of cases!.slice(0, 10)) {
      const once = await pack.analyze(item.target);
      expect(await pack.analyze(item.target)).toEqual(once);
      expect(await pack.remediate(item.target)).toEqual(await pack.remediate(item.target));
    }
    // The direct path gives the same findings in the same order every time too.
    expect(evaluateDirect(resources)).toEqual(evaluateDirect(resources));
  });

  for (const mode of ["preview", "update"] as const) {
    it(`${mode}: the same stack, with same-name resources, in several shuffled orders gives identical diagnostics`, async () => {
      const samples = fc.sample(stackArb, { seed: mode === "preview" ? 20260116 : 20260117, numRuns: 3 });
      for (const cases of samples) {
        const resources = withCollisions(cases);
        const runs: string[][] = [];
        for (const shuffleSeed of [1, 2, 3, 4]) {
          const payloads = realEnginePayloads(resources, { mode, shuffleSeed });
          // Each order is one preview: Analyze on every resource, then AnalyzeStack (the pack may forget
          // what it saw in Analyze once a preview's AnalyzeStack is done).
          for (const resource of payloads.analyze) await pack.analyze(resource);
          runs.push((await pack.analyzeStack(payloads.analyzeStack)).diagnostics.map(diagnosticKey).sort());
        }
        expect(runs[0]!.length).toBeGreaterThan(0);
        for (const run of runs.slice(1)) expect(run).toEqual(runs[0]);
      }
    });
  }
});
