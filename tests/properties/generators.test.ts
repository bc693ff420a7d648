// The generators must keep sending what the real engine sends (engine-facts.md), or the agreement
// and order properties silently test a simpler world. Over a fixed sample, each shape shows up.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TYPED_UNKNOWN_SENTINELS, isSecretValue, type EngineResource, type WireValue } from "../../packages/tools/src/engine/types";
import { enginePayloads, engineStack } from "./generators";

const SAMPLE = fc
  .sample(engineStack(), { numRuns: 800, seed: 11 })
  .map(({ spec, engine }) => ({ spec, engine, ...enginePayloads(spec, engine) }));

function someValue(value: WireValue | undefined, test: (v: WireValue) => boolean): boolean {
  if (value === undefined) return false;
  if (test(value)) return true;
  if (value === null || typeof value !== "object") return false;
  return (Array.isArray(value) ? value : Object.values(value)).some((item) => someValue(item, test));
}
const anyResource = (pick: (s: (typeof SAMPLE)[number]) => readonly EngineResource[], test: (r: EngineResource) => boolean) =>
  SAMPLE.some((s) => pick(s).some(test));
const codedeploy = (r: EngineResource) => r.type.includes(":codedeploy");

describe("generated stacks look like what the real engine sends", () => {
  it("Analyze gets checked inputs: the provider's OneAtATime and UPDATE defaults, nested __defaults, no top-level __ keys", () => {
    const lambdaWithDefault = SAMPLE.some(
      (s) =>
        s.spec.provider === "classic" &&
        s.spec.groups.some(
          (g, i) =>
            g.config.kind === "none" &&
            g.app.kind === "inStack" &&
            s.spec.apps[g.app.index]?.platform === "Lambda" &&
            s.analyze.some((r) => r.name === `group${i}` && r.properties["deploymentConfigName"] === "CodeDeployDefault.OneAtATime"),
        ),
    );
    expect(lambdaWithDefault).toBe(true);
    expect(
      anyResource(
        (s) => s.analyze,
        (r) => r.properties["outdatedInstancesStrategy"] === "UPDATE",
      ),
    ).toBe(true);
    expect(
      anyResource(
        (s) => s.analyze,
        (r) => someValue(r.properties, (v) => typeof v === "object" && v !== null && !Array.isArray(v) && "__defaults" in v),
      ),
    ).toBe(true);
    expect(
      anyResource(
        (s) => s.analyze,
        (r) => Object.keys(r.properties).some((k) => k.startsWith("__")),
      ),
    ).toBe(false);
  });

  it("unknowns are typed, secrets include whole lists, and AnalyzeStack gets outputs ({} for an unconfigured provider)", () => {
    for (const kind of ["string", "bool", "number", "array", "object"] as const) {
      expect(
        anyResource(
          (s) => s.analyze,
          (r) => codedeploy(r) && someValue(r.properties, (v) => v === TYPED_UNKNOWN_SENTINELS[kind]),
        ),
        kind,
      ).toBe(true);
    }
    expect(
      anyResource(
        (s) => s.analyze,
        (r) => isSecretValue((r.properties["alarmConfiguration"] as Record<string, WireValue> | undefined)?.["alarms"]),
      ),
    ).toBe(true);
    expect(
      anyResource(
        (s) => s.analyzeStack,
        (r) => codedeploy(r) && Object.keys(r.properties).length === 0,
      ),
    ).toBe(true);
    expect(
      anyResource(
        (s) => s.analyzeStack,
        (r) => r.properties["computePlatform"] === TYPED_UNKNOWN_SENTINELS.string && r.type.includes("DeploymentGroup"),
      ),
    ).toBe(true);
    expect(
      anyResource(
        (s) => s.analyzeStack,
        (r) =>
          typeof r.properties["computePlatform"] === "string" &&
          r.type.includes("DeploymentGroup") &&
          !r.properties["computePlatform"].includes("-"),
      ),
    ).toBe(true);
    expect(SAMPLE.some((s) => !s.engine.analyzed)).toBe(true);
  });

  it("same-name configs and applications live in several regions and providers, in shuffled order", () => {
    const scopes = (s: (typeof SAMPLE)[number], type: string, key: string) => {
      const byName = new Map<string, Set<string>>();
      for (const r of s.analyze.filter((item) => item.type.endsWith(type))) {
        const name = JSON.stringify(r.properties[key] ?? r.properties["applicationName"]);
        byName.set(
          name,
          (byName.get(name) ?? new Set()).add(
            `${r.provider?.urn} ${JSON.stringify(r.properties["region"] ?? r.provider?.properties["region"])}`,
          ),
        );
      }
      return [...byName.values()].some((set) => set.size > 1);
    };
    expect(SAMPLE.some((s) => scopes(s, "DeploymentConfig", "deploymentConfigName"))).toBe(true);
    expect(SAMPLE.some((s) => scopes(s, "Application", "name"))).toBe(true);
    expect(
      anyResource(
        (s) => s.analyze,
        (r) => r.properties["region"] === TYPED_UNKNOWN_SENTINELS.string,
      ),
    ).toBe(true);
    expect(SAMPLE.some((s) => s.analyzeStack.map((r) => r.urn).join() !== s.analyze.map((r) => r.urn).join())).toBe(true);
    expect(SAMPLE.some((s) => s.spec.groups.some((g) => g.config.kind === "external"))).toBe(true);
    expect(SAMPLE.some((s) => s.spec.groups.some((g) => g.app.kind === "notInStack"))).toBe(true);
  });
});
