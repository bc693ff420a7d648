// Child-process entry of the mocks recorder: `node --import tsx runner.(ts|js) <request.json>`.
// Runs one Pulumi program under `pulumi.runtime.setMocks`, installed on the `@pulumi/pulumi` the
// program itself resolves, and writes a RunnerResult JSON to the request's `resultFile`.
//
// Inputs, dependencies and property dependencies are not passed to `Mocks.newResource`, so the
// runner wraps the mock monitor's `registerResource`: the RegisterResourceRequest it receives is the
// one the SDK would send to the engine (wire-encoded object, dependencies, propertyDependencies,
// parent, provider reference, options). Outputs come from the response the mock monitor builds, and
// component/stack outputs from `registerResourceOutputs`.

import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { EngineProvider, EngineResource, EngineResourceOptions, WireProperties, WireValue } from "../engine/types";
import { UNKNOWN_SENTINEL } from "../engine/types";
import { builtInLookup } from "./lookups";
import { DEFAULT_REGION, mockResource, type MockLookup } from "./mockState";
import { mockedInvoke, resourceOutputs, stackReferenceOutputs } from "./mocksFile";
import type {
  RecordedInvoke,
  RecordedOutputs,
  RecordedRead,
  RecordingErrorKind,
  RunnerRequest,
  RunnerResult,
  SourceLocation,
} from "./types";
import { engineUrn } from "./urn";

// Keep ES module `import()` even when this file is compiled to CommonJS: tsconfig.json compiles with
// `module: commonjs`, which rewrites a literal `import()` into `require()`, and `require()` cannot load
// an ES-module program (top-level await, .mjs). A Function body is not transpiled, so its `import()` stays.
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- constant source, no user input; the only way to keep a real import() in CommonJS output
const dynamicImport = new Function("u", "return import(u)") as (u: string) => Promise<Record<string, unknown>>;

// The parts of the dynamically loaded `@pulumi/pulumi` the runner uses. The SDK is the one the program
// resolves (not this package's), and its mock monitor and protobuf request classes are internals typed
// `any`, so they are described here and checked with the type guards below.

/** A `google.protobuf.Struct` message. */
interface ProtoStruct {
  toJavaScript(): unknown;
}

/** `pulumirpc.RegisterResourceRequest.PropertyDependencies`. */
interface PropertyDependenciesMessage {
  getUrnsList(): string[];
}

/** `pulumirpc.Alias` (only URN aliases are recorded). */
interface AliasMessage {
  getUrn?(): unknown;
}

/** `pulumirpc.SourcePosition`: a file URI, line and column. */
interface SourcePositionMessage {
  getUri(): string;
  getLine(): number;
  getColumn(): number;
}

/** `pulumirpc.StackTrace`: the stack of the `new ...(` call, innermost frame first. */
interface StackTraceMessage {
  getFramesList(): { getPc(): SourcePositionMessage | undefined }[];
}

/** `pulumirpc.RegisterResourceRequest`; the optional getters are missing from older SDKs. */
interface RegisterResourceRequest {
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
interface RegisterResourceResponse {
  getId(): string;
  getObject(): ProtoStruct | undefined;
}

/** `pulumirpc.ReadResourceRequest`. */
interface ReadResourceRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getId(): string;
  getProvider(): string;
  getProperties(): ProtoStruct | undefined;
}

/** `pulumirpc.ReadResourceResponse`. */
interface ReadResourceResponse {
  getProperties(): ProtoStruct | undefined;
}

/** `pulumirpc.RegisterResourceOutputsRequest`. */
interface RegisterResourceOutputsRequest {
  getUrn(): string;
  getOutputs(): ProtoStruct | undefined;
}

type MonitorCallback<Resp> = (err: unknown, resp: Resp | undefined) => void;

/** `pulumi.runtime.MockMonitor` (`newUrn` is private in its declaration but a plain method at run time). */
interface MockMonitor {
  registerResource(req: RegisterResourceRequest, callback: MonitorCallback<RegisterResourceResponse>): unknown;
  readResource(req: ReadResourceRequest, callback: MonitorCallback<ReadResourceResponse>): unknown;
  registerResourceOutputs(req: RegisterResourceOutputsRequest, callback: MonitorCallback<unknown>): unknown;
  newUrn(parent: string, type: string, name: string): string;
}

/** `pulumi.runtime.Mocks`. */
interface PulumiMocks {
  newResource(args: { type: string; name: string; inputs: unknown; id?: string }): {
    id: string | undefined;
    state: Record<string, unknown>;
  };
  call(args: { token: string; inputs: Record<string, unknown>; provider?: string }): Record<string, unknown>;
}

/** The `@pulumi/pulumi` module. */
interface PulumiSdk {
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

interface Captured {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent?: string;
  providerRef?: string;
  version?: string;
  inputs: WireProperties;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  options: EngineResourceOptions;
  id?: string;
  state?: WireProperties;
  failed?: boolean;
}

const request = JSON.parse(fs.readFileSync(process.argv[2]!, "utf8")) as RunnerRequest;
let finished = false;
const loggedErrors: string[] = [];
/** Invokes and stack references nothing answers: reported as a missing mock, whatever the program then did. */
const missingMocks: string[] = [];
// Stack traces (and so each resource's location) point at the TypeScript source: tsx registers
// source maps, and a compiled program shipped with .map files gets them mapped too.
process.setSourceMapsEnabled(true);

function write(result: RunnerResult): void {
  if (finished) return;
  finished = true;
  fs.writeFileSync(request.resultFile, JSON.stringify(result), { mode: 0o600 });
}

function errorText(err: unknown): { message: string; detail?: string } {
  if (err instanceof Error) {
    const stack = err.stack ?? "";
    const frames = stack
      .split("\n")
      .filter((l) => /^\s+at /.test(l))
      .slice(0, 8)
      .join("\n");
    return { message: err.message, detail: frames || undefined };
  }
  return { message: String(err) };
}

function fail(kind: RecordingErrorKind, message: string, detail?: string): never {
  write({ ok: false, kind, message, detail });
  process.exit(1);
}

/** One line naming what has no result and how to add it. */
function failMissingMocks(): never {
  const distinct = [...new Set(missingMocks)];
  fail(
    "missing-mock",
    `${distinct[0]!}${distinct.length > 1 ? ` (and ${distinct.length - 1} more: ${distinct.slice(1).join("; ")})` : ""}. ` +
      `This is not a fault in the program: check cannot know what the cloud would answer.`,
  );
}

const MISSING_CONFIG = /Missing required configuration variable '([^']+)'/;

function programError(err: unknown): never {
  if (missingMocks.length > 0) failMissingMocks();
  const { message, detail } = errorText(err);
  const missingConfig = MISSING_CONFIG.exec(message)?.[1];
  if (missingConfig) {
    const bare = missingConfig.startsWith(`${request.project}:`) ? missingConfig.slice(request.project.length + 1) : missingConfig;
    fail(
      "missing-config",
      `The program needs the config value '${missingConfig}', which stack '${request.stack}' does not set: add it under config: ` +
        `in Pulumi.${request.stack}.yaml next to Pulumi.yaml, or pass --config ${bare}=<value>.`,
      detail,
    );
  }
  const code = (err as { code?: string } | undefined)?.code;
  const where = path.relative(request.programDir, request.entry) || request.entry;
  if (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") {
    const missing = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1];
    fail(
      "load-failed",
      `The program ${request.entry} could not load ${missing ? `module '${missing}'` : "a module"}: ` +
        `install the program's dependencies (npm install in ${request.programDir}) or fix the import. (${message.split("\n")[0]})`,
      detail,
    );
  }
  const name = err instanceof Error ? err.name : "";
  if (name === "SyntaxError" || name === "TransformError" || /Transform failed/.test(message)) {
    fail(
      "load-failed",
      `The program ${where} does not compile: ${message.split("\n").slice(0, 6).join(" ")}. Fix the syntax error and run again.`,
      detail,
    );
  }
  fail(
    "program-failed",
    `The Pulumi program ${where} (in ${request.programDir}) failed under mocks: ${message}. ` +
      `Fix the program so that it completes; no resources are reported from a failed run.`,
    detail,
  );
}

process.on("uncaughtException", (err) => programError(err));
process.on("unhandledRejection", (err) => programError(err));
process.on("exit", (code) => {
  if (!finished) {
    write({
      ok: false,
      kind: "crashed",
      message: `The program ${request.entry} exited (code ${code}) before it finished registering resources; it must not call process.exit.`,
    });
  }
});

const originalConsoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  const text = args.map((a) => (typeof a === "string" ? a : String(a))).join(" ");
  if (text.startsWith("error: ")) loggedErrors.push(text.replace(/^error: (\[runtime\] )?/, ""));
  originalConsoleError(...args);
};

function toJs(struct: unknown): WireProperties {
  if (!isProtoStruct(struct)) return {};
  return struct.toJavaScript() as WireProperties;
}

function splitProviderRef(ref: string): { urn: string; id: string } {
  const idx = ref.lastIndexOf("::");
  return idx < 0 ? { urn: ref, id: "" } : { urn: ref.slice(0, idx), id: ref.slice(idx + 2) };
}

const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

/** A StackReference is a read of `pulumi:pulumi:StackReference`; its outputs come from the mocks file. */
function stackReference(resourceName: string, inputs: WireProperties): { id: string; state: Record<string, unknown> } {
  const name = typeof inputs["name"] === "string" ? inputs["name"] : resourceName;
  const outputs = stackReferenceOutputs(request.mocks, name, request.organization, request.project);
  if (!outputs) {
    missingMocks.push(
      `the program reads the stack reference "${name}", which has no outputs without a mocks file: add {"stackReferences": {"${
        name.split("/").length === 3 ? name : `<org>/<project>/<stack>`
      }": {<outputs>}}} to a mocks file and pass it with --mocks FILE`,
    );
    throw new Error(`check has no outputs for the stack reference ${name}`);
  }
  return { id: name, state: { name, outputs: { ...outputs }, secretOutputNames: [] } };
}

/** Frames in installed packages (the SDK, the provider, a component library) and in this runner are not the user's. */
function isUserFile(file: string): boolean {
  return !file.split(path.sep).includes("node_modules") && path.dirname(file) !== __dirname;
}

function toLocation(position: SourcePositionMessage | undefined): SourceLocation | undefined {
  if (!position || !position.getUri() || position.getLine() <= 0) return undefined;
  let file: string;
  try {
    file = fileURLToPath(position.getUri());
  } catch {
    return undefined;
  }
  return { file, line: position.getLine(), column: position.getColumn() };
}

/**
 * Where the program declared a resource: the innermost frame of the stack of its `new ...(` call that
 * is the user's own code (a resource created inside a component is located in the component's file),
 * or the position the SDK chose if that is; none for what only the SDK creates (the root stack).
 */
function declarationSite(req: RegisterResourceRequest): SourceLocation | undefined {
  const frames = (req.getStacktrace?.()?.getFramesList() ?? []).map((frame) => toLocation(frame.getPc()));
  frames.push(toLocation(req.getSourceposition?.()));
  return frames.find((frame) => frame !== undefined && isUserFile(frame.file));
}

async function main(): Promise<void> {
  const programRequire = createRequire(path.join(request.programDir, "__pulumi_program__.js"));
  let pulumiEntry: string;
  try {
    pulumiEntry = programRequire.resolve("@pulumi/pulumi");
  } catch {
    fail(
      "dependencies-missing",
      `Cannot find @pulumi/pulumi from ${request.programDir}: the program's dependencies are not installed. ` +
        `Run npm install (or yarn/pnpm install) in ${request.programDir} or a parent folder.`,
    );
  }
  const pulumiModule: unknown = programRequire(pulumiEntry);
  if (!isPulumiSdk(pulumiModule)) {
    fail("dependencies-missing", `The @pulumi/pulumi at ${pulumiEntry} has no mocks support; the program needs @pulumi/pulumi 3.x.`);
  }
  const pulumi: PulumiSdk = pulumiModule;

  const preview = request.mode === "preview";
  const captured: Captured[] = [];
  const byUrn = new Map<string, Captured>();
  const componentOutputs = new Map<string, WireProperties>();
  const locations: Record<string, SourceLocation> = {};
  const invokes: RecordedInvoke[] = [];
  const reads: RecordedRead[] = [];
  let current: { urn: string; custom: boolean; inputs: WireProperties; region: string; importId?: string } | undefined;

  const configRegion = request.config["aws:region"];
  const regionOf = (providerRef: string | undefined): string => {
    if (providerRef) {
      const provider = byUrn.get(splitProviderRef(providerRef).urn);
      const r = provider?.inputs["region"];
      if (typeof r === "string" && r !== UNKNOWN_SENTINEL) return r;
    }
    return configRegion ?? DEFAULT_REGION;
  };

  const lookup: MockLookup = {
    findByType: (type) =>
      captured.filter((c) => c.type === type && c.state !== undefined).map((c) => ({ urn: c.urn, inputs: c.inputs, state: c.state! })),
  };

  const mocks: PulumiMocks = {
    newResource(args: { type: string; name: string; inputs: unknown; id?: string }) {
      const req = current;
      if (!req) throw new Error(`internal: no captured request for ${args.type} ${args.name}`);
      if (args.type === STACK_REFERENCE_TYPE) return stackReference(args.name, req.inputs);
      const res = mockResource(
        {
          urn: req.urn,
          type: args.type,
          name: args.name,
          custom: req.custom,
          inputs: req.inputs,
          region: req.region,
          importId: req.importId,
        },
        request.mode,
        lookup,
      );
      // Outputs from the mocks file: after an update, and for a read; a planned create stays unknown.
      const given = !preview || req.importId !== undefined ? resourceOutputs(request.mocks, args.type, args.name) : undefined;
      return { id: res.id, state: given ? { ...res.state, ...(given as WireProperties) } : res.state };
    },
    call(args: { token: string; inputs: Record<string, unknown>; provider?: string }) {
      invokes.push({ token: args.token, args: args.inputs, ...(args.provider ? { provider: args.provider } : {}) });
      const answer = mockedInvoke(request.mocks, args.token, args.inputs);
      if (answer.kind === "result") return { ...answer.result };
      const builtIn = answer.kind === "absent" ? builtInLookup(args.token, args.inputs, { region: regionOf(args.provider) }) : undefined;
      if (builtIn) return builtIn;
      const argumentNames = Object.keys(args.inputs).sort();
      missingMocks.push(
        answer.kind === "no-match"
          ? `the program calls ${args.token} with arguments (${argumentNames.join(", ") || "none"}) that no case in the mocks file's invokes["${args.token}"] matches: add a case whose "args" match them`
          : `the program calls ${args.token}, which check has no built-in result for: add {"invokes": {"${args.token}": {<result>}}} to a mocks file and pass it with --mocks FILE`,
      );
      throw new Error(`check has no result for the invoke ${args.token}`);
    },
  };

  await pulumi.runtime.setMocks(mocks, request.project, request.stack, preview, request.organization);
  const monitorValue = pulumi.runtime.getMonitor();
  if (!isMockMonitor(monitorValue)) {
    fail(
      "dependencies-missing",
      `The @pulumi/pulumi at ${pulumiEntry} has an unexpected mock monitor; the program needs @pulumi/pulumi 3.x.`,
    );
  }
  const monitor: MockMonitor = monitorValue;
  // The mock monitor keeps only the parent's last type and keeps the root stack's type; the engine
  // does neither. Every URN the SDK sees (parents, dependencies, outputs) comes from here.
  monitor.newUrn = (parent: string, type: string, name: string) =>
    engineUrn(request.stack, request.project, parent || undefined, type, name);
  // The SDK's frame pattern only knows `at fn (file:line:col)`; an ES module's top-level frame is
  // `at file:///...:line:col`. Accept both, so a resource declared at the top level of an ES module
  // has a location too (the SDK turns the captured path back into a file URL).
  if (pulumi.Resource && pulumi.Resource.framePositionRegExp instanceof RegExp) {
    pulumi.Resource.framePositionRegExp = /^\s*at (?:.* \()?(?:file:\/\/)?(?<file>[^()]*?):(?<line>[0-9]+):(?<column>[0-9]+)\)?$/;
  }

  const originalRegister = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: RegisterResourceRequest, callback: MonitorCallback<RegisterResourceResponse>) => {
    const type = req.getType();
    const name = req.getName();
    const parent = req.getParent();
    const urn = monitor.newUrn(parent, type, name);
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
      propertyDependencies[key] = [...deps.getUrnsList()];
    });
    const options: { -readonly [K in keyof EngineResourceOptions]: EngineResourceOptions[K] } = {};
    if (req.getProtect?.()) options.protect = true;
    const ignoreChanges = req.getIgnorechangesList?.() ?? [];
    if (ignoreChanges.length) options.ignoreChanges = ignoreChanges;
    if (req.getDeletebeforereplace?.()) options.deleteBeforeReplace = true;
    const aliases: string[] = [
      ...(req.getAliasurnsList?.() ?? []),
      ...(req.getAliasesList?.() ?? []).map((a) => a.getUrn?.()).filter((u): u is string => typeof u === "string" && u !== ""),
    ];
    if (aliases.length) options.aliases = aliases;
    const aso = req.getAdditionalsecretoutputsList?.() ?? [];
    if (aso.length) options.additionalSecretOutputs = aso;
    if (parent) options.parent = parent;
    const record: Captured = {
      urn,
      type,
      name,
      custom: req.getCustom(),
      ...(parent ? { parent } : {}),
      ...(req.getProvider() ? { providerRef: req.getProvider() } : {}),
      ...(req.getVersion() ? { version: req.getVersion() } : {}),
      inputs: toJs(req.getObject()),
      dependencies: [...req.getDependenciesList()],
      propertyDependencies,
      options,
    };
    captured.push(record);
    byUrn.set(urn, record);
    const location = declarationSite(req);
    if (location) locations[urn] = location;
    const importId = req.getImportid?.() ?? "";
    current = {
      urn,
      custom: record.custom,
      inputs: record.inputs,
      region: regionOf(record.providerRef),
      ...(importId ? { importId } : {}),
    };
    try {
      return originalRegister(req, (err, resp) => {
        if (err) {
          record.failed = true;
        } else if (resp) {
          const id = resp.getId();
          if (id) record.id = id;
          record.state = toJs(resp.getObject());
        }
        callback(err, resp);
      });
    } finally {
      current = undefined;
    }
  };

  const originalRead = monitor.readResource.bind(monitor);
  monitor.readResource = (req: ReadResourceRequest, callback: MonitorCallback<ReadResourceResponse>) => {
    const type = req.getType();
    const name = req.getName();
    const urn = monitor.newUrn(req.getParent(), type, name);
    const id = req.getId();
    current = { urn, custom: true, inputs: toJs(req.getProperties()), region: regionOf(req.getProvider()), importId: id };
    try {
      return originalRead(req, (err, resp) => {
        if (!err && resp) reads.push({ urn, type, name, id, state: toJs(resp.getProperties()) });
        callback(err, resp);
      });
    } finally {
      current = undefined;
    }
  };

  const originalOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req: RegisterResourceOutputsRequest, callback: MonitorCallback<unknown>) => {
    componentOutputs.set(req.getUrn(), toJs(req.getOutputs()));
    return originalOutputs(req, callback);
  };

  process.argv = [process.argv[0]!, request.entry];

  const runProgram = async (): Promise<unknown> => {
    let programExport: unknown;
    if (request.moduleType === "module") {
      const namespace = await dynamicImport(pathToFileURL(request.entry).href);
      programExport = namespace;
      if (Object.getOwnPropertyDescriptor(namespace, "default") !== undefined) {
        if (Object.keys(namespace).length !== 1) {
          throw new Error("expected entrypoint module to have either a default export or named exports but not both");
        }
        programExport = namespace["default"];
      }
    } else {
      programExport = programRequire(request.entry);
    }
    // Like the Pulumi Node.js language host: an exported function is the program; call it.
    const result: unknown = programExport instanceof Function ? (programExport as () => unknown)() : programExport;
    return await result;
  };

  try {
    await pulumi.runtime.runInPulumiStack(runProgram);
    await pulumi.runtime.disconnect();
    // Let late failures surface (an apply callback that throws rejects after the RPCs drained).
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await pulumi.runtime.disconnect();
    }
  } catch (err) {
    programError(err);
  }
  if (missingMocks.length > 0) failMissingMocks();
  if (pulumi.log?.hasErrors?.()) {
    fail(
      "program-failed",
      `The Pulumi program ${request.entry} logged ${loggedErrors.length || "some"} error(s) under mocks: ${loggedErrors.join("; ") || "see its output"}. Fix them and run again.`,
    );
  }
  const failed = captured.filter((c) => c.failed);
  if (failed.length) {
    fail("program-failed", `Registering ${failed.map((f) => f.urn).join(", ")} failed under mocks.`);
  }

  // Default providers: the engine creates one per package and version for custom resources that name
  // no provider, and records it as their provider.
  const defaultProviders = new Map<string, EngineResource>();
  const defaultProviderFor = (c: Captured): EngineResource | undefined => {
    if (!c.custom || c.type.startsWith("pulumi:providers:") || c.providerRef) return undefined;
    const pkg = c.type.split(":")[0]!;
    const version = c.version ?? "";
    const name = version ? `default_${version.replace(/[^A-Za-z0-9]/g, "_")}` : "default";
    const urn = `urn:pulumi:${request.stack}::${request.project}::pulumi:providers:${pkg}::${name}`;
    let provider = defaultProviders.get(urn);
    if (!provider) {
      const properties: Record<string, WireValue> = {};
      for (const [key, value] of Object.entries(request.config)) {
        if (key.startsWith(`${pkg}:`)) properties[key.slice(pkg.length + 1)] = value;
      }
      if (version) properties["version"] = version;
      provider = { urn, type: `pulumi:providers:${pkg}`, name, properties };
      defaultProviders.set(urn, provider);
    }
    return provider;
  };

  const providerOf = (c: Captured): EngineProvider | undefined => {
    if (c.providerRef) {
      const { urn } = splitProviderRef(c.providerRef);
      const p = byUrn.get(urn);
      if (p) return { urn: p.urn, type: p.type, name: p.name, properties: p.inputs };
      return { urn, type: urn.split("::")[2]?.split("$").pop() ?? "", name: urn.split("::")[3] ?? "", properties: {} };
    }
    const d = defaultProviderFor(c);
    return d ? { urn: d.urn, type: d.type, name: d.name, properties: d.properties } : undefined;
  };

  const resources: EngineResource[] = [];
  const outputs: Record<string, RecordedOutputs> = {};
  for (const c of captured) {
    const provider = providerOf(c);
    resources.push({
      urn: c.urn,
      type: c.type,
      name: c.name,
      properties: c.inputs,
      ...(Object.keys(c.options).length ? { options: c.options } : {}),
      ...(c.parent ? { parent: c.parent } : {}),
      ...(provider ? { provider } : {}),
      dependencies: c.dependencies,
      propertyDependencies: c.propertyDependencies,
    });
    outputs[c.urn] = {
      ...(c.id ? { id: c.id } : {}),
      state: c.custom ? (c.state ?? {}) : (componentOutputs.get(c.urn) ?? {}),
    };
  }
  resources.unshift(...[...defaultProviders.values()].map((d) => ({ ...d, dependencies: [], propertyDependencies: {} })));
  for (const d of defaultProviders.values()) {
    outputs[d.urn] = { ...(request.mode === "update" ? { id: `${d.name}-id` } : {}), state: d.properties };
  }
  const stackResource = captured.find((c) => c.type === "pulumi:pulumi:Stack");
  write({
    ok: true,
    recording: {
      resources,
      outputs,
      stackOutputs: stackResource ? (componentOutputs.get(stackResource.urn) ?? {}) : {},
      defaultProviders: [...defaultProviders.keys()],
      invokes,
      reads,
      locations,
    },
  });
  process.exit(0);
}

main().catch((err) => programError(err));
