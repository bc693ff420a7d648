// The rule core (adapters + evaluateStack) on many generated cases per resource type: it never
// throws, and a malformed field a mandatory check reads is a mandatory violation naming the field.
// The same generators run through gRPC in grpc-fuzz.test.ts; `npm run fuzz` runs far more of both.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { caseArbFor, type FuzzCase } from "./fuzz/cases";
import { runDirectCase } from "./fuzz/oracle";
import { conciseReporter } from "./fuzz/reporter";
import { FUZZ_TYPES } from "./fuzz/stacks";

const RUNS_PER_TYPE = Number(process.env["HARDENING_CORE_RUNS"] ?? 3_000);

describe("rule core fuzz (adapters + evaluateStack)", () => {
  for (const type of FUZZ_TYPES) {
    it(`${type}: ${RUNS_PER_TYPE} cases, never throws, malformed mandatory fields are named`, () => {
      fc.assert(
        fc.property(caseArbFor(type), (fuzzCase: FuzzCase) => {
          const failure = runDirectCase(fuzzCase);
          if (failure) throw new Error(failure);
        }),
        { numRuns: RUNS_PER_TYPE, reporter: conciseReporter },
      );
    });
  }

  it("the oracle can fail: a malformed enabled flag that is not named is caught", () => {
    const fuzzCase = fc.sample(caseArbFor(FUZZ_TYPES[0]), 1)[0]!;
    const forged: FuzzCase = { ...fuzzCase, expectMalformed: "autoRollbackConfiguration.no-such-field" };
    expect(runDirectCase(forged)).toMatch(/no mandatory violation names/);
  });
});
