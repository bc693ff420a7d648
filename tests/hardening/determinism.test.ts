// Determinism: the same input gives the same diagnostics in the same order, over repeated Analyze
// and AnalyzeStack calls; and the set of stack diagnostics does not depend on resource order when
// the stack has no name collisions (the only place order matters: the first config of a name wins).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineResource, PolicyPackClient } from "../../tools/engine";
import { startPack } from "../engine/helpers";
import { evaluateDirect, FUZZ_PACK_CONFIG, nearValidCaseArb } from "./fuzzSupport";

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

function key(diagnostic: { policyName: string; urn: string; message: string; enforcementLevel: string }): string {
  return `${diagnostic.policyName}|${diagnostic.urn}|${diagnostic.enforcementLevel}|${diagnostic.message}`;
}

describe("determinism", () => {
  it("repeated Analyze and AnalyzeStack give identical diagnostics in identical order; shuffled stacks give the same set", async () => {
    const samples = fc.sample(fc.tuple(stackArb, fc.integer()), { seed: 20260115, numRuns: 6 });
    let nonEmpty = 0;
    for (const [cases, shuffleSeed] of samples) {
      const resources: EngineResource[] = cases.flatMap((item) => item.stack);
      const first = await pack.analyzeStack(resources);
      if (first.diagnostics.length > 0) nonEmpty++;
      for (let round = 0; round < 3; round++) expect(await pack.analyzeStack(resources)).toEqual(first);
      for (const item of cases.slice(0, 10)) {
        const once = await pack.analyze(item.target);
        expect(await pack.analyze(item.target)).toEqual(once);
        expect(await pack.remediate(item.target)).toEqual(await pack.remediate(item.target));
      }
      const shuffled = fc.sample(fc.shuffledSubarray(resources, { minLength: resources.length, maxLength: resources.length }), {
        seed: shuffleSeed,
        numRuns: 1,
      })[0]!;
      const again = await pack.analyzeStack(shuffled);
      expect(again.diagnostics.map(key).sort()).toEqual(first.diagnostics.map(key).sort());
      // The direct path gives the same findings in the same order every time too.
      expect(evaluateDirect(resources)).toEqual(evaluateDirect(resources));
    }
    expect(nonEmpty).toBeGreaterThan(0);
  });
});
