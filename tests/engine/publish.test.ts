// The pack is publishable: the tarball `npm pack` makes, installed in an empty directory with
// `npm install --omit=dev` (what Pulumi Cloud does on every preview of an enforced pack), serves all
// six policies through the engine client; and it costs a preview little more than the Pulumi SDKs it
// runs on, measured against `@pulumi/policy` and `@pulumi/pulumi` alone at the same versions.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPolicyPack, type PolicyPackClient } from "../../packages/tools/src/engine";
import { CLASSIC, POLICIES, ROOT, compliantClassicGroupProps, ensurePackBuilt, resource, withValue } from "./helpers";
import { diskBytes, INSTALL_ARGS, installedPackageCount, installedVersion, npm, packTarball, type NpmRun } from "./npmPack";

/** The footprint target of issue 13: the pack's install against the SDKs' alone. */
const MAX_SIZE_RATIO = 1.1;
const MAX_EXTRA_PACKAGES = 5;
const SDKS = ["@pulumi/policy", "@pulumi/pulumi"] as const;

// Outside the repository, so Node's module lookup cannot fall back on the checkout's node_modules.
const work = mkdtempSync(join(tmpdir(), "codedeploy-guardrails-publish-"));
const installDir = join(work, "installed");
const sdksDir = join(work, "sdks-alone");
let install: NpmRun | undefined;
let sdksInstall: NpmRun | undefined;
let pack: PolicyPackClient | undefined;

beforeAll(() => {
  ensurePackBuilt();
  const tarball = packTarball(ROOT, work);
  mkdirSync(installDir);
  execFileSync("tar", ["xzf", tarball, "--strip-components=1", "-C", installDir]);
  install = npm(INSTALL_ARGS, installDir);
  if (install.status !== 0) return;
  // The same SDK versions the pack's install resolved, with nothing else.
  mkdirSync(sdksDir);
  const dependencies = Object.fromEntries(SDKS.map((name) => [name, installedVersion(installDir, name)]));
  writeFileSync(join(sdksDir, "package.json"), JSON.stringify({ name: "sdks-alone", private: true, dependencies }, null, 2));
  sdksInstall = npm(INSTALL_ARGS, sdksDir);
}, 480_000);

afterAll(async () => {
  await pack?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("the published tarball", () => {
  it("ships the compiled pack, not its sources or the tools", () => {
    const files = readdirSync(installDir);
    expect(files).toEqual(expect.arrayContaining(["PulumiPolicy.yaml", "package.json", "dist"]));
    expect(files).not.toContain("policy-pack");
    expect(files).not.toContain("tests");
    expect(files).not.toContain("packages");
    expect(readdirSync(join(installDir, "dist"))).toEqual(["policy-pack"]);
  });

  it("installs with `npm install --omit=dev` in an empty directory", () => {
    expect(install?.status, `npm install --omit=dev failed in ${installDir}:\n${install?.output}`).toBe(0);
  });

  it("serves all six policies and reports a violation", async () => {
    if (install?.status !== 0) {
      // Still check what is served, with lifecycle scripts off, so one failure does not hide another.
      const retry = npm([...INSTALL_ARGS, "--ignore-scripts"], installDir);
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

describe("the footprint of the published pack on every preview", () => {
  const measured = () => {
    expect(install?.status, install?.output).toBe(0);
    expect(sdksInstall?.status, `installing ${SDKS.join(" and ")} alone failed in ${sdksDir}:\n${sdksInstall?.output}`).toBe(0);
    const result = {
      pack: { bytes: diskBytes(installDir), packages: installedPackageCount(installDir), ms: install!.ms },
      sdks: { bytes: diskBytes(sdksDir), packages: installedPackageCount(sdksDir), ms: sdksInstall!.ms },
    };
    // The figures docs/benchmarks.md quotes ("Install footprint"), printed on every run.
    console.info(`footprint: ${JSON.stringify(result)}`);
    return result;
  };

  it("depends at run time on the Pulumi SDKs alone", () => {
    const manifest = JSON.parse(readFileSync(join(installDir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    expect(Object.keys(manifest.dependencies ?? {}).sort()).toEqual([...SDKS]);
  });

  it(`takes at most ${MAX_SIZE_RATIO}x the disk and ${MAX_EXTRA_PACKAGES} more packages than the SDKs alone`, () => {
    const { pack: packed, sdks } = measured();
    expect(packed.bytes, `${packed.bytes} bytes against ${sdks.bytes}`).toBeLessThanOrEqual(MAX_SIZE_RATIO * sdks.bytes);
    expect(packed.packages - sdks.packages).toBeLessThanOrEqual(MAX_EXTRA_PACKAGES);
  });
});
