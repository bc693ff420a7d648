// Cold start: from spawning the pack to its first answer, for the pack and the empty PolicyPack.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPackProcess } from "../../packages/tools/src/engine/process";
import { type PackDirs } from "../packs";
import { median, round } from "../stats";
import { COLD_RUNS, log, ms } from "./settings";

// ---- cold start --------------------------------------------------------------------------------

interface ColdStartResult {
  readonly runs: Record<string, number[]>;
  readonly medianMs: Record<string, number>;
  readonly ratioToEmpty: Record<string, number>;
}

export async function coldStart(dirs: PackDirs): Promise<ColdStartResult> {
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
