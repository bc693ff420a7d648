// `npm run bench`: start-up, Analyze latency, AnalyzeStack time and memory, and the cost of each
// stack policy, each measured side by side with an empty PolicyPack in the same run (the SDK's
// floor). Prints a table and writes bench/results.json. See docs/benchmarks.md.
//
//   npm run bench                  # the full run (about 4 minutes on 2 cores)
//   npm run bench -- --quick       # fewer repetitions, for trying the script itself
//   npm run bench -- --only real-shapes [--quick]   # only AnalyzeStack in real-preview shapes against
//                                                    # an empty pack plus three no-op stack policies
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { startPolicyPack, type EngineResource, type PolicyPackClient } from "../packages/tools/src/engine";
import { startPackProcess } from "../packages/tools/src/engine/process";
import { buildPolicies } from "../policy-pack/policies";
import { preparePacks, ROOT, type PackDirs } from "./packs";
import { analyzeBytes, analyzeStackBytes, diagnosticCount, RawAnalyzer } from "./rpc";
import { generateRealShapesStack } from "./realStack";
import { analyzeRequests, generateStack } from "./stack";
import { cpuMs, loadAverage, median, peakRssMiB, quantile, round, table } from "./stats";
import { auditLines, auditScenario } from "./audit";

// The SDK's own decoding (internal modules, not in its .d.ts), so the in-process measurement reads
// props exactly as a policy receives them.
const load = createRequire(__filename);
const { deserializeProperties } = load("@pulumi/policy/deserialize") as {
  deserializeProperties: (struct: Struct, proxySecrets: boolean) => Record<string, unknown>;
};
const { unknownCheckingProxy } = load("@pulumi/policy/proxy") as { unknownCheckingProxy: <T>(value: T) => T };

const QUICK = process.argv.includes("--quick");
const COLD_RUNS = QUICK ? 3 : 10;
const ANALYZE_REQUESTS = QUICK ? 300 : 2000;
const STACK_SIZES = [1_000, 10_000, 50_000] as const;
const STACK_RUNS: Record<number, number> = QUICK ? { 1000: 3, 10000: 2, 50000: 1 } : { 1000: 7, 10000: 5, 50000: 3 };
const VARIANT_RUNS = QUICK ? 2 : 3;
const CHECK_RUNS = QUICK ? 1 : 3;
const REAL_SHAPES_RUNS = QUICK ? 3 : 9;
const ONLY = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;

const log = (message: string) => process.stderr.write(`${message}\n`);
const ms = (start: number) => performance.now() - start;

// ---- cold start --------------------------------------------------------------------------------

interface ColdStartResult {
  readonly runs: Record<string, number[]>;
  readonly medianMs: Record<string, number>;
  readonly ratioToEmpty: Record<string, number>;
}

async function coldStart(dirs: PackDirs): Promise<ColdStartResult> {
  // ts-node 7 (run-policy-pack's vendored copy) caches compiled files in a directory: a first run
  // on a machine (or a fresh CI container) compiles and type-checks, later runs read the cache.
  const warmCache = mkdtempSync(join(tmpdir(), "cdg-bench-tsnode-warm-"));
  const variants: { name: string; dir: string; env?: () => Record<string, string> }[] = [
    { name: "compiled", dir: dirs.compiled },
    { name: "empty", dir: dirs.empty },
    {
      name: "typescript (ts-node cache cold)",
      dir: dirs.typescript,
      env: () => ({ TS_NODE_CACHE_DIRECTORY: mkdtempSync(join(tmpdir(), "cdg-bench-tsnode-cold-")) }),
    },
    { name: "typescript (ts-node cache warm)", dir: dirs.typescript, env: () => ({ TS_NODE_CACHE_DIRECTORY: warmCache }) },
  ];
  const start = async (variant: (typeof variants)[number]) => {
    const env = variant.env?.();
    const begin = performance.now();
    const pack = await startPackProcess({ packDir: variant.dir, timeoutMs: 120_000, env });
    const elapsed = ms(begin);
    await pack.kill();
    if (env?.TS_NODE_CACHE_DIRECTORY && env.TS_NODE_CACHE_DIRECTORY !== warmCache)
      rmSync(env.TS_NODE_CACHE_DIRECTORY, { recursive: true, force: true });
    return elapsed;
  };
  // One unmeasured start of each fills the OS page cache and the warm ts-node cache.
  for (const variant of variants) await start(variant);
  const runs: Record<string, number[]> = Object.fromEntries(variants.map((variant) => [variant.name, []]));
  // Round robin, so noise from other processes hits every variant alike.
  for (let run = 0; run < COLD_RUNS; run++) {
    for (const variant of variants) runs[variant.name]!.push(await start(variant));
    log(`  cold start round ${run + 1}/${COLD_RUNS}`);
  }
  rmSync(warmCache, { recursive: true, force: true });
  const medianMs = Object.fromEntries(Object.entries(runs).map(([name, values]) => [name, round(median(values), 1)]));
  const ratioToEmpty = Object.fromEntries(Object.entries(medianMs).map(([name, value]) => [name, round(value / medianMs["empty"]!, 3)]));
  return {
    runs: Object.fromEntries(Object.entries(runs).map(([name, values]) => [name, values.map((value) => round(value, 1))])),
    medianMs,
    ratioToEmpty,
  };
}

// ---- Analyze latency ---------------------------------------------------------------------------

interface Started {
  readonly client: PolicyPackClient;
  readonly raw: RawAnalyzer;
}

async function start(dir: string): Promise<Started> {
  // Engine order: handshake, GetAnalyzerInfo, Configure (with every policy's defaults).
  const client = await startPolicyPack({ packDir: dir, timeoutMs: 60_000, callTimeoutMs: 600_000 });
  const raw = new RawAnalyzer(client.port);
  await raw.ready();
  return { client, raw };
}

async function stop(started: Started): Promise<void> {
  started.raw.close();
  await started.client.close();
}

interface LatencyResult {
  readonly requests: number;
  readonly mix: Record<string, number>;
  readonly p50Ms: Record<string, number>;
  readonly p99Ms: Record<string, number>;
  readonly requestsPerSecond: Record<string, number>;
  readonly diagnosticsPerPass: Record<string, number>;
  readonly p50OverFloorMs: number;
}

async function analyzeLatency(dirs: PackDirs): Promise<LatencyResult> {
  const requests = analyzeRequests();
  const bytes = requests.map((request) => analyzeBytes(request.resource));
  const mix: Record<string, number> = {};
  for (const request of requests) mix[request.label] = (mix[request.label] ?? 0) + 1;
  const packs = { compiled: await start(dirs.compiled), empty: await start(dirs.empty) };
  try {
    const samples: Record<string, number[]> = { compiled: [], empty: [] };
    const busy: Record<string, number> = { compiled: 0, empty: 0 };
    const diagnostics: Record<string, number> = { compiled: 0, empty: 0 };
    for (const [name, pack] of Object.entries(packs)) {
      for (const request of bytes) diagnostics[name]! += diagnosticCount(await pack.raw.call("Analyze", request));
      for (let index = 0; index < 300; index++) await pack.raw.call("Analyze", bytes[index % bytes.length]!); // warm-up (JIT)
    }
    // Blocks of 50 requests, alternating between the packs.
    for (let done = 0; done < ANALYZE_REQUESTS; done += 50) {
      for (const [name, pack] of Object.entries(packs)) {
        const blockStart = performance.now();
        for (let index = done; index < done + 50; index++) {
          const begin = performance.now();
          await pack.raw.call("Analyze", bytes[index % bytes.length]!);
          samples[name]!.push(ms(begin));
        }
        busy[name]! += ms(blockStart);
      }
    }
    const p50Ms = { compiled: round(quantile(samples.compiled!, 0.5), 3), empty: round(quantile(samples.empty!, 0.5), 3) };
    return {
      requests: ANALYZE_REQUESTS,
      mix,
      p50Ms,
      p99Ms: { compiled: round(quantile(samples.compiled!, 0.99), 3), empty: round(quantile(samples.empty!, 0.99), 3) },
      requestsPerSecond: {
        compiled: Math.round((samples.compiled!.length / busy.compiled!) * 1000),
        empty: Math.round((samples.empty!.length / busy.empty!) * 1000),
      },
      diagnosticsPerPass: diagnostics,
      p50OverFloorMs: round(p50Ms.compiled - p50Ms.empty, 3),
    };
  } finally {
    await Promise.all(Object.values(packs).map(stop));
  }
}

// ---- AnalyzeStack --------------------------------------------------------------------------------

interface StackSizeResult {
  readonly resources: number;
  readonly deploymentGroups: number;
  readonly requestMiB: number;
  readonly runs: number;
  readonly medianMs: Record<string, number>;
  readonly allMs: Record<string, number[]>;
  readonly peakRssMiB: Record<string, number>;
  readonly diagnostics: Record<string, number>;
  readonly ratio: number;
  /** CPU time of the pack process (all its threads, GC helpers included), from /proc; 10 ms ticks. */
  readonly medianCpuMs: Record<string, number>;
  readonly cpuRatio: number;
  /** The pack on the prototype SDK change (decode once per request, lazily), to the empty pack. */
  readonly sdkFixRatio: number;
}

const requestCache = new Map<number, { bytes: Buffer; groups: number; resources: EngineResource[] }>();

function stackRequest(size: number) {
  let cached = requestCache.get(size);
  if (!cached) {
    const stack = generateStack(size);
    cached = { bytes: analyzeStackBytes(stack.resources), groups: stack.groups, resources: stack.resources };
    requestCache.set(size, cached);
  }
  return cached;
}

/**
 * One AnalyzeStack request sent to several packs, each in its own process (so peak memory is per
 * pack and per size), one unmeasured run each, then `runs` rounds, round robin.
 */
async function timeStack(
  named: Record<string, string>,
  size: number,
  runs: number,
  request: { bytes: Buffer; groups: number } = stackRequest(size),
  /** Unmeasured calls each pack gets first (a real preview's Analyze calls before AnalyzeStack). */
  prepare?: (pack: Started) => Promise<void>,
) {
  const packs: Record<string, Started> = {};
  try {
    for (const [name, dir] of Object.entries(named)) packs[name] = await start(dir);
    if (prepare) for (const pack of Object.values(packs)) await prepare(pack);
    const allMs: Record<string, number[]> = {};
    const allCpuMs: Record<string, number[]> = {};
    const diagnostics: Record<string, number> = {};
    for (const [name, pack] of Object.entries(packs)) {
      diagnostics[name] = diagnosticCount(await pack.raw.call("AnalyzeStack", request.bytes));
      allMs[name] = [];
      allCpuMs[name] = [];
    }
    for (let run = 0; run < runs; run++) {
      for (const [name, pack] of Object.entries(packs)) {
        const cpuBefore = cpuMs(pack.client.pid);
        const begin = performance.now();
        await pack.raw.call("AnalyzeStack", request.bytes);
        allMs[name]!.push(round(ms(begin), 1));
        allCpuMs[name]!.push(cpuMs(pack.client.pid) - cpuBefore);
      }
    }
    const peak = Object.fromEntries(Object.entries(packs).map(([name, pack]) => [name, round(peakRssMiB(pack.client.pid), 1)]));
    const medianMs = Object.fromEntries(Object.entries(allMs).map(([name, values]) => [name, round(median(values), 1)]));
    const medianCpuMs = Object.fromEntries(Object.entries(allCpuMs).map(([name, values]) => [name, round(median(values), 0)]));
    return { request, allMs, medianMs, medianCpuMs, peak, diagnostics };
  } finally {
    await Promise.all(Object.values(packs).map(stop));
  }
}

async function analyzeStack(dirs: PackDirs): Promise<StackSizeResult[]> {
  const results: StackSizeResult[] = [];
  for (const size of STACK_SIZES) {
    const runs = STACK_RUNS[size]!;
    // The pack on the prototype SDK (decode once, lazily) rides along: what the SDK fix would give.
    const { request, allMs, medianMs, medianCpuMs, peak, diagnostics } = await timeStack(
      { compiled: dirs.compiled, empty: dirs.empty, sdkFix: dirs.sdkPrototypes.sharedLazy },
      size,
      runs,
    );
    results.push({
      resources: size,
      deploymentGroups: request.groups,
      requestMiB: round(request.bytes.length / 2 ** 20, 1),
      runs,
      medianMs,
      allMs,
      peakRssMiB: peak,
      diagnostics,
      ratio: round(medianMs.compiled! / medianMs.empty!, 3),
      medianCpuMs,
      cpuRatio: round(medianCpuMs.compiled! / medianCpuMs.empty!, 3),
      sdkFixRatio: round(medianMs.sdkFix! / medianMs.empty!, 3),
    });
    log(`  AnalyzeStack ${size}: ${JSON.stringify(medianMs)}`);
  }
  return results;
}

// ---- AnalyzeStack in real-preview shapes ----------------------------------------------------------

/**
 * The pack against an empty pack plus three no-op stack policies on the same SDK: the same
 * 10,000-resource stack (a third CodeDeploy) as a real preview sends it (bench/realStack.ts), each
 * pack first getting every resource's Analyze (unmeasured, as in a preview), then AnalyzeStack
 * round robin. What is left of the ratio above 1 is the pack's own work.
 */
async function analyzeStackRealShapes(dirs: PackDirs) {
  const size = 10_000;
  const stack = generateRealShapesStack(size);
  const bytes = analyzeStackBytes(stack.payloads.analyzeStack);
  const analyzeRequestsBytes = stack.payloads.analyze.map(analyzeBytes);
  const { allMs, medianMs, medianCpuMs, peak, diagnostics } = await timeStack(
    { pack: dirs.compiled, noopStack: dirs.noopStack },
    size,
    REAL_SHAPES_RUNS,
    { bytes, groups: stack.groups },
    async (pack) => {
      for (const request of analyzeRequestsBytes) await pack.raw.call("Analyze", request);
    },
  );
  const ratio = round(medianMs.pack! / medianMs.noopStack!, 3);
  return {
    resources: size,
    codeDeployResources: stack.codeDeploy,
    deploymentGroups: stack.groups,
    requestMiB: round(bytes.length / 2 ** 20, 1),
    runs: REAL_SHAPES_RUNS,
    allMs,
    medianMs,
    medianCpuMs,
    peakRssMiB: peak,
    diagnostics,
    ratio,
    cpuRatio: round(medianCpuMs.pack! / medianCpuMs.noopStack!, 3),
    target: { limit: 1.1, met: ratio <= 1.1 },
  };
}

type RealShapesResult = Awaited<ReturnType<typeof analyzeStackRealShapes>>;

function realShapesLines(result: RealShapesResult): string[] {
  return [
    table(
      [
        `AnalyzeStack, real preview shapes, ${result.resources.toLocaleString("en-US")} resources (${result.codeDeployResources} CodeDeploy)`,
        "median ms",
        "CPU ms",
        "peak MiB",
        "diagnostics",
      ],
      (["pack", "noopStack"] as const).map((name) => [
        name === "pack" ? "the pack" : "empty pack + 3 no-op stack policies",
        result.medianMs[name]!.toFixed(0),
        result.medianCpuMs[name]!,
        result.peakRssMiB[name]!.toFixed(0),
        result.diagnostics[name]!,
      ]),
    ),
    `pack / (empty + 3 no-op stack policies): ${result.ratio.toFixed(3)} wall, ${result.cpuRatio.toFixed(3)} CPU, median of ${result.runs} round-robin runs (target <= ${result.target.limit}: ${result.target.met ? "met" : "MISSED"})`,
  ];
}

// ---- cost per stack policy -----------------------------------------------------------------------

async function stackPolicyCost(dirs: PackDirs) {
  const size = 10_000;
  const named: Record<string, string> = { empty: dirs.empty };
  dirs.stackVariants.forEach((dir, k) => (named[`stack-${k}`] = dir));
  named["sdk-shared"] = dirs.sdkPrototypes.shared;
  named["sdk-lazy"] = dirs.sdkPrototypes.lazy;
  named["sdk-shared-lazy"] = dirs.sdkPrototypes.sharedLazy;
  const { medianMs, medianCpuMs, peak, diagnostics } = await timeStack(named, size, VARIANT_RUNS);
  // Least-squares slope of time over the number of stack policies.
  const points = [0, 1, 2, 3].map((k) => [k, medianMs[`stack-${k}`]!] as const);
  const meanK = 1.5;
  const meanT = points.reduce((sum, [, t]) => sum + t, 0) / points.length;
  const slope = points.reduce((sum, [k, t]) => sum + (k - meanK) * (t - meanT), 0) / points.reduce((sum, [k]) => sum + (k - meanK) ** 2, 0);
  return {
    resources: size,
    runs: VARIANT_RUNS,
    medianMs,
    peakRssMiB: peak,
    diagnostics,
    medianCpuMs,
    msPerStackPolicy: round(slope, 1),
    msPerStackPolicyFromEnds: round((medianMs["stack-3"]! - medianMs["stack-0"]!) / 3, 1),
    ratioToEmpty: Object.fromEntries(Object.entries(medianMs).map(([name, value]) => [name, round(value / medianMs.empty!, 3)])),
    cpuMsPerStackPolicy: round((medianCpuMs["stack-3"]! - medianCpuMs["stack-0"]!) / 3, 0),
  };
}

// ---- the pack's own work, in process -------------------------------------------------------------

/**
 * What one stack policy of the pack does beyond the SDK (stackModels, indexStack, the rule over
 * every group and config), on resources decoded by the SDK's own functions. Linear means the time
 * per resource stays flat from 10,000 to 50,000.
 */
function packOwnWork() {
  const stackPolicies = buildPolicies().filter((policy): policy is StackValidationPolicy => "validateStack" in policy);
  const result: Record<string, { msAllStackPolicies: number; usPerResource: number; findings: number }> = {};
  for (const size of [2_000, 10_000, 50_000]) {
    const resources: PolicyResource[] = generateStack(size).resources.map((resource) => ({
      type: resource.type,
      urn: resource.urn,
      name: resource.name,
      props: unknownCheckingProxy(deserializeProperties(Struct.fromJavaScript(resource.properties), false)),
      opts: {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
      },
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    }));
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    generateStack(size).resources.forEach((resource, index) => {
      const target = resources[index]!;
      for (const [key, urns] of Object.entries(resource.propertyDependencies ?? {})) {
        target.propertyDependencies[key] = urns.map((urn) => byUrn.get(urn)!).filter(Boolean);
      }
    });
    const times: number[] = [];
    let findings = 0;
    for (let run = 0; run < 6; run++) {
      findings = 0;
      const begin = performance.now();
      for (const policy of stackPolicies) {
        void policy.validateStack(
          { resources, getConfig: <T>() => ({}) as T, stackTags: new Map(), notApplicable: () => undefined as never },
          () => findings++,
        );
      }
      if (run > 0) times.push(ms(begin)); // the first run warms the JIT up
    }
    const time = median(times);
    if (size === 2_000) continue; // JIT warm-up only
    result[size] = { msAllStackPolicies: round(time, 1), usPerResource: round((time * 1000) / size, 2), findings };
  }
  return { sizes: result, perResourceGrowth10kTo50k: round(result[50_000]!.usPerResource / result[10_000]!.usPerResource, 3) };
}

// ---- the SDK's handler, in process -------------------------------------------------------------------

type AnalyzeStackHandler = (call: { request: unknown }, callback: (error: unknown, response: unknown) => void) => Promise<void>;
type MakeHandler = (name: string, version: string, level: string, policies: unknown[]) => AnalyzeStackHandler;

/**
 * Where the time of one AnalyzeStack goes, without transport or a second process: decoding the
 * request message (the same for any pack), then the SDK's AnalyzeStack handler with 0..3 of the
 * pack's stack policies, and with the patched SDK prototypes. Alternated, median of several runs.
 */
async function sdkHandlerInProcess(dirs: PackDirs) {
  const size = 10_000;
  const bytes = stackRequest(size).bytes;
  const policies = buildPolicies();
  const stackPolicyNames = policies.filter((policy) => "validateStack" in policy).map((policy) => policy.name);
  const original = load("@pulumi/policy/server") as { makeAnalyzeStackRpcFun: MakeHandler };
  const prototype = (dir: string) =>
    (createRequire(join(dir, "index.js"))("@pulumi/policy/server") as { makeAnalyzeStackRpcFun: MakeHandler }).makeAnalyzeStackRpcFun;
  const subset = (k: number) => policies.filter((policy) => !("validateStack" in policy) || stackPolicyNames.indexOf(policy.name) < k);
  const handlers: Record<string, AnalyzeStackHandler> = {};
  for (const k of [1, 2, 3]) handlers[`stack-${k}`] = original.makeAnalyzeStackRpcFun("bench", "0.1.0", "advisory", subset(k));
  handlers["sdk-shared-lazy"] = prototype(dirs.sdkPrototypes.sharedLazy)("bench", "0.1.0", "advisory", policies);
  const times: Record<string, number[]> = { decodeRequest: [] };
  for (const name of Object.keys(handlers)) times[name] = [];
  for (let run = 0; run < VARIANT_RUNS + 1; run++) {
    let begin = performance.now();
    const request = analyzerpb.AnalyzeStackRequest.deserializeBinary(bytes);
    if (run > 0) times.decodeRequest!.push(ms(begin));
    for (const [name, handler] of Object.entries(handlers)) {
      // A fresh message each time, as each gRPC call has: jspb caches decoded sub-messages.
      const fresh = analyzerpb.AnalyzeStackRequest.deserializeBinary(bytes);
      begin = performance.now();
      await handler({ request: fresh }, (error) => {
        if (error) throw error as Error;
      });
      if (run > 0) times[name]!.push(ms(begin));
    }
    void request;
  }
  const medianMs = Object.fromEntries(Object.entries(times).map(([name, values]) => [name, round(median(values), 1)]));
  return { resources: size, runs: VARIANT_RUNS, medianMs, msPerStackPolicy: round((medianMs["stack-3"]! - medianMs["stack-1"]!) / 2, 1) };
}

// ---- check, end to end ---------------------------------------------------------------------------

async function checkEndToEnd() {
  const cli = join(ROOT, "packages/tools/src/check/cli.ts");
  if (!existsSync(cli)) return { available: false as const, reason: "packages/tools/src/check/cli.ts does not exist yet" };
  const tsx = require.resolve("tsx", { paths: [ROOT] });
  const times: number[] = [];
  let exitCode: number | null = null;
  let stderr = "";
  for (let run = 0; run < CHECK_RUNS + 1; run++) {
    const begin = performance.now();
    exitCode = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, ["--import", tsx, cli, "--format", "json"], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
      child.stderr.setEncoding("utf8");
      child.stderr.on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
      child.on("exit", (code) => resolve(code));
    });
    if (run > 0) times.push(ms(begin)); // the first run fills the page cache
    if (exitCode !== 0 && exitCode !== 1) return { available: true as const, failed: true, exitCode, stderr };
  }
  return {
    available: true as const,
    command: "tsx packages/tools/src/check/cli.ts --format json (reference-stack)",
    runs: times.length,
    medianMs: round(median(times), 0),
    exitCode,
  };
}

const VARIANT_LABELS: Record<string, string> = {
  empty: "empty pack",
  "stack-0": "3 resource + 0 stack policies",
  "stack-1": "3 resource + 1 stack policy",
  "stack-2": "3 resource + 2 stack policies",
  "stack-3": "3 resource + 3 stack policies (the pack)",
  "sdk-shared": "the pack, SDK prototype: decode once",
  "sdk-lazy": "the pack, SDK prototype: lazy props",
  "sdk-shared-lazy": "the pack, SDK prototype: once + lazy",
};

// ---- main ------------------------------------------------------------------------------------------

function machine() {
  const policyVersion = (
    JSON.parse(readFileSync(require.resolve("@pulumi/policy/package.json", { paths: [ROOT] }), "utf8")) as { version: string }
  ).version;
  const pulumiVersion = (
    JSON.parse(readFileSync(require.resolve("@pulumi/pulumi/package.json", { paths: [ROOT] }), "utf8")) as { version: string }
  ).version;
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    // not a git checkout
  }
  return {
    cpuModel: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: round(Number(/MemTotal:\s+(\d+)/.exec(readFileSync("/proc/meminfo", "utf8"))?.[1] ?? 0) / 2 ** 20, 1),
    node: process.version,
    pulumiPolicy: policyVersion,
    pulumiPulumi: pulumiVersion,
    commit,
  };
}

async function main() {
  const began = performance.now();
  const loadBefore = loadAverage();
  log(`load average before: ${loadBefore.join(" ")}${QUICK ? " (quick run)" : ""}`);
  log("preparing packs (compiling the current sources) ...");
  const dirs = preparePacks();
  try {
    const sectionSeconds: Record<string, number> = {};
    const section = async <T>(name: string, run: () => T | Promise<T>): Promise<T> => {
      log(`${name} ...`);
      const begin = performance.now();
      const result = await run();
      sectionSeconds[name] = round(ms(begin) / 1000, 1);
      return result;
    };
    if (ONLY !== undefined) {
      if (ONLY !== "real-shapes") throw new Error(`--only takes real-shapes, not ${JSON.stringify(ONLY)}`);
      const realShapes = await section("AnalyzeStack, real preview shapes (10,000 resources)", () => analyzeStackRealShapes(dirs));
      const loadAfter = loadAverage();
      const results = {
        date: new Date().toISOString(),
        quick: QUICK,
        only: ONLY,
        machine: machine(),
        loadAverage: { before: loadBefore, after: loadAfter },
        durationSeconds: round(ms(began) / 1000, 0),
        sectionSeconds,
        analyzeStackRealShapes: realShapes,
      };
      writeFileSync(join(__dirname, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
      console.log(
        [
          `codedeploy-guardrails benchmarks (--only real-shapes), ${results.date}`,
          `${results.machine.cpuModel}, ${results.machine.cores} cores, Node ${results.machine.node}, @pulumi/policy ${results.machine.pulumiPolicy}; load ${loadBefore.join(" ")} -> ${loadAfter.join(" ")}`,
          "",
          ...realShapesLines(realShapes),
          `\nwrote bench/results.json (${results.durationSeconds} s)`,
        ].join("\n"),
      );
      return;
    }
    // First, while this process's heap is small (its GC would otherwise be timed too).
    const own = await section("the pack's own work, in process", packOwnWork);
    const handler = await section("the SDK's AnalyzeStack handler, in process (10,000 resources)", () => sdkHandlerInProcess(dirs));
    const cold = await section("cold start", () => coldStart(dirs));
    const latency = await section("Analyze latency", () => analyzeLatency(dirs));
    const stack = await section("AnalyzeStack", () => analyzeStack(dirs));
    const realShapes = await section("AnalyzeStack, real preview shapes (10,000 resources)", () => analyzeStackRealShapes(dirs));
    const perPolicy = await section("cost per stack policy (10,000 resources)", () => stackPolicyCost(dirs));
    const check = await section("check, end to end", checkEndToEnd);
    const audit = await section("audit on moto (10 accounts x 2 regions x 150 groups)", () => auditScenario(QUICK, log));
    const loadAfter = loadAverage();

    const at = (size: number) => stack.find((item) => item.resources === size)!;
    const growth = (name: string) => round(at(50_000).medianMs[name]! / at(10_000).medianMs[name]!, 3);
    const growthCompiled = growth("compiled");
    const growthEmpty = growth("empty");
    const growthSdkFix = growth("sdkFix");
    const targets = {
      coldStartWithin15Percent: { value: cold.ratioToEmpty["compiled"]!, limit: 1.15, met: cold.ratioToEmpty["compiled"]! <= 1.15 },
      analyzeStack10kAtMost1_5x: { value: at(10_000).ratio, limit: 1.5, met: at(10_000).ratio <= 1.5 },
      growth10kTo50kAtMost1_15xEmpty: {
        value: round(growthCompiled / growthEmpty, 3),
        compiled: growthCompiled,
        empty: growthEmpty,
        limit: 1.15,
        met: growthCompiled / growthEmpty <= 1.15,
      },
      analyzeP50Within1ms: { value: latency.p50OverFloorMs, limit: 1, met: latency.p50OverFloorMs <= 1 },
      analyzeStackRealShapes10kAtMost1_10xNoopStack: { value: realShapes.ratio, limit: 1.1, met: realShapes.target.met },
    };
    const results = {
      date: new Date().toISOString(),
      quick: QUICK,
      machine: machine(),
      loadAverage: { before: loadBefore, after: loadAfter },
      durationSeconds: round(ms(began) / 1000, 0),
      sectionSeconds,
      coldStart: cold,
      analyze: latency,
      analyzeStack: stack,
      growth10kTo50k: { compiled: growthCompiled, empty: growthEmpty, sdkFix: growthSdkFix },
      analyzeStackRealShapes: realShapes,
      stackPolicyCost: perPolicy,
      packOwnWork: own,
      sdkHandlerInProcess: handler,
      check,
      audit,
      targets,
    };
    writeFileSync(join(__dirname, "results.json"), `${JSON.stringify(results, null, 2)}\n`);

    const yes = (met: boolean) => (met ? "met" : "MISSED");
    const lines: string[] = [];
    lines.push(`codedeploy-guardrails benchmarks, ${results.date}`);
    lines.push(
      `${results.machine.cpuModel}, ${results.machine.cores} cores, Node ${results.machine.node}, @pulumi/policy ${results.machine.pulumiPolicy}; load ${loadBefore.join(" ")} -> ${loadAfter.join(" ")}`,
    );
    lines.push("");
    lines.push(
      table(
        ["cold start (spawn to port)", "median ms", "x empty"],
        Object.entries(cold.medianMs).map(([name, value]) => [name, value.toFixed(0), cold.ratioToEmpty[name]!.toFixed(2)]),
      ),
    );
    lines.push("");
    lines.push(
      table(
        [`Analyze, ${latency.requests} deployment groups`, "p50 ms", "p99 ms", "req/s"],
        ["compiled", "empty"].map((name) => [
          name,
          latency.p50Ms[name]!.toFixed(3),
          latency.p99Ms[name]!.toFixed(3),
          latency.requestsPerSecond[name]!,
        ]),
      ),
    );
    lines.push("");
    lines.push(
      table(
        [
          "AnalyzeStack",
          "groups",
          "MiB",
          "pack ms",
          "empty ms",
          "x empty",
          "CPU x empty",
          "pack peak MiB",
          "empty peak MiB",
          "SDK fix ms",
          "x empty",
        ],
        stack.map((item) => [
          item.resources.toLocaleString("en-US"),
          item.deploymentGroups,
          item.requestMiB,
          item.medianMs.compiled!.toFixed(0),
          item.medianMs.empty!.toFixed(0),
          item.ratio.toFixed(2),
          item.cpuRatio.toFixed(2),
          item.peakRssMiB.compiled!.toFixed(0),
          item.peakRssMiB.empty!.toFixed(0),
          item.medianMs.sdkFix!.toFixed(0),
          item.sdkFixRatio.toFixed(2),
        ]),
      ),
    );
    lines.push(
      `growth 10k -> 50k: pack ${growthCompiled}x, empty ${growthEmpty}x (ratio ${targets.growth10kTo50kAtMost1_15xEmpty.value}); pack on the SDK fix ${growthSdkFix}x (ratio ${round(growthSdkFix / growthEmpty, 3)})`,
    );
    lines.push(
      "SDK fix = this pack on a patched copy of @pulumi/policy that decodes each resource once per request, on first read (bench/packs.ts)",
    );
    lines.push("");
    lines.push(...realShapesLines(realShapes));
    lines.push("");
    lines.push(
      table(
        ["AnalyzeStack, 10,000 resources", "median ms", "x empty", "CPU ms", "peak MiB", "diagnostics"],
        Object.entries(perPolicy.medianMs).map(([name, value]) => [
          VARIANT_LABELS[name] ?? name,
          value.toFixed(0),
          perPolicy.ratioToEmpty[name]!.toFixed(2),
          perPolicy.medianCpuMs[name]!,
          perPolicy.peakRssMiB[name]!.toFixed(0),
          perPolicy.diagnostics[name]!,
        ]),
      ),
    );
    lines.push(
      `cost per stack policy at 10,000 resources: ${perPolicy.msPerStackPolicy} ms wall (least-squares slope), ${perPolicy.cpuMsPerStackPolicy} ms CPU`,
    );
    lines.push(
      table(
        ["in process, 10,000 resources", "median ms"],
        Object.entries(handler.medianMs).map(([name, value]) => [
          name === "decodeRequest" ? "decode the request message" : `SDK handler, ${VARIANT_LABELS[name] ?? name}`,
          value.toFixed(0),
        ]),
      ),
    );
    lines.push(`in process, per stack policy: ${handler.msPerStackPolicy} ms`);
    lines.push(
      `pack's own work (3 stack policies, in process): 10k ${own.sizes[10_000]!.msAllStackPolicies} ms, 50k ${own.sizes[50_000]!.msAllStackPolicies} ms; per resource 50k/10k ${own.perResourceGrowth10kTo50k}x`,
    );
    lines.push(
      check.available && "medianMs" in check
        ? `check (end to end, reference stack): median ${check.medianMs} ms over ${check.runs} runs, exit ${check.exitCode}`
        : `check (end to end): ${check.available ? `failed (exit ${"exitCode" in check ? check.exitCode : "?"})` : "not measured: " + ("reason" in check ? check.reason : "")}`,
    );
    lines.push("");
    lines.push(
      table(
        ["target", "value", "limit", ""],
        [
          ["cold start / empty", targets.coldStartWithin15Percent.value, "1.15", yes(targets.coldStartWithin15Percent.met)],
          ["AnalyzeStack 10k / empty", targets.analyzeStack10kAtMost1_5x.value, "1.5", yes(targets.analyzeStack10kAtMost1_5x.met)],
          [
            "growth 10k->50k / empty's growth",
            targets.growth10kTo50kAtMost1_15xEmpty.value,
            "1.15",
            yes(targets.growth10kTo50kAtMost1_15xEmpty.met),
          ],
          ["Analyze p50 - empty p50 (ms)", targets.analyzeP50Within1ms.value, "1", yes(targets.analyzeP50Within1ms.met)],
          [
            "AnalyzeStack real shapes 10k / (empty + 3 no-op stack policies)",
            targets.analyzeStackRealShapes10kAtMost1_10xNoopStack.value,
            "1.1",
            yes(targets.analyzeStackRealShapes10kAtMost1_10xNoopStack.met),
          ],
        ],
      ),
    );
    lines.push("", ...auditLines(audit));
    lines.push(`\nwrote bench/results.json (${results.durationSeconds} s)`);
    console.log(lines.join("\n"));
  } finally {
    rmSync(dirs.work, { recursive: true, force: true });
  }
}

export { analyzeLatency, analyzeStack, checkEndToEnd, coldStart, packOwnWork, sdkHandlerInProcess, stackPolicyCost };

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
