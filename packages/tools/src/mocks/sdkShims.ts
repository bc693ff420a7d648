// The parts of the dynamically loaded `@pulumi/pulumi` the mocks runner uses, and loading it. The SDK is
// the one the program resolves (not this package's), and its mock monitor and protobuf request classes
// are internals typed `any`, so they are described here and checked with the type guards below. Nothing
// here records anything: interception.ts wraps the monitor, assembly.ts turns what it kept into a recording.

import { createRequire } from "node:module";
import * as path from "node:path";
import type { WireProperties } from "../engine/types";

/** A `google.protobuf.Struct` message. */
export interface ProtoStruct {
  toJavaScript(): unknown;
}

/** `pulumirpc.RegisterResourceRequest.PropertyDependencies`. */
export interface PropertyDependenciesMessage {
  getUrnsList(): string[];
}

/** `pulumirpc.Alias` (only URN aliases are recorded). */
export interface AliasMessage {
  getUrn?(): unknown;
}

/** `pulumirpc.SourcePosition`: a file URI, line and column. */
export interface SourcePositionMessage {
  getUri(): string;
  getLine(): number;
  getColumn(): number;
}

/** `pulumirpc.StackTrace`: the stack of the `new ...(` call, innermost frame first. */
export interface StackTraceMessage {
  getFramesList(): { getPc(): SourcePositionMessage | undefined }[];
}

/** `pulumirpc.RegisterResourceRequest`; the optional getters are missing from older SDKs. */
export interface RegisterResourceRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getVersion(): string;
  getObject(): ProtoStruct | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(callback: (deps: PropertyDependenciesMessage, key: string) => void): void };
  getProtect?(): boolean;
  getIgnorechangesList?(): string[];
  getDeletebeforereplace?(): boolean;
  getAliasurnsList?(): string[];
  getAliasesList?(): AliasMessage[];
  getAdditionalsecretoutputsList?(): string[];
  getImportid?(): string;
  getSourceposition?(): SourcePositionMessage | undefined;
  getStacktrace?(): StackTraceMessage | undefined;
}

/** `pulumirpc.RegisterResourceResponse`. */
export interface RegisterResourceResponse {
  getId(): string;
  getObject(): ProtoStruct | undefined;
}

/** `pulumirpc.ReadResourceRequest`. */
export interface ReadResourceRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getId(): string;
  getProvider(): string;
  getProperties(): ProtoStruct | undefined;
}

/** `pulumirpc.ReadResourceResponse`. */
export interface ReadResourceResponse {
  getProperties(): ProtoStruct | undefined;
}

/** `pulumirpc.RegisterResourceOutputsRequest`. */
export interface RegisterResourceOutputsRequest {
  getUrn(): string;
  getOutputs(): ProtoStruct | undefined;
}

export type MonitorCallback<Resp> = (err: unknown, resp: Resp | undefined) => void;

/** `pulumi.runtime.MockMonitor` (`newUrn` is private in its declaration but a plain method at run time). */
export interface MockMonitor {
  registerResource(req: RegisterResourceRequest, callback: MonitorCallback<RegisterResourceResponse>): unknown;
  readResource(req: ReadResourceRequest, callback: MonitorCallback<ReadResourceResponse>): unknown;
  registerResourceOutputs(req: RegisterResourceOutputsRequest, callback: MonitorCallback<unknown>): unknown;
  newUrn(parent: string, type: string, name: string): string;
}

/** `pulumi.runtime.Mocks`. */
export interface PulumiMocks {
  newResource(args: { type: string; name: string; inputs: unknown; id?: string }): {
    id: string | undefined;
    state: Record<string, unknown>;
  };
  call(args: { token: string; inputs: Record<string, unknown>; provider?: string }): Record<string, unknown>;
}

/** The `@pulumi/pulumi` module. */
export interface PulumiSdk {
  runtime: {
    setMocks(mocks: PulumiMocks, project?: string, stack?: string, preview?: boolean, organization?: string): Promise<void>;
    getMonitor(): unknown;
    runInPulumiStack(init: () => Promise<unknown>): Promise<unknown>;
    disconnect(): Promise<void>;
  };
  log?: { hasErrors?(): boolean };
  /** `Resource.framePositionRegExp` parses the frames of the stack the SDK captures in every resource constructor. */
  Resource?: { framePositionRegExp?: unknown };
}

/** The program's SDK is missing or is not one the runner can drive; the message says what to install. */
export class SdkShimError extends Error {
  readonly kind = "dependencies-missing";
  constructor(message: string) {
    super(message);
    this.name = "SdkShimError";
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/**
 * A 3.x SDK: one with mocks support. `runInPulumiStack` and `disconnect` predate `setMocks`, so they are
 * not checked separately.
 */
function isPulumiSdk(value: unknown): value is PulumiSdk {
  if (!isObject(value)) return false;
  const runtime = value["runtime"];
  return isObject(runtime) && typeof runtime["setMocks"] === "function" && typeof runtime["getMonitor"] === "function";
}

/** The SDK's mock monitor; `readResource` and `registerResourceOutputs` come with `registerResource`. */
function isMockMonitor(value: unknown): value is MockMonitor {
  return isObject(value) && typeof value["registerResource"] === "function" && typeof value["newUrn"] === "function";
}

function isProtoStruct(value: unknown): value is ProtoStruct {
  return isObject(value) && typeof value["toJavaScript"] === "function";
}

/** A protobuf Struct as the wire-encoded object it carries (`{}` when the message has none). */
export function toWireProperties(struct: unknown): WireProperties {
  if (!isProtoStruct(struct)) return {};
  return struct.toJavaScript() as WireProperties;
}

/** The SDK the program loads, where it was found, and a `require` that resolves as the program does. */
export interface ProgramSdk {
  readonly sdk: PulumiSdk;
  /** Resolved path of the program's `@pulumi/pulumi`, for messages. */
  readonly entry: string;
  readonly programRequire: NodeJS.Require;
}

/** Loads the `@pulumi/pulumi` that a program in `programDir` resolves. Throws SdkShimError when there is none usable. */
export function loadProgramSdk(programDir: string): ProgramSdk {
  const programRequire = createRequire(path.join(programDir, "__pulumi_program__.js"));
  let entry: string;
  try {
    entry = programRequire.resolve("@pulumi/pulumi");
  } catch {
    throw new SdkShimError(
      `Cannot find @pulumi/pulumi from ${programDir}: the program's dependencies are not installed. ` +
        `Run npm install (or yarn/pnpm install) in ${programDir} or a parent folder.`,
    );
  }
  const loaded: unknown = programRequire(entry);
  if (!isPulumiSdk(loaded)) {
    throw new SdkShimError(`The @pulumi/pulumi at ${entry} has no mocks support; the program needs @pulumi/pulumi 3.x.`);
  }
  return { sdk: loaded, entry, programRequire };
}

/** The mock monitor `setMocks` installed. Throws SdkShimError when the SDK's monitor is not the expected one. */
export function mockMonitorOf(program: ProgramSdk): MockMonitor {
  const monitor = program.sdk.runtime.getMonitor();
  if (!isMockMonitor(monitor)) {
    throw new SdkShimError(`The @pulumi/pulumi at ${program.entry} has an unexpected mock monitor; the program needs @pulumi/pulumi 3.x.`);
  }
  return monitor;
}

/**
 * The SDK's frame pattern only knows `at fn (file:line:col)`; an ES module's top-level frame is
 * `at file:///...:line:col`. Accept both, so a resource declared at the top level of an ES module
 * has a location too (the SDK turns the captured path back into a file URL).
 */
export function acceptModuleFrames(sdk: PulumiSdk): void {
  if (sdk.Resource && sdk.Resource.framePositionRegExp instanceof RegExp) {
    sdk.Resource.framePositionRegExp = /^\s*at (?:.* \()?(?:file:\/\/)?(?<file>[^()]*?):(?<line>[0-9]+):(?<column>[0-9]+)\)?$/;
  }
}
