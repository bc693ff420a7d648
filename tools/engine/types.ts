// The one resource format every tool passes around: a resource as the Pulumi engine sends it to an
// analyzer. Properties are in the engine's wire encoding (JSON of a google.protobuf.Struct), so an
// unknown value is the engine's unknown sentinel string and a secret is the signature object
// `{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": ... }`.
// The mocks recorder produces it, a state file is read into it, and the engine client sends it.

export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
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

export function makeUrn(stack: string, project: string, type: string, name: string, parentType?: string): string {
  const qualifiedType = parentType ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}
