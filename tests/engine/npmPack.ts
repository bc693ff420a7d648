// npm as a user runs it, for the tests of what is published: `npm pack` of a package of this
// repository, and installs in a temporary directory outside it, so Node's module lookup cannot
// fall back on the checkout's node_modules.
import { spawnSync } from "node:child_process";
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { withRepositoryLock } from "./helpers";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

export interface NpmRun {
  readonly status: number | null;
  readonly output: string;
  readonly ms: number;
}

export function npm(args: readonly string[], cwd: string): NpmRun {
  const begin = performance.now();
  const result = spawnSync(NPM, args, {
    cwd,
    encoding: "utf8",
    timeout: 240_000,
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
  return {
    status: result.status,
    output: `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? String(result.error) : ""}`,
    ms: performance.now() - begin,
  };
}

/**
 * `npm pack` of the package in `packageDir` into `destination`; returns the tarball's path. It runs
 * the package's own `prepack` and `postpack` (they write the published manifest, see
 * scripts/publish-manifest.js) but not `prepare`, which would rebuild dist/ while other test files run
 * the pack from it: the caller has built it, under the build lock.
 */
export function packTarball(packageDir: string, destination: string): string {
  const step = (args: readonly string[]) => {
    const run = npm(args, packageDir);
    if (run.status !== 0) throw new Error(`npm ${args.join(" ")} failed in ${packageDir}:\n${run.output}`);
    return run.output;
  };
  // prepack rewrites package.json until postpack: one pack at a time, or one test file would pack the
  // manifest another has rewritten, or restore it under the other's feet.
  const output = withRepositoryLock("npm-pack", () => {
    step(["run", "prepack"]);
    try {
      return step(["pack", "--ignore-scripts", "--json", "--pack-destination", destination]);
    } finally {
      step(["run", "postpack"]);
    }
  });
  const [entry] = JSON.parse(output.slice(output.indexOf("["))) as { filename: string }[];
  if (!entry) throw new Error(`npm pack reported no tarball:\n${output}`);
  return join(destination, entry.filename);
}

/** The install options of every measured or served install: production dependencies, from the warm cache. */
export const INSTALL_ARGS = ["install", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline"] as const;

/** Bytes on disk under `dir` (512-byte blocks, as `du` counts), symlinks not followed. */
export function diskBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const stat = lstatSync(path);
    total += stat.blocks * 512;
    if (entry.isDirectory()) total += diskBytes(path);
  }
  return total;
}

/** How many packages npm installed under `dir`: the entries of its hidden lockfile (node_modules/.package-lock.json). */
export function installedPackageCount(dir: string): number {
  const lock = JSON.parse(readFileSync(join(dir, "node_modules", ".package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
  return Object.keys(lock.packages).filter((path) => path.startsWith("node_modules/")).length;
}

/** The version of `name` installed under `dir`. */
export function installedVersion(dir: string, name: string): string {
  return (JSON.parse(readFileSync(join(dir, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
}
