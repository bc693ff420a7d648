// `npm run bench`: start-up, Analyze latency, AnalyzeStack time and memory, and the cost of each
// stack policy, each measured side by side with an empty PolicyPack in the same run (the SDK's
// floor). Prints a table and writes bench/results.json. See docs/benchmarks.md.
//
//   npm run bench                  # the full run (about 4 minutes on 2 cores)
//   npm run bench -- --quick       # fewer repetitions, for trying the script itself
//   npm run bench -- --only real-shapes [--quick]   # only AnalyzeStack in real-preview shapes against
//                                                    # an empty pack plus three no-op stack policies
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { preparePacks, ROOT } from "./packs";
import { loadAverage, round, table } from "./stats";
import { auditLines, auditScenario } from "./audit";
import { analyzeLatency } from "./measure/analyze";
import { analyzeStack } from "./measure/analyzeStack";
import { checkEndToEnd } from "./measure/checkEndToEnd";
import { coldStart } from "./measure/coldStart";
import { packOwnWork, sdkHandlerInProcess } from "./measure/inProcess";
import { analyzeStackRealShapes, realShapesLines } from "./measure/realShapes";
import { log, ms, ONLY, QUICK } from "./measure/settings";
import { stackPolicyCost } from "./measure/stackPolicyCost";

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

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
