// AnalyzeStack in the shapes a real preview sends.
import { type PackDirs } from "../packs";
import { analyzeBytes, analyzeStackBytes } from "../rpc";
import { generateRealShapesStack } from "../realStack";
import { round, table } from "../stats";
import { timeStack } from "./analyzeStack";
import { REAL_SHAPES_RUNS } from "./settings";

// ---- AnalyzeStack in real-preview shapes ----------------------------------------------------------

/**
 * The pack against an empty pack plus three no-op stack policies on the same SDK: the same
 * 10,000-resource stack (a third CodeDeploy) as a real preview sends it (bench/realStack.ts), each
 * pack first getting every resource's Analyze (unmeasured, as in a preview), then AnalyzeStack
 * round robin. What is left of the ratio above 1 is the pack's own work.
 */
export async function analyzeStackRealShapes(dirs: PackDirs) {
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

export function realShapesLines(result: RealShapesResult): string[] {
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
