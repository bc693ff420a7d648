// The README's policy and settings tables and policy-config.example.json are generated from the
// rule registry (`npm run docs`); this fails when either drifts from the metadata.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { POLICY_RUNNERS } from "../../policy-pack/rules";
import { exampleConfig, exampleConfigText, policyTable, replaceRegions, settingsTable } from "../../scripts/docs/render";

const ROOT = join(__dirname, "..", "..");
const README_PATH = join(ROOT, "README.md");
const EXAMPLE_PATH = join(ROOT, "policy-config.example.json");
const FIX = "run `npm run docs` and commit the result";

describe("generated docs", () => {
  it("the README's generated tables match the rule registry", () => {
    const readme = readFileSync(README_PATH, "utf8");
    expect(replaceRegions(readme), FIX).toBe(readme);
  });

  it("policy-config.example.json matches the rule registry", async () => {
    expect(readFileSync(EXAMPLE_PATH, "utf8"), FIX).toBe(await exampleConfigText(EXAMPLE_PATH));
  });

  it("names every policy with its default level and every setting of its schema", () => {
    const policies = policyTable();
    const settings = settingsTable();
    for (const { metadata } of POLICY_RUNNERS) {
      expect(policies).toContain(`| \`${metadata.name}\` | ${metadata.enforcementLevel} | ${metadata.violationSummary} |`);
      const row = settings.split("\n").find((line) => line.startsWith(`| \`${metadata.name}\` |`));
      for (const setting of Object.keys(metadata.configSchema.properties)) expect(row).toContain(`\`${setting}\``);
    }
  });

  it("the example config is one every policy accepts", () => {
    const file = exampleConfig();
    expect(Object.keys(file)).toEqual(POLICY_RUNNERS.map((runner) => runner.metadata.name));
    for (const runner of POLICY_RUNNERS) {
      const entry = file[runner.metadata.name];
      const settings = typeof entry === "object" && entry !== null ? { ...entry, enforcementLevel: undefined } : {};
      expect(
        runner.configure(JSON.parse(JSON.stringify(settings)), new Date("2026-01-01")).configErrors,
        runner.metadata.name,
      ).toBeUndefined();
    }
  });

  it("refuses a README without a generated region's markers", () => {
    expect(() => replaceRegions("# no markers\n")).toThrow(/lacks the markers <!-- generated:policy-table/);
  });
});
