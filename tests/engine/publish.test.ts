// The pack is publishable: the tarball `npm pack` makes, installed in an empty directory with
// `npm install --omit=dev`, serves all six policies through the engine client.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPolicyPack, type PolicyPackClient } from "../../packages/tools/src/engine";
import { CLASSIC, POLICIES, ROOT, compliantClassicGroupProps, ensurePackBuilt, resource, withValue } from "./helpers";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
// Outside the repository, so Node's module lookup cannot fall back on the checkout's node_modules.
const work = mkdtempSync(join(tmpdir(), "codedeploy-guardrails-publish-"));
const installDir = join(work, "installed");
let install: { status: number | null; output: string } | undefined;
let pack: PolicyPackClient | undefined;

function npm(args: readonly string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync(NPM, args, {
    cwd,
    encoding: "utf8",
    timeout: 240_000,
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
  return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? String(result.error) : ""}` };
}

beforeAll(() => {
  ensurePackBuilt();
  // dist/ is current (built above, under the build lock); `--ignore-scripts` keeps `npm pack` from
  // running `prepare`, which would rewrite dist/ while other test files run the pack from it.
  const packed = npm(["pack", "--ignore-scripts", "--json", "--pack-destination", work], ROOT);
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.output}`);
  const tarball = readdirSync(work).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack produced no tarball in ${work}:\n${packed.output}`);
  execFileSync("mkdir", ["-p", installDir]);
  execFileSync("tar", ["xzf", join(work, tarball), "--strip-components=1", "-C", installDir]);
  install = npm(["install", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline"], installDir);
}, 300_000);

afterAll(async () => {
  await pack?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("the published tarball", () => {
  it("ships the compiled pack, not its sources", () => {
    const files = readdirSync(installDir);
    expect(files).toEqual(expect.arrayContaining(["PulumiPolicy.yaml", "package.json", "dist"]));
    expect(files).not.toContain("policy-pack");
    expect(files).not.toContain("tests");
  });

  it("installs with `npm install --omit=dev` in an empty directory", () => {
    expect(install?.status, `npm install --omit=dev failed in ${installDir}:\n${install?.output}`).toBe(0);
  });

  it("serves all six policies and reports a violation", async () => {
    if (install?.status !== 0) {
      // Still check what is served, with lifecycle scripts off, so one failure does not hide another.
      const retry = npm(["install", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"], installDir);
      expect(retry.status, retry.output).toBe(0);
    }
    pack = await startPolicyPack({ packDir: installDir, timeoutMs: 60_000 });
    const info = await pack.getAnalyzerInfo();
    expect(info.name).toBe("codedeploy-guardrails");
    expect(info.policies.map((policy) => policy.name)).toEqual(Object.values(POLICIES));
    const group = resource(CLASSIC.group, "published", withValue(compliantClassicGroupProps(), "autoRollbackConfiguration", undefined));
    const diagnostics = (await pack.analyze(group)).diagnostics;
    expect(diagnostics.map((diagnostic) => [diagnostic.policyName, diagnostic.enforcementLevel])).toEqual([
      [POLICIES.autoRollback, "mandatory"],
    ]);
  }, 120_000);
});
