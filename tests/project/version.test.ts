// Pulumi Cloud keys a published pack by name and version, so the version in package.json, the
// `version` in PulumiPolicy.yaml and the top released section of CHANGELOG.md must agree, and the
// pack keeps its public name. Files are read as text and parsed here, without a YAML dependency.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACK_NAME } from "../../policy-pack/policies";

const ROOT = join(__dirname, "..", "..");
const read = (file: string): string => readFileSync(join(ROOT, file), "utf8");

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** The top-level `version:` of a PulumiPolicy.yaml, unquoted; undefined when there is none. */
function policyYamlVersion(yaml: string): string | undefined {
  const match = /^version:[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#]+))[ \t]*(?:#.*)?$/m.exec(yaml);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/** Every `## [x.y.z] - YYYY-MM-DD` heading of a Keep a Changelog file, top first; `[Unreleased]` is skipped. */
function releasedVersions(changelog: string): { version: string; date: string }[] {
  const releases: { version: string; date: string }[] = [];
  for (const match of changelog.matchAll(/^## \[([^\]]+)\](.*)$/gm)) {
    const [, version = "", rest = ""] = match;
    if (version.toLowerCase() === "unreleased") continue;
    const date = /^ - (\d{4}-\d{2}-\d{2})\s*$/.exec(rest)?.[1];
    if (!date) throw new Error(`CHANGELOG heading "## [${version}]${rest}" needs " - YYYY-MM-DD" after the version`);
    releases.push({ version, date });
  }
  return releases;
}

describe("the parsers this test relies on", () => {
  it("reads the top-level version of PulumiPolicy.yaml, quoted or not, and nothing nested", () => {
    expect(policyYamlVersion("runtime: nodejs\nversion: 1.2.3\n")).toBe("1.2.3");
    expect(policyYamlVersion('runtime: nodejs\nversion: "1.2.3" # released\n')).toBe("1.2.3");
    expect(policyYamlVersion("runtime: nodejs\nversion: '0.1.0-rc.1'\n")).toBe("0.1.0-rc.1");
    expect(policyYamlVersion("runtime: nodejs\nmeta:\n  version: 9.9.9\n")).toBeUndefined();
    expect(policyYamlVersion("runtime: nodejs\n")).toBeUndefined();
  });

  it("lists released versions top first, skipping Unreleased, and refuses a release without a date", () => {
    const changelog = "# Changelog\n\n## [Unreleased]\n\n### Added\n- x\n\n## [0.2.0] - 2027-01-02\n\n## [0.1.0] - 2026-11-26\n";
    expect(releasedVersions(changelog)).toEqual([
      { version: "0.2.0", date: "2027-01-02" },
      { version: "0.1.0", date: "2026-11-26" },
    ]);
    expect(releasedVersions("# Changelog\n\n## [Unreleased]\n")).toEqual([]);
    expect(() => releasedVersions("## [0.1.0]\n")).toThrow(/YYYY-MM-DD/);
  });
});

describe("the pack's name and version", () => {
  const packageJson = JSON.parse(read("package.json")) as { name?: unknown; version?: unknown };

  it("is published as codedeploy-guardrails, the name the PolicyPack is served under", () => {
    expect(packageJson.name).toBe("codedeploy-guardrails");
    expect(PACK_NAME).toBe(packageJson.name);
  });

  it("has a semantic version in package.json", () => {
    expect(typeof packageJson.version).toBe("string");
    expect(packageJson.version).toMatch(SEMVER);
  });

  it("has the same version in PulumiPolicy.yaml as in package.json", () => {
    expect(policyYamlVersion(read("PulumiPolicy.yaml"))).toBe(packageJson.version);
  });

  it("has the package.json version as the top released section of CHANGELOG.md, newest first", () => {
    const releases = releasedVersions(read("CHANGELOG.md"));
    expect(releases.length).toBeGreaterThan(0);
    expect(releases[0]?.version).toBe(packageJson.version);
    // Dates descend and no version is listed twice, so "top" really is the latest release.
    const dates = releases.map((release) => release.date);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(new Set(releases.map((release) => release.version)).size).toBe(releases.length);
  });
});
