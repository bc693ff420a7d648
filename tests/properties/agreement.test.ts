// (a) The pack agrees with the independent oracle on every (policy, resource) verdict, on stacks
// sent the way the real engine sends them (tools/engine/realEngine): Analyze with the inputs after
// the classic provider's Check, AnalyzeStack with outputs (computed fields unknown in a preview,
// `{}` for a provider whose configuration is unknown), typed unknowns, whole-list secrets, same-name
// applications and configs in several regions and providers, external and custom configs, and a
// shuffled order. The pack runs in-process behind @pulumi/policy's own handlers (sdkDriver).
// (f) Any order of the same resources gives the pack's identical diagnostics, verdicts and messages.
//
// FC_SEED and FC_RUNS replay or lengthen a run; a failure prints the readable spec that caused it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { oracle, verdictKey, type Verdict } from "../oracle/oracle";
import { enginePayloads, engineStack, policyConfig, renderConfig, type EngineSpec, type Provider, type StackSpec } from "./generators";
import { seededShuffle } from "../../packages/tools/src/engine/realEngine";
import { oracleResources, runPack, type PackDiagnostic } from "./sdkDriver";

const RUNS = Number(process.env.FC_RUNS ?? 300);
const SEED = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) };

function packVerdicts(diagnostics: readonly PackDiagnostic[]): Map<string, Verdict> {
  const result = new Map<string, Verdict>();
  for (const d of diagnostics) {
    const key = verdictKey(d.policy, d.urn);
    if (result.has(key)) throw new Error(`${key} reported twice`);
    if (d.level !== "advisory" && d.level !== "mandatory") throw new Error(`${key} reported at level ${d.level}`);
    result.set(key, d.level);
  }
  return result;
}

/** Every verdict on which pack and oracle differ, as `policy urn: oracle X, pack Y`. */
async function disagreements(spec: StackSpec, engine: EngineSpec, config: Record<string, unknown>): Promise<string[]> {
  const { analyze, analyzeStack } = enginePayloads(spec, engine);
  const sent = engine.analyzed ? analyze : [];
  const expected = oracle(oracleResources(sent, analyzeStack), config, new Date());
  const actual = packVerdicts(await runPack(sent, analyzeStack, config));
  const unexpected = [...actual.keys()].filter((key) => !expected.has(key)).map((key) => `${key}: reported, but on no group or config`);
  const differing = [...expected]
    .filter(([key, verdict]) => (actual.get(key) ?? "pass") !== verdict)
    .map(([key, verdict]) => `${key}: oracle ${verdict}, pack ${actual.get(key) ?? "pass"}`);
  return [...unexpected, ...differing];
}

describe.each<Provider>(["classic", "native"])("pack agrees with the oracle (%s)", (provider) => {
  it("on every (policy, resource) verdict, as a real preview or update sends the stack", async () => {
    await fc.assert(
      fc.asyncProperty(engineStack(provider), policyConfig, async ({ spec, engine }, configSpec) => {
        expect(await disagreements(spec, engine, renderConfig(configSpec))).toEqual([]);
      }),
      { numRuns: RUNS, ...SEED },
    );
  });
});

// Cases the random stacks reach rarely or never (the levels generator changes at most two
// policies), each with the verdict the spec gives on the policy it is about.
const OFF = { enforcementLevel: "disabled" };
const EXAMPLES: {
  label: string;
  spec: StackSpec;
  engine: EngineSpec;
  config: Record<string, unknown>;
  expect: [string, string, Verdict];
}[] = [
  {
    label: "every resource-scope policy disabled, so the pack saw no Analyze props for the {} outputs",
    spec: {
      provider: "classic",
      providers: [{ region: "us-east-1", configurationUnknown: true }],
      apps: [{ name: 0, platform: "Lambda" }],
      configs: [],
      groups: [{ ecs: false, app: { kind: "inStack", index: 0, via: "output" }, config: { kind: "none" } }],
    },
    engine: { mode: "preview", analyzed: true, unknownPaths: [], shuffleSeed: 1 },
    config: {
      "codedeploy-auto-rollback-enabled": OFF,
      "codedeploy-alarm-rollback-configured": OFF,
      "codedeploy-outdated-instances-update": OFF,
    },
    expect: ["codedeploy-gradual-traffic-shifting", "group0", "advisory"],
  },
  {
    label: "the same stack with them enabled: the Analyze props decide (Lambda, provider's OneAtATime)",
    spec: {
      provider: "classic",
      providers: [{ region: "us-east-1", configurationUnknown: true }],
      apps: [{ name: 0, platform: "Lambda" }],
      configs: [],
      groups: [{ ecs: false, app: { kind: "inStack", index: 0, via: "output" }, config: { kind: "none" } }],
    },
    engine: { mode: "preview", analyzed: true, unknownPaths: [], shuffleSeed: 1 },
    config: {},
    expect: ["codedeploy-gradual-traffic-shifting", "group0", "mandatory"],
  },
  {
    label: "a same-name config of another provider is out of scope",
    spec: {
      provider: "classic",
      providers: [{ region: "us-east-1" }, { region: "eu-west-1" }],
      apps: [],
      configs: [
        { name: 0, healthy: { type: "FLEET_PERCENT", value: 50 } },
        { name: 0, provider: 1, healthy: { type: "FLEET_PERCENT", value: 75 } },
      ],
      groups: [
        { ecs: false, provider: 1, app: { kind: "notInStack", platform: "Server" }, config: { kind: "custom", index: 1, via: "literal" } },
      ],
    },
    engine: { mode: "update", analyzed: true, unknownPaths: [], shuffleSeed: 1 },
    config: {},
    expect: ["codedeploy-minimum-healthy-hosts", "group0", "pass"],
  },
];

describe("pack agrees with the oracle on hand-picked stacks", () => {
  it.each(EXAMPLES.map((e) => [e.label, e] as const))("%s", async (_label, example) => {
    const [policy, name, verdict] = example.expect;
    const { analyze, analyzeStack } = enginePayloads(example.spec, example.engine);
    const target = analyzeStack.find((r) => r.name === name)!;
    expect(oracle(oracleResources(analyze, analyzeStack), example.config, new Date()).get(verdictKey(policy, target.urn))).toBe(verdict);
    expect(await disagreements(example.spec, example.engine, example.config)).toEqual([]);
  });
});

describe("(f) resource order", () => {
  const canonical = (diagnostics: readonly PackDiagnostic[]) =>
    diagnostics.map((d) => `${d.policy} ${d.urn} ${d.level}: ${d.message}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  it("any order of the same resources gives identical diagnostics, verdicts and messages", async () => {
    await fc.assert(
      fc.asyncProperty(engineStack(), policyConfig, fc.nat(), async ({ spec, engine }, configSpec, otherSeed) => {
        const config = renderConfig(configSpec);
        const run = async (seed: number) => {
          const { analyze, analyzeStack } = enginePayloads(spec, { ...engine, shuffleSeed: seed });
          // The engine runs independent steps in parallel, so Analyze's order is not fixed either.
          return canonical(await runPack(engine.analyzed ? seededShuffle(analyze, seed) : [], analyzeStack, config));
        };
        expect(await run(otherSeed)).toEqual(await run(engine.shuffleSeed));
      }),
      { numRuns: Math.ceil(RUNS / 2), ...SEED },
    );
  });
});
