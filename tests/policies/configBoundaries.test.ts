// The edges of the policy-config pipeline (core/packConfig.ts) and of the JSON-schema subset it
// checks settings with (core/schema.ts): JSON Schema's own rules (an integer is a number, `required`
// applies to objects only, `items` and `additionalProperties` only when given), the exact bounds
// (`maxItems` is inclusive, a value is echoed whole up to 60 characters), and each refusal's exact
// message, which names the field to fix.
import { describe, expect, it } from "vitest";
import { normalisePackConfig, splitPolicyConfig, type ConfigurablePolicy } from "../../policy-pack/core/packConfig";
import { POLICIES, refusal } from "./standInPolicies";
import { validateAgainstSchema } from "../../policy-pack/core/schema";

describe("validateAgainstSchema: JSON Schema's own rules", () => {
  it("an integer is a number", () => {
    expect(validateAgainstSchema(2, { type: "number" }, "ratio")).toEqual([]);
    expect(validateAgainstSchema(2.5, { type: "integer" }, "count")).toEqual([
      { field: "count", message: "must be an integer, found number 2.5" },
    ]);
  });

  it("required, properties and additionalProperties apply to objects only", () => {
    const objectRules = { required: ["name"], properties: { name: { type: "string" as const } }, additionalProperties: false };
    expect(validateAgainstSchema("text", objectRules, "f")).toEqual([]);
    expect(validateAgainstSchema(["name"], objectRules, "f")).toEqual([]);
    expect(validateAgainstSchema({ other: 1 }, objectRules, "f")).toEqual([
      { field: "f.name", message: "is required" },
      { field: "f.other", message: "is not a known setting" },
    ]);
  });

  it("an object schema that does not forbid other keys accepts them", () => {
    expect(validateAgainstSchema({ name: "a", extra: 1 }, { type: "object", properties: { name: { type: "string" } } }, "")).toEqual([]);
  });

  it("an array schema without items accepts any item", () => {
    expect(validateAgainstSchema([1, "a", null], { type: "array" }, "list")).toEqual([]);
  });

  it("a pattern is a Unicode regular expression", () => {
    expect(validateAgainstSchema("é", { type: "string", pattern: "^\\p{L}$" }, "name")).toEqual([]);
    expect(validateAgainstSchema("1", { type: "string", pattern: "^\\p{L}$" }, "name")).toEqual([
      { field: "name", message: 'must match ^\\p{L}$, found "1"' },
    ]);
  });
});

describe("validateAgainstSchema: exact bounds", () => {
  it("maxItems is inclusive", () => {
    expect(validateAgainstSchema(["a", "b"], { type: "array", maxItems: 2 }, "tags")).toEqual([]);
    expect(validateAgainstSchema(["a", "b", "c"], { type: "array", maxItems: 2 }, "tags")).toEqual([
      { field: "tags", message: "must have at most 2 item(s)" },
    ]);
  });

  it("echoes a value whole up to 60 characters of JSON, else its first 57 and an ellipsis", () => {
    const sixty = `"${"x".repeat(58)}"`; // 60 characters of JSON
    expect(validateAgainstSchema(JSON.parse(sixty), { type: "integer" }, "f")).toEqual([
      { field: "f", message: `must be an integer, found string ${sixty}` },
    ]);
    const sixtyOne = `"${"x".repeat(59)}"`;
    expect(validateAgainstSchema(JSON.parse(sixtyOne), { type: "integer" }, "f")).toEqual([
      { field: "f", message: `must be an integer, found string ${sixtyOne.slice(0, 57)}...` },
    ]);
  });

  it("a value JSON cannot write (undefined) is named, not dropped", () => {
    expect(validateAgainstSchema(undefined, { enum: ["low", "high"] }, "level")).toEqual([
      { field: "level", message: "must be one of low, high; found undefined" },
    ]);
  });
});

describe("normalisePackConfig: each refusal, exactly", () => {
  it("a file that is not a JSON object", () => {
    for (const raw of [null, "advisory", 5, []]) {
      expect(refusal(raw)).toBe("The policy config must be a JSON object keyed by policy name.");
    }
  });

  it("a policy's level that is no enforcement level", () => {
    expect(refusal({ loose: "loud" })).toBe(
      'Policy config field "loose" must be one of advisory, mandatory, remediate, disabled; found "loud".',
    );
  });

  it("a policy's entry that is neither a level nor an object of settings", () => {
    for (const entry of [null, 7, ["advisory"]]) {
      expect(refusal({ loose: entry })).toBe('Policy config field "loose" must be an enforcement level or an object of settings.');
    }
  });

  it("every policy's refused settings together, one policy after the other", () => {
    const both: readonly ConfigurablePolicy[] = [POLICIES[0]!, { ...POLICIES[0]!, name: "strict-too" }];
    const result = normalisePackConfig({ strict: { a: 1 }, "strict-too": { b: 2 } }, both);
    expect(result).toEqual({
      ok: false,
      message: 'Policy config refused: strict: config field "a" is not a setting; strict-too: config field "b" is not a setting.',
    });
  });
});

describe("normalisePackConfig: the all level", () => {
  it("without `all`, a policy the file does not name stays unnamed (no key added)", () => {
    const result = normalisePackConfig({ loose: "advisory" }, POLICIES);
    expect(result).toEqual({ ok: true, file: { loose: "advisory" } });
    expect(result.ok && Object.keys(result.file)).toEqual(["loose"]);
  });

  it("a policy's own level wins over `all`, in an object entry as in a string one", () => {
    expect(normalisePackConfig({ all: "advisory", loose: { enforcementLevel: "mandatory", x: 1 } }, POLICIES)).toEqual({
      ok: true,
      file: { strict: "advisory", loose: { enforcementLevel: "mandatory", x: 1 } },
    });
  });
});

describe("splitPolicyConfig", () => {
  it("an entry that is not an object of settings has no settings and no level", () => {
    for (const entry of [undefined, null, 7, true, ["advisory"]]) expect(splitPolicyConfig(entry)).toEqual({ settings: {} });
  });
});
