// The cost of each stack policy, adding them one at a time.
import { type PackDirs } from "../packs";
import { round } from "../stats";
import { timeStack } from "./analyzeStack";
import { VARIANT_RUNS } from "./settings";

// ---- cost per stack policy -----------------------------------------------------------------------

export async function stackPolicyCost(dirs: PackDirs) {
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
