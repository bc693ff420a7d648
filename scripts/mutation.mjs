#!/usr/bin/env node
// Runs StrykerJS over the rule core (stryker.config.mjs), then checks the score against the targets
// (scripts/mutation-score.mjs). StrykerJS 10 needs Node >= 22: when the running Node is older, a Node
// 22 binary from the npm registry is installed into .tmp/ first (scripts/node-runtime.mjs).
//
//   node scripts/mutation.mjs                 full run (npm run mutation); rewrites the committed
//                                             baseline .stryker/incremental.json
//   node scripts/mutation.mjs --ci            incremental run against the baseline (npm run mutation:ci):
//                                             only mutants whose code or covering tests changed are re-tested
//   node scripts/mutation.mjs --mutate FILE   a subset while iterating (repeatable; Stryker's
//                                             file[:line] syntax); leaves the baseline alone
//   --concurrency N                           test runners in parallel (default: stryker.config.mjs, 2)
//   --no-score                                skip the score check
// Exit status: Stryker's when it fails, otherwise the score check's (0 targets met, 1 missed).
import { execFileSync, spawnSync } from "node:child_process";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const STRYKER_MIN_NODE = 22;
const usage = "usage: node scripts/mutation.mjs [--ci | --mutate FILE ...] [--concurrency N] [--no-score]";

function parseArgs(argv) {
  const options = { ci: false, mutate: [], concurrency: undefined, score: true };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    const value = () => {
      const next = argv[index + 1];
      if (next === undefined || next.startsWith("--")) throw new Error(`${arg} needs a value`);
      index += 1;
      return next;
    };
    if (arg === "--ci") options.ci = true;
    else if (arg === "--mutate") options.mutate.push(value());
    else if (arg === "--concurrency") {
      const count = value();
      if (!/^[1-9]\d*$/.test(count)) throw new Error(`--concurrency takes a positive whole number, not ${JSON.stringify(count)}`);
      options.concurrency = count;
    } else if (arg === "--no-score") options.score = false;
    else throw new Error(`unexpected argument ${JSON.stringify(arg)}`);
  }
  if (options.ci && options.mutate.length > 0) throw new Error("--ci checks the whole baseline; it does not take --mutate");
  return options;
}

function strykerArgs(options) {
  const args = [join(root, "node_modules", "@stryker-mutator", "core", "bin", "stryker.js"), "run", "stryker.config.mjs"];
  if (options.mutate.length > 0) {
    // A subset must not overwrite the baseline with its partial results.
    args.push("--mutate", options.mutate.join(","));
  } else {
    args.push("--incremental");
    if (!options.ci) args.push("--force");
  }
  if (options.concurrency !== undefined) args.push("--concurrency", options.concurrency);
  return args;
}

function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`mutation: ${error.message}\n${usage}\n`);
    return 2;
  }
  const runtime = spawnSync(process.execPath, [join(root, "scripts", "node-runtime.mjs"), String(STRYKER_MIN_NODE), "--or-newer"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (runtime.status !== 0) return runtime.status ?? 1;
  const node = runtime.stdout.trim();
  // Stryker's workers are forks of its own process; PATH makes anything started as `node` the same one.
  const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ""}` };
  // A subset gets its own sandbox and report folder (stryker.config.mjs), so subsets can run side by side.
  let report = join(root, "reports", "mutation", "mutation.json");
  if (options.mutate.length > 0) {
    const runDir = join(".tmp", `mutation-${process.pid}`);
    env.MUTATION_RUN_DIR = runDir;
    report = join(root, runDir, "report", "mutation.json");
    process.stderr.write(`mutation: subset report in ${join(runDir, "report")}\n`);
  }
  const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
  process.stderr.write(`mutation: StrykerJS on Node ${version} (${node})\n`);
  const stryker = spawnSync(node, strykerArgs(options), { cwd: root, env, stdio: "inherit" });
  if (stryker.status !== 0) {
    process.stderr.write(`mutation: StrykerJS failed (exit ${stryker.status ?? stryker.signal})\n`);
    return stryker.status ?? 1;
  }
  if (!options.score) return 0;
  const score = spawnSync(process.execPath, [join(root, "scripts", "mutation-score.mjs"), report], { cwd: root, stdio: "inherit" });
  return score.status ?? 1;
}

process.exitCode = main();
