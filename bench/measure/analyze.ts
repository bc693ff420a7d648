// Analyze latency per request, against the empty PolicyPack in the same run.
import { startPolicyPack, type PolicyPackClient } from "../../packages/tools/src/engine";
import { type PackDirs } from "../packs";
import { analyzeBytes, diagnosticCount, RawAnalyzer } from "../rpc";
import { analyzeRequests } from "../stack";
import { quantile, round } from "../stats";
import { ANALYZE_REQUESTS, ms } from "./settings";

// ---- Analyze latency ---------------------------------------------------------------------------

export interface Started {
  readonly client: PolicyPackClient;
  readonly raw: RawAnalyzer;
}

export async function start(dir: string): Promise<Started> {
  // Engine order: handshake, GetAnalyzerInfo, Configure (with every policy's defaults).
  const client = await startPolicyPack({ packDir: dir, timeoutMs: 60_000, callTimeoutMs: 600_000 });
  const raw = new RawAnalyzer(client.port);
  await raw.ready();
  return { client, raw };
}

export async function stop(started: Started): Promise<void> {
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

export async function analyzeLatency(dirs: PackDirs): Promise<LatencyResult> {
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
