// The one resource format every tool passes around: a resource as the Pulumi engine sends it to an
// analyzer. Properties are in the engine's wire encoding (JSON of a google.protobuf.Struct), so an
// unknown value is the engine's unknown sentinel string and a secret is the signature object
// `{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": ... }`.
// The mocks recorder produces it, a state file is read into it, and the engine client sends it.

export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * The engine's unknown sentinels, one per type (`sdk/go/common/resource/plugin/rpc.go`,
 * `marshalUnknownProperty`): a value computed from unknowns arrives as the sentinel of its type.
 * `string` is UNKNOWN_SENTINEL; the Node SDK of a program only ever sends that one.
 */
export const TYPED_UNKNOWN_SENTINELS = {
  string: UNKNOWN_SENTINEL,
  bool: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
  asset: "030794c1-ac77-496b-92df-f27374a8bd58",
  archive: "e48ece36-62e2-4504-bad9-02848725956a",
} as const;
export type UnknownKind = keyof typeof TYPED_UNKNOWN_SENTINELS;

const ALL_UNKNOWN_SENTINELS: ReadonlySet<string> = new Set(Object.values(TYPED_UNKNOWN_SENTINELS));

/** True for any of the engine's unknown sentinels, whatever its type. */
export function isUnknownSentinel(value: WireValue | undefined): boolean {
  return typeof value === "string" && ALL_UNKNOWN_SENTINELS.has(value);
}
export const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export type WireValue = null | boolean | number | string | WireValue[] | { [key: string]: WireValue };
export type WireProperties = { [key: string]: WireValue };

export interface EngineResourceOptions {
  readonly protect?: boolean;
  readonly ignoreChanges?: readonly string[];
  readonly deleteBeforeReplace?: boolean;
  readonly aliases?: readonly string[];
  readonly additionalSecretOutputs?: readonly string[];
  readonly parent?: string;
}

export interface EngineProvider {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly properties: WireProperties;
}

export interface EngineResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Inputs for Analyze; outputs (which include the inputs) for AnalyzeStack. */
  readonly properties: WireProperties;
  readonly options?: EngineResourceOptions;
  readonly parent?: string;
  readonly provider?: EngineProvider;
  readonly dependencies?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

export function secret(value: WireValue): WireValue {
  return { [SPECIAL_SIG_KEY]: SECRET_SIG, value };
}

/** True for a secret signature object. */
export function isSecretValue(value: WireValue | undefined): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && value[SPECIAL_SIG_KEY] === SECRET_SIG;
}

/** The plaintext of a secret signature object (null when it holds none); any other value as it is. */
export function secretPlaintext(value: WireValue): WireValue {
  if (typeof value === "object" && value !== null && !Array.isArray(value) && value[SPECIAL_SIG_KEY] === SECRET_SIG)
    return value["value"] ?? null;
  return value;
}

export function makeUrn(stack: string, project: string, type: string, name: string, parentType?: string): string {
  const qualifiedType = parentType ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}
