// The tools package as published: its tarball depends on the pack by version (never on the
// checkout's `file:` link), and installed beside the pack's tarball in an empty project, its
// `codedeploy-guardrails-check` bin reaches the pack through the pack's public entry points and starts
// the installed pack, as a user's CI would.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, TOOLS_ROOT, ensurePackBuilt } from "./helpers";
import { npm, packTarball, type NpmRun } from "./npmPack";

interface Manifest {
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly bin?: Record<string, string>;
}

const readManifest = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
// Outside the repository, so Node's module lookup cannot fall back on the checkout's node_modules.
const work = mkdtempSync(join(tmpdir(), "codedeploy-guardrails-tools-"));
let install: NpmRun | undefined;

beforeAll(() => {
  ensurePackBuilt();
  const packTgz = packTarball(ROOT, work);
  const toolsTgz = packTarball(TOOLS_ROOT, work);
  writeFileSync(join(work, "package.json"), JSON.stringify({ name: "a-user-project", private: true }));
  install = npm(["install", "--no-audit", "--no-fund", "--prefer-offline", packTgz, toolsTgz], work);
}, 480_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the published tools package", () => {
  it("depends on the pack at the pack's own version, and the checkout's manifest is left as it was", () => {
    expect(install?.status, install?.output).toBe(0);
    const installed = readManifest(join(work, "node_modules", "codedeploy-guardrails-tools"));
    expect(installed.dependencies?.["codedeploy-guardrails"]).toBe(readManifest(ROOT).version);
    expect(Object.values(installed.dependencies ?? {}).filter((spec) => spec.startsWith("file:"))).toEqual([]);
    expect(readManifest(TOOLS_ROOT).dependencies?.["codedeploy-guardrails"]).toBe("file:../..");
    expect(Object.keys(installed.bin ?? {}).sort()).toEqual(["codedeploy-guardrails-audit", "codedeploy-guardrails-check"]);
  });

  it("checks a program with the installed pack: the faulty example fails on its one mandatory violation", () => {
    expect(install?.status, install?.output).toBe(0);
    const bin = join(work, "node_modules", ".bin", "codedeploy-guardrails-check");
    const result = spawnSync(bin, [join(ROOT, "examples", "faulty-auto-rollback"), "--format", "json"], {
      cwd: work,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(result.stderr).toContain(`starting the policy pack in ${join(work, "node_modules", "codedeploy-guardrails")}`);
    expect(result.status, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as { summary: { mandatory: number }; violations: { policy: string }[] };
    expect(report.summary.mandatory).toBe(1);
    expect(report.violations.map((violation) => violation.policy)).toContain("codedeploy-alarm-rollback-configured");
  }, 180_000);

  it("audit's bin starts and prints its usage", () => {
    expect(install?.status, install?.output).toBe(0);
    const result = spawnSync(join(work, "node_modules", ".bin", "codedeploy-guardrails-audit"), ["--help"], {
      cwd: work,
      encoding: "utf8",
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Usage: /);
  });
});
