// Safe reading of resource properties as the policy SDK hands them over: a property that is
// unknown during preview throws on access (the SDK's proxy) or arrives as one of the engine's
// unknown sentinels. Nothing here throws; every oddity becomes UNKNOWN or a Malformed record.
import { UNKNOWN, type Field, type Malformed } from "../core/model";

/** The engine's sentinel for a string computed during the update. */
export const UNKNOWN_STRING_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * The engine's typed sentinels for values computed during the update (`marshalUnknownProperty`):
 * string, bool, number, array, asset, archive, object.
 */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  UNKNOWN_STRING_SENTINEL,
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

export type Raw = unknown;

export function jsonTypeOf(value: Raw): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function isRecord(value: Raw): value is Record<string, Raw> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads `object[key]`, turning the SDK's unknown-value proxy error and sentinels into UNKNOWN (which the
 * return type, `unknown`, already includes).
 */
export function readProperty(object: Raw, key: string): Raw {
  if (!isRecord(object)) return undefined;
  let value: Raw;
  try {
    value = object[key];
  } catch {
    return UNKNOWN;
  }
  return isUnknownSentinel(value) ? UNKNOWN : value;
}

function malformed(path: string, expected: string, value: Raw): Malformed {
  return { kind: "malformed", path, expected, found: jsonTypeOf(value) };
}

/** Absent (undefined or null) stays absent; CodeDeploy treats an explicit null as unset. */
export function asString(value: Raw, path: string): Field<string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === UNKNOWN) return UNKNOWN;
  return typeof value === "string" ? value : malformed(path, "string", value);
}

export function asBoolean(value: Raw, path: string): Field<boolean> | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === UNKNOWN) return UNKNOWN;
  return typeof value === "boolean" ? value : malformed(path, "boolean", value);
}

export function asInteger(value: Raw, path: string): Field<number> | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === UNKNOWN) return UNKNOWN;
  return typeof value === "number" && Number.isInteger(value) ? value : malformed(path, "integer", value);
}

/** An object field, mapped by `map` once it is known to be an object. */
export function asObject<T>(value: Raw, path: string, map: (object: Raw) => T): Field<T> | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === UNKNOWN) return UNKNOWN;
  return isRecord(value) ? map(value) : malformed(path, "object", value);
}

/** A list field, each item mapped by `mapItem` (which sees UNKNOWN for an item unknown during preview). */
export function asList<T>(
  value: Raw,
  path: string,
  mapItem: (item: Raw, index: number) => Field<T>,
): Field<readonly Field<T>[]> | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === UNKNOWN) return UNKNOWN;
  if (!Array.isArray(value)) return malformed(path, "array", value);
  const items: Field<T>[] = [];
  for (let index = 0; index < value.length; index++) {
    items.push(mapItem(readIndex(value, index), index));
  }
  return items;
}

function readIndex(array: readonly Raw[], index: number): Raw {
  try {
    const value = array[index];
    return isUnknownSentinel(value) ? UNKNOWN : value;
  } catch {
    return UNKNOWN;
  }
}

const SPECIAL_PROXY_TARGET = "__getSpecialProxyTarget";

/**
 * The plain value behind the policy SDK's proxies (`@pulumi/policy/proxy.js` and `secret.js`
 * answer `__getSpecialProxyTarget` with their target), or the value itself. Reading the target
 * skips a proxy per property access and the exception the proxy throws for an unknown value;
 * `readProperty` still maps the engine's sentinels to UNKNOWN.
 */
export function proxyTarget(value: Raw): Raw {
  let current = value;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    let target: Raw;
    try {
      target = (current as Record<string, Raw>)[SPECIAL_PROXY_TARGET];
    } catch {
      break;
    }
    if (typeof target !== "object" || target === null) break;
    current = target;
  }
  return current;
}

/** True when the property is present (set, even if unknown). */
export function isPresent(object: Raw, key: string): boolean {
  const value = readProperty(object, key);
  return value !== undefined && value !== null;
}

/** Every sentinel is a 36-character UUID: the length test spares hashing every other string read. */
export function isUnknownSentinel(value: Raw): boolean {
  return typeof value === "string" && value.length === 36 && UNKNOWN_SENTINELS.has(value);
}
