// The pure half of the mocks recorder: what the runner intercepted from the SDK (plain data, shaped as
// the SDK sent it) in, the recording and the engine resources out. No SDK, no file system, no process:
// interception.ts fills an Intercepted while the program runs, runner.ts hands it here, index.ts
// post-processes the recording with the functions at the end.

import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { EngineProvider, EngineResource, EngineResourceOptions, WireProperties, WireValue } from "../engine/types";
import { UNKNOWN_SENTINEL } from "../engine/types";
import type { RecordedInvoke, RecordedOutputs, RecordedRead, RecordMode, Recording, RunnerResult, SourceLocation } from "./types";
import { ROOT_STACK_TYPE } from "./urn";

/** The recording as the child process returns it (index.ts adds the request's facts and the output). */
export type RunnerRecording = Extract<RunnerResult, { ok: true }>["recording"];

/** One frame of the stack the SDK captured (`pulumirpc.SourcePosition`), as sent: a file URI, line, column. */
export interface InterceptedFrame {
  readonly uri: string;
  readonly line: number;
  readonly column: number;
}

/** The resource options of a RegisterResourceRequest, as sent (empty lists and `false` when not set). */
export interface InterceptedOptions {
  readonly protect: boolean;
  readonly ignoreChanges: readonly string[];
  readonly deleteBeforeReplace: boolean;
  /** `aliasURNs`, the older field. */
  readonly aliasUrns: readonly string[];
  /** The URNs of `aliases` given as `pulumirpc.Alias` (a spec without a URN is left out at interception). */
  readonly aliases: readonly string[];
  readonly additionalSecretOutputs: readonly string[];
}

/** One RegisterResourceRequest the program sent, and what the mock monitor answered. */
export interface InterceptedRegistration {
  /** The engine's URN for it (the runner forms URNs as the engine does, see urn.ts). */
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** Parent URN; absent for the root stack. */
  readonly parent?: string;
  /** Provider reference `<provider urn>::<provider id>` (the id is the unknown sentinel in a preview). */
  readonly providerRef?: string;
  readonly version?: string;
  /** The request's `object`: inputs in wire encoding. */
  readonly inputs: WireProperties;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly options: InterceptedOptions;
  /** The stack trace of the `new ...(` call, innermost first, then the SDK's chosen source position. */
  readonly frames: readonly InterceptedFrame[];
  /** From the response: set once the mock monitor answered. */
  id?: string;
  state?: WireProperties;
  /** The mock monitor answered with an error. */
  failed?: boolean;
}

/** Everything the runner intercepted while the program ran. */
export interface Intercepted {
  /** In registration order. */
  readonly registrations: InterceptedRegistration[];
  /** What each component and the root stack passed to registerResourceOutputs (the last call wins), per URN. */
  readonly registeredOutputs: Record<string, WireProperties>;
  readonly invokes: RecordedInvoke[];
  readonly reads: RecordedRead[];
  /** One line per invoke or stack reference nothing answered, saying how to add it. */
  readonly missingMocks: string[];
}

export function emptyIntercepted(): Intercepted {
  return { registrations: [], registeredOutputs: {}, invokes: [], reads: [], missingMocks: [] };
}

/** What the assembly needs from the request besides the intercepted data. */
export interface AssemblyContext {
  readonly stack: string;
  readonly project: string;
  readonly mode: RecordMode;
  /** Fully qualified config (`ns:key` → string), as in PULUMI_CONFIG. */
  readonly config: Readonly<Record<string, string>>;
  /** Folder of the runner's own modules: frames there are not the user's. */
  readonly runnerDir: string;
}

const PROVIDER_TYPE_PREFIX = "pulumi:providers:";

/** A provider reference `<urn>::<id>` split in two; a reference without `::` is all URN. */
export function splitProviderRef(ref: string): { urn: string; id: string } {
  const idx = ref.lastIndexOf("::");
  return idx < 0 ? { urn: ref, id: "" } : { urn: ref.slice(0, idx), id: ref.slice(idx + 2) };
}

/**
 * The region a resource's mock answers in: its explicit provider's known `region` input, else the
 * stack's `aws:region`, else `fallback`.
 */
export function regionOf(
  providers: ReadonlyMap<string, { readonly inputs: WireProperties }>,
  providerRef: string | undefined,
  config: Readonly<Record<string, string>>,
  fallback: string,
): string {
  if (providerRef) {
    const region = providers.get(splitProviderRef(providerRef).urn)?.inputs["region"];
    if (typeof region === "string" && region !== UNKNOWN_SENTINEL) return region;
  }
  return config["aws:region"] ?? fallback;
}

/** The name a StackReference reads: its `name` input, else its resource name. */
export function stackReferenceName(resourceName: string, inputs: WireProperties): string {
  return typeof inputs["name"] === "string" ? inputs["name"] : resourceName;
}

/** A StackReference's id and state from the outputs a mocks file gives it; the missing-mock line when it gives none. */
export function stackReferenceAnswer(
  name: string,
  outputs: Readonly<Record<string, unknown>> | undefined,
): { readonly id: string; readonly state: Record<string, unknown> } | { readonly missing: string } {
  if (!outputs) {
    return {
      missing: `the program reads the stack reference "${name}", which has no outputs without a mocks file: add {"stackReferences": {"${
        name.split("/").length === 3 ? name : `<org>/<project>/<stack>`
      }": {<outputs>}}} to a mocks file and pass it with --mocks FILE`,
    };
  }
  return { id: name, state: { name, outputs: { ...outputs }, secretOutputNames: [] } };
}

/** The missing-mock line for an invoke that no mocks-file case matches (`no-match`) or that nothing answers (`absent`). */
export function missingInvokeLine(token: string, args: Readonly<Record<string, unknown>>, why: "no-match" | "absent"): string {
  const argumentNames = Object.keys(args).sort();
  return why === "no-match"
    ? `the program calls ${token} with arguments (${argumentNames.join(", ") || "none"}) that no case in the mocks file's invokes["${token}"] matches: add a case whose "args" match them`
    : `the program calls ${token}, which check has no built-in result for: add {"invokes": {"${token}": {<result>}}} to a mocks file and pass it with --mocks FILE`;
}

/** One message naming what has no result and how to add it (`missing` is not empty). */
export function missingMocksMessage(missing: readonly string[]): string {
  const distinct = [...new Set(missing)];
  return (
    `${distinct[0]!}${distinct.length > 1 ? ` (and ${distinct.length - 1} more: ${distinct.slice(1).join("; ")})` : ""}. ` +
    `This is not a fault in the program: check cannot know what the cloud would answer.`
  );
}

/** Outputs from a mocks file apply after an update and to a read or import; a planned create stays unknown. */
export function withGivenOutputs(
  mocked: WireProperties,
  given: Readonly<Record<string, unknown>> | undefined,
  mode: RecordMode,
  importId: string | undefined,
): WireProperties {
  if (mode === "preview" && importId === undefined) return mocked;
  return given ? { ...mocked, ...(given as WireProperties) } : mocked;
}

function toLocation(frame: InterceptedFrame | undefined): SourceLocation | undefined {
  if (!frame || !frame.uri || frame.line <= 0) return undefined;
  let file: string;
  try {
    file = fileURLToPath(frame.uri);
  } catch {
    return undefined;
  }
  return { file, line: frame.line, column: frame.column };
}

/**
 * Where the program declared a resource: the innermost frame that is the user's own code (a resource
 * created inside a component is located in the component's file), or the position the SDK chose if
 * that is; none for what only the SDK creates (the root stack). Frames in installed packages (the SDK,
 * the provider, a component library) and in the runner's own folder are not the user's.
 */
export function declarationSite(frames: readonly InterceptedFrame[], runnerDir: string): SourceLocation | undefined {
  for (const frame of frames) {
    const location = toLocation(frame);
    if (location && !location.file.split(path.sep).includes("node_modules") && path.dirname(location.file) !== runnerDir) return location;
  }
  return undefined;
}

/** The options the engine records for a registration; only what was set. */
export function resourceOptions(options: InterceptedOptions, parent: string | undefined): EngineResourceOptions {
  const result: { -readonly [K in keyof EngineResourceOptions]: EngineResourceOptions[K] } = {};
  if (options.protect) result.protect = true;
  if (options.ignoreChanges.length) result.ignoreChanges = [...options.ignoreChanges];
  if (options.deleteBeforeReplace) result.deleteBeforeReplace = true;
  const aliases = [...options.aliasUrns, ...options.aliases];
  if (aliases.length) result.aliases = aliases;
  if (options.additionalSecretOutputs.length) result.additionalSecretOutputs = [...options.additionalSecretOutputs];
  if (parent) result.parent = parent;
  return result;
}

/**
 * The default provider the engine creates for a custom resource that names no provider: one per
 * package and version, its properties the stack's config of that package (and the version).
 */
function defaultProviderOf(registration: InterceptedRegistration, context: AssemblyContext): EngineProvider | undefined {
  if (!registration.custom || registration.type.startsWith(PROVIDER_TYPE_PREFIX) || registration.providerRef) return undefined;
  const pkg = registration.type.split(":")[0]!;
  const version = registration.version ?? "";
  const name = version ? `default_${version.replace(/[^A-Za-z0-9]/g, "_")}` : "default";
  const properties: Record<string, WireValue> = {};
  for (const [key, value] of Object.entries(context.config)) {
    if (key.startsWith(`${pkg}:`)) properties[key.slice(pkg.length + 1)] = value;
  }
  if (version) properties["version"] = version;
  return {
    urn: `urn:pulumi:${context.stack}::${context.project}::${PROVIDER_TYPE_PREFIX}${pkg}::${name}`,
    type: `${PROVIDER_TYPE_PREFIX}${pkg}`,
    name,
    properties,
  };
}

/**
 * The provider the engine sends with a resource: the registered provider a reference points at (its
 * inputs), one known only by its URN (type and name from the URN, no properties), or the default one.
 */
function providerOf(
  registration: InterceptedRegistration,
  byUrn: ReadonlyMap<string, InterceptedRegistration>,
  defaultProvider: EngineProvider | undefined,
): EngineProvider | undefined {
  if (registration.providerRef) {
    const { urn } = splitProviderRef(registration.providerRef);
    const provider = byUrn.get(urn);
    if (provider) return { urn: provider.urn, type: provider.type, name: provider.name, properties: provider.inputs };
    return { urn, type: urn.split("::")[2]?.split("$").pop() ?? "", name: urn.split("::")[3] ?? "", properties: {} };
  }
  return defaultProvider;
}

/**
 * The recording of a run: every registration as an EngineResource (the default providers first, as the
 * engine creates them before their first resource), the outputs per URN (custom resources: the mock's
 * state; components and the stack: what they registered), the stack outputs, invokes, reads, and where
 * each resource was declared.
 */
export function assembleRecording(intercepted: Intercepted, context: AssemblyContext): RunnerRecording {
  const byUrn = new Map<string, InterceptedRegistration>();
  for (const registration of intercepted.registrations) byUrn.set(registration.urn, registration);
  const defaultProviders = new Map<string, EngineProvider>();
  const resources: EngineResource[] = [];
  const outputs: Record<string, RecordedOutputs> = {};
  const locations: Record<string, SourceLocation> = {};
  for (const registration of intercepted.registrations) {
    const location = declarationSite(registration.frames, context.runnerDir);
    if (location) locations[registration.urn] = location;
  }
  for (const registration of intercepted.registrations) {
    let defaultProvider = defaultProviderOf(registration, context);
    if (defaultProvider) {
      defaultProvider = defaultProviders.get(defaultProvider.urn) ?? defaultProvider;
      defaultProviders.set(defaultProvider.urn, defaultProvider);
    }
    const provider = providerOf(registration, byUrn, defaultProvider);
    const options = resourceOptions(registration.options, registration.parent);
    resources.push({
      urn: registration.urn,
      type: registration.type,
      name: registration.name,
      properties: registration.inputs,
      ...(Object.keys(options).length ? { options } : {}),
      ...(registration.parent ? { parent: registration.parent } : {}),
      ...(provider ? { provider } : {}),
      dependencies: [...registration.dependencies],
      propertyDependencies: Object.fromEntries(Object.entries(registration.propertyDependencies).map(([key, urns]) => [key, [...urns]])),
    });
    outputs[registration.urn] = {
      ...(registration.id ? { id: registration.id } : {}),
      state: registration.custom ? (registration.state ?? {}) : (intercepted.registeredOutputs[registration.urn] ?? {}),
    };
  }
  resources.unshift(...[...defaultProviders.values()].map((d) => ({ ...d, dependencies: [], propertyDependencies: {} })));
  for (const d of defaultProviders.values()) {
    outputs[d.urn] = { ...(context.mode === "update" ? { id: `${d.name}-id` } : {}), state: d.properties };
  }
  const stack = intercepted.registrations.find((r) => r.type === ROOT_STACK_TYPE);
  return {
    resources,
    outputs,
    stackOutputs: stack ? (intercepted.registeredOutputs[stack.urn] ?? {}) : {},
    defaultProviders: [...defaultProviders.keys()],
    invokes: intercepted.invokes,
    reads: intercepted.reads,
    locations,
  };
}

/** A value with every string that carries `placeholder` turned into the unknown sentinel. */
function unknownForPlaceholder<T extends WireValue>(value: T, placeholder: string): T {
  if (typeof value === "string") return (value.includes(placeholder) ? UNKNOWN_SENTINEL : value) as T;
  if (Array.isArray(value)) return value.map((item) => unknownForPlaceholder(item, placeholder)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unknownForPlaceholder(item, placeholder)])) as T;
  }
  return value;
}

/**
 * The recording with the secure-config `placeholder` replaced by unknown values: the plaintext is not
 * known here, so what depends on it can't be checked (advisory), exactly as a value unknown in a
 * preview. A secret stays a secret: only the value inside the signature object changes.
 */
export function withoutPlaceholders(recording: RunnerRecording, placeholder: string): RunnerRecording {
  return {
    ...recording,
    resources: recording.resources.map((resource) => ({
      ...resource,
      properties: unknownForPlaceholder(resource.properties, placeholder),
      ...(resource.provider
        ? { provider: { ...resource.provider, properties: unknownForPlaceholder(resource.provider.properties, placeholder) } }
        : {}),
    })),
    outputs: Object.fromEntries(
      Object.entries(recording.outputs).map(([urn, output]) => [
        urn,
        { ...output, state: unknownForPlaceholder(output.state, placeholder) },
      ]),
    ),
    stackOutputs: unknownForPlaceholder(recording.stackOutputs, placeholder),
  };
}

/**
 * The resources as AnalyzeStack sees them: each resource's properties are its outputs, which include
 * the inputs (custom resources: the provider's state; components and the stack: what they registered).
 */
export function stackResources(recording: Pick<Recording, "resources" | "outputs">): EngineResource[] {
  return recording.resources.map((r) => {
    const out = recording.outputs[r.urn];
    if (!out) return r;
    const properties: WireProperties = { ...r.properties, ...out.state };
    return { ...r, properties };
  });
}

/** Resources of one type token, in registration order. */
export function resourcesOfType(recording: Pick<Recording, "resources">, type: string): EngineResource[] {
  return recording.resources.filter((r) => r.type === type);
}
