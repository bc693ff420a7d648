// Fuzzing through the real analyzer protocol: the compiled pack, started as the engine starts it,
// gets generated resources of every type it handles (and unrelated ones) in the engine's wire
// encoding. Each fast-check run is a chunk of cases: Analyze and Remediate per case, one
// AnalyzeStack over the whole chunk; half the chunks go as a real preview or update sends them
// (checked inputs, outputs in a shuffled order, sometimes an unconfigured provider's `{}` outputs). Asserted: no gRPC error, the pack stays alive, a malformed
// field a mandatory check reads is a mandatory violation naming the field (see fuzz/oracle.ts).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PolicyPackClient } from "../../packages/tools/src/engine";
import { startPack } from "../engine/helpers";
import { caseArbFor } from "./fuzz/cases";
import { chunkShapesArb, FUZZ_PACK_CONFIG, isAlive, runGrpcChunk } from "./fuzz/grpc";
import { conciseReporter } from "./fuzz/reporter";
import { FUZZ_TYPES } from "./fuzz/stacks";

const CASES_PER_TYPE = Number(process.env["HARDENING_GRPC_CASES"] ?? 1_000);
const CHUNK = 50;
const RUNS = Math.ceil(CASES_PER_TYPE / CHUNK);

let pack: PolicyPackClient;

beforeAll(async () => {
  pack = await startPack(FUZZ_PACK_CONFIG);
});

afterAll(async () => {
  await pack?.close();
});

describe("gRPC fuzz", () => {
  for (const type of FUZZ_TYPES) {
    it(`${type}: ${RUNS * CHUNK} cases through Analyze, Remediate and AnalyzeStack`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(caseArbFor(type), { minLength: CHUNK, maxLength: CHUNK }), chunkShapesArb, async (cases, shapes) => {
          const failure = await runGrpcChunk(pack, cases, shapes);
          if (failure) throw new Error(failure);
        }),
        // Shrinking re-runs chunks through gRPC; a time budget keeps a failing run readable. A run cut
        // short by the budget is a failure, not a pass: every type must get all its cases. The budget
        // (several times a normal run) stays under vitest's 60 s testTimeout so fast-check reports first.
        { numRuns: RUNS, interruptAfterTimeLimit: 45_000, markInterruptAsFailure: true, reporter: conciseReporter },
      );
      expect(isAlive(pack.pid)).toBe(true);
    });
  }

  it("the pack still answers and logged no unhandled error", async () => {
    expect((await pack.getAnalyzerInfo()).policies).toHaveLength(6);
    expect(pack.stderr()).not.toMatch(/Unhandled|TypeError|RangeError/);
  });
});
