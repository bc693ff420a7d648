// AnalyzeStack time and memory over generated stacks of several sizes.
import { type EngineResource } from "../../packages/tools/src/engine";
import { type PackDirs } from "../packs";
import { analyzeStackBytes, diagnosticCount } from "../rpc";
import { generateStack } from "../stack";
import { cpuMs, median, peakRssMiB, round } from "../stats";
import { start, type Started, stop } from "./analyze";
import { log, ms, STACK_RUNS, STACK_SIZES } from "./settings";

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

export function stackRequest(size: number) {
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
export async function timeStack(
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

export async function analyzeStack(dirs: PackDirs): Promise<StackSizeResult[]> {
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
