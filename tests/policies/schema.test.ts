// The pack's own JSON-schema check of policy config: what it refuses, and that the message names
// the field and what to do.
import { describe, expect, it } from "vitest";
import { validateAgainstSchema, type JsonSchema } from "../../policy-pack/core/schema";
import { isCalendarDate, parsePolicyConfig } from "../../policy-pack/core/config";
import { POLICY_RUNNERS } from "../../policy-pack/rules";

const schema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: { type: "string", minLength: 1, pattern: "^[a-z]+$" },
    count: { type: "integer", minimum: 1, maximum: 10 },
    ratio: { type: "number" },
    flag: { type: "boolean" },
    level: { type: "string", enum: ["low", "high"] },
    tags: { type: "array", items: { type: "string" }, minItems: 1, maxItems: 2, uniqueItems: true },
  },
};

const fields = (value: unknown) => validateAgainstSchema(value, schema, "").map((error) => `${error.field}: ${error.message}`);

describe("validateAgainstSchema", () => {
  it("accepts a value that fits", () => {
    expect(fields({ name: "abc", count: 3, ratio: 0.5, flag: true, level: "low", tags: ["a"] })).toEqual([]);
  });

  it("names every offending field with what was expected and found", () => {
    expect(fields({ count: 0, level: "mid", tags: [], extra: 1 })).toEqual([
      "name: is required",
      "count: must be at least 1, found 0",
      'level: must be one of low, high; found "mid"',
      "tags: must have at least 1 item(s)",
      "extra: is not a known setting",
    ]);
    expect(fields({ name: "", count: 11, tags: ["a", "a", "b"] })).toEqual([
      "name: must not be empty",
      'name: must match ^[a-z]+$, found ""',
      "count: must be at most 10, found 11",
      "tags: must have at most 2 item(s)",
      "tags: must not repeat an item",
    ]);
    expect(fields({ name: "a", count: 1.5, ratio: "x", flag: "yes", tags: [1] })).toEqual([
      "count: must be an integer, found number 1.5",
      'ratio: must be a number, found string "x"',
      'flag: must be a boolean, found string "yes"',
      "tags[0]: must be a string, found integer 1",
    ]);
    expect(fields(null)).toEqual([": must be an object, found null"]);
  });

  it("shortens long values it echoes", () => {
    const [error] = validateAgainstSchema("x".repeat(200), { type: "integer" }, "f");
    expect(error!.message.length).toBeLessThan(100);
    expect(error!.message).toContain("...");
  });
});

describe("policy config parsing", () => {
  const alarms = POLICY_RUNNERS.find((runner) => runner.metadata.name === "codedeploy-alarm-rollback-configured")!;

  it("fills defaults and refuses unknown keys and impossible dates", () => {
    expect(parsePolicyConfig(alarms.metadata.configSchema, undefined)).toEqual({
      ok: true,
      config: { minAlarms: 1, allowIgnorePollAlarmFailure: false, exemptions: [] },
    });
    const refused = parsePolicyConfig(alarms.metadata.configSchema, {
      minAlarm: 2,
      exemptions: [{ resource: "x", reason: "y", expires: "2026-02-30" }],
    });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.errors.map((error) => error.field)).toEqual(["minAlarm"]);
    const badDate = parsePolicyConfig(alarms.metadata.configSchema, {
      exemptions: [{ resource: "x", reason: "y", expires: "2026-02-30" }],
    });
    expect(!badDate.ok && badDate.errors).toEqual([{ field: "exemptions[0].expires", message: 'is not a calendar date: "2026-02-30"' }]);
  });

  it("knows calendar dates", () => {
    expect(["2028-02-29", "2026-12-31"].map(isCalendarDate)).toEqual([true, true]);
    expect(["2027-02-29", "2026-13-01", "26-01-01", "tomorrow"].map(isCalendarDate)).toEqual([false, false, false, false]);
  });
});
