// `check`, end to end, per program variant.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../packs";
import { median, round } from "../stats";
import { CHECK_RUNS, ms } from "./settings";

// ---- check, end to end ---------------------------------------------------------------------------

export async function checkEndToEnd() {
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
