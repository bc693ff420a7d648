// (a) The pack (adapters -> evaluateStack) agrees with the independent oracle on every
// (policy, resource) verdict, for AWS classic and AWS Native stacks, with unknowns anywhere.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { oracle, verdictKey, type Verdict } from "../oracle/oracle";
import { evaluate, NOW } from "../policies/fixtures";
import { policyConfig, render, renderConfig, stackWithUnknowns, withUnknowns, type Provider } from "./generators";

function packVerdicts(resources: Parameters<typeof evaluate>[0], config: Record<string, unknown>): Map<string, Verdict> {
  const result = new Map<string, Verdict>();
  for (const finding of evaluate(resources, config, NOW)) {
    const key = verdictKey(finding.policy, finding.resource.urn);
    if (result.has(key)) throw new Error(`${key} reported twice`);
    result.set(key, finding.enforcementLevel);
  }
  return result;
}

describe.each<Provider>(["classic", "native"])("pack agrees with the oracle (%s)", (provider) => {
  it("on every (policy, resource) verdict", () => {
    fc.assert(
      fc.property(stackWithUnknowns(provider), policyConfig, ({ spec, unknownPaths, style }, configSpec) => {
        const resources = withUnknowns(render(spec), unknownPaths, style);
        const config = renderConfig(configSpec);
        const expected = oracle(resources, config, NOW);
        const actual = packVerdicts(resources, config);
        for (const key of actual.keys()) expect(expected.has(key), `pack reported ${key}, which the oracle does not know`).toBe(true);
        const disagreements = [...expected]
          .filter(([key, verdict]) => (actual.get(key) ?? "pass") !== verdict)
          .map(([key, verdict]) => `${key}: oracle ${verdict}, pack ${actual.get(key) ?? "pass"}`);
        expect(disagreements).toEqual([]);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 600) },
    );
  });
});
