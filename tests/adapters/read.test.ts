// The safe readers every adapter is built from: the engine's typed unknown sentinels, the policy SDK's
// throwing proxies, null as unset, and a Malformed record (path, expected, JSON type found; never the
// value) for anything of the wrong shape.
import { describe, expect, it } from "vitest";
import {
  asBoolean,
  asInteger,
  asList,
  asObject,
  asString,
  isPresent,
  isUnknownSentinel,
  jsonTypeOf,
  readProperty,
} from "../../policy-pack/adapters/read";
import { UNKNOWN } from "../../policy-pack/core/model";

// `marshalUnknownProperty` in the engine (sdk/go/common/resource/plugin/rpc.go): one per type.
const TYPED_SENTINELS = {
  string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  bool: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  asset: "030794c1-ac77-496b-92df-f27374a8bd58",
  archive: "e48ece36-62e2-4504-bad9-02848725956a",
  object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
};

const malformed = (path: string, expected: string, found: string) => ({ kind: "malformed", path, expected, found });

/** An object whose `key` throws on access, as the policy SDK's proxy does for a value unknown during preview. */
function throwingOn(key: string, rest: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.defineProperty({ ...rest }, key, {
    enumerable: true,
    get() {
      throw new Error(`${key} is unknown during preview`);
    },
  });
}

describe("unknown values", () => {
  it.each(Object.entries(TYPED_SENTINELS))("the %s sentinel reads as UNKNOWN, as a property and as a list item", (_type, sentinel) => {
    expect(isUnknownSentinel(sentinel)).toBe(true);
    expect(readProperty({ field: sentinel }, "field")).toBe(UNKNOWN);
    expect(asList([sentinel], "events", (item) => (item === UNKNOWN ? "unknown" : "known"))).toEqual(["unknown"]);
  });

  it("any other string, UUID-shaped or not, is a value", () => {
    for (const text of ["04da6b54-80e4-46f7-96ec-b56ff0331ba8", "DEPLOYMENT_FAILURE", ""]) {
      expect(isUnknownSentinel(text)).toBe(false);
      expect(readProperty({ field: text }, "field")).toBe(text);
    }
    expect(isUnknownSentinel(undefined)).toBe(false);
  });

  it("a property or list item whose access throws reads as UNKNOWN", () => {
    expect(readProperty(throwingOn("enabled", { events: [] }), "enabled")).toBe(UNKNOWN);
    expect(readProperty(throwingOn("enabled", { events: [] }), "events")).toEqual([]);
    const list = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"];
    Object.defineProperty(list, 1, {
      get() {
        throw new Error("unknown");
      },
    });
    expect(asList(list, "events", (item) => item)).toEqual(["DEPLOYMENT_FAILURE", UNKNOWN]);
  });
});

describe("readProperty", () => {
  it("reads only from objects", () => {
    expect(readProperty({ a: 1 }, "a")).toBe(1);
    expect(readProperty({ a: 1 }, "b")).toBeUndefined();
    expect(readProperty(["x"], "0")).toBeUndefined();
    expect(readProperty("abc", "length")).toBeUndefined();
    expect(readProperty(null, "a")).toBeUndefined();
    expect(readProperty(undefined, "a")).toBeUndefined();
  });
});

describe("jsonTypeOf", () => {
  it("names the JSON type, never the value", () => {
    expect([null, [], {}, "s", 1, true, undefined].map(jsonTypeOf)).toEqual([
      "null",
      "array",
      "object",
      "string",
      "number",
      "boolean",
      "undefined",
    ]);
  });
});

describe("scalar readers", () => {
  it("leave absent and null unset, keep UNKNOWN and a value of the right type", () => {
    for (const read of [asString, asBoolean, asInteger]) {
      expect(read(undefined, "f")).toBeUndefined();
      expect(read(null, "f")).toBeUndefined();
      expect(read(UNKNOWN, "f")).toBe(UNKNOWN);
    }
    expect(asString("IGNORE", "f")).toBe("IGNORE");
    expect(asString("", "f")).toBe("");
    expect(asBoolean(false, "f")).toBe(false);
    expect(asInteger(0, "f")).toBe(0);
    expect(asInteger(-3, "f")).toBe(-3);
  });

  it("record a value of the wrong type as malformed at its path", () => {
    expect(asString(1, "outdatedInstancesStrategy")).toEqual(malformed("outdatedInstancesStrategy", "string", "number"));
    expect(asBoolean("false", "alarmConfiguration.enabled")).toEqual(malformed("alarmConfiguration.enabled", "boolean", "string"));
    expect(asBoolean(0, "alarmConfiguration.enabled")).toEqual(malformed("alarmConfiguration.enabled", "boolean", "number"));
    expect(asInteger(66.5, "minimumHealthyHosts.value")).toEqual(malformed("minimumHealthyHosts.value", "integer", "number"));
    expect(asInteger("66", "minimumHealthyHosts.value")).toEqual(malformed("minimumHealthyHosts.value", "integer", "string"));
    expect(asInteger({}, "minimumHealthyHosts.value")).toEqual(malformed("minimumHealthyHosts.value", "integer", "object"));
  });
});

describe("asObject", () => {
  it("maps an object, and only an object", () => {
    expect(asObject({ type: "HOST_COUNT" }, "minimumHealthyHosts", (block) => readProperty(block, "type"))).toBe("HOST_COUNT");
    expect(asObject(undefined, "b", () => "mapped")).toBeUndefined();
    expect(asObject(null, "b", () => "mapped")).toBeUndefined();
    expect(asObject(UNKNOWN, "b", () => "mapped")).toBe(UNKNOWN);
    expect(asObject(["a"], "b", () => "mapped")).toEqual(malformed("b", "object", "array"));
    expect(asObject("a", "b", () => "mapped")).toEqual(malformed("b", "object", "string"));
  });
});

describe("asList", () => {
  it("maps every item with its index, and nothing more", () => {
    const seen: [unknown, number][] = [];
    const list = asList(["a", "b", "c"], "alarms", (item, index) => {
      seen.push([item, index]);
      return `${String(item)}${index}`;
    });
    expect(list).toEqual(["a0", "b1", "c2"]);
    expect(seen).toEqual([
      ["a", 0],
      ["b", 1],
      ["c", 2],
    ]);
    expect(asList([], "alarms", () => "x")).toEqual([]);
  });

  it("leaves absent and null unset, keeps UNKNOWN, and records a non-list as malformed", () => {
    expect(asList(undefined, "alarms", () => "x")).toBeUndefined();
    expect(asList(null, "alarms", () => "x")).toBeUndefined();
    expect(asList(UNKNOWN, "alarms", () => "x")).toBe(UNKNOWN);
    expect(asList({ 0: "a" }, "alarmConfiguration.alarms", () => "x")).toEqual(malformed("alarmConfiguration.alarms", "array", "object"));
    expect(asList("a", "alarmConfiguration.alarms", () => "x")).toEqual(malformed("alarmConfiguration.alarms", "array", "string"));
  });
});

describe("isPresent", () => {
  it("is true for a set value, even an unknown or falsy one, and false for absent or null", () => {
    expect(isPresent({ f: "x" }, "f")).toBe(true);
    expect(isPresent({ f: false }, "f")).toBe(true);
    expect(isPresent({ f: TYPED_SENTINELS.string }, "f")).toBe(true);
    expect(isPresent(throwingOn("f"), "f")).toBe(true);
    expect(isPresent({ f: null }, "f")).toBe(false);
    expect(isPresent({}, "f")).toBe(false);
    expect(isPresent(null, "f")).toBe(false);
  });
});
