// Issue 4: bad input gives exit 2 and one line that says what to fix, never a stack trace alone and
// never a "passed" verdict; and the package's `bin` entry works from dist/.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check, ensureDistFresh, FAULTY, FIXTURES, MIN_HOSTS, ROOT, tempDir, TOOLS_ROOT, writeJson, type CheckRun } from "./support";

let dir: string;

beforeAll(() => {
  ensureDistFresh();
  dir = tempDir("input");
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Exit 2, nothing on stdout, and one stderr line `check: <reason>` (after any progress lines) matching `reason`. */
function expectInputError(run: CheckRun, reason: RegExp): void {
  expect(run.exitCode, run.stdout + run.stderr).toBe(2);
  expect(run.stdout).toBe("");
  expect(run.report).toBeUndefined();
  const PROGRESS = /^check: (reading state|running .* under Pulumi mocks|starting the policy pack|analyzing)/;
  const lines = run.stderr.split("\n").filter((line) => line.startsWith("check: ") && !PROGRESS.test(line));
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(reason);
  expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(run.stderr).not.toMatch(/\bpassed\b|\bcompliant\b(?! verdict)/i);
}

describe("programs", () => {
  it("a missing program directory", async () => {
    expectInputError(
      await check([join(dir, "no-such-program")]),
      /no-such-program does not exist; give the folder that holds the program's Pulumi\.yaml/,
    );
  });

  it("a directory without Pulumi.yaml", async () => {
    const empty = join(dir, "not-a-project");
    mkdirSync(empty);
    writeFileSync(join(empty, "index.ts"), "export {};\n");
    expectInputError(await check([empty]), /No Pulumi\.yaml in .*not-a-project: pass the folder of a Pulumi project/);
  });

  it("a program that throws", async () => {
    const program = join(dir, "throws");
    mkdirSync(program);
    writeFileSync(join(program, "Pulumi.yaml"), "name: throws\nruntime: nodejs\nmain: index.ts\n");
    writeFileSync(join(program, "package.json"), JSON.stringify({ name: "throws", private: true }));
    symlinkSync(join(ROOT, "node_modules"), join(program, "node_modules"), "dir");
    writeFileSync(
      join(program, "index.ts"),
      [
        'import * as aws from "@pulumi/aws";',
        'new aws.codedeploy.Application("app", { computePlatform: "Server" });',
        'throw new Error("fleetSize must be set in Pulumi.dev.yaml");',
        "",
      ].join("\n"),
    );
    const run = await check([program]);
    expectInputError(run, /failed under mocks: fleetSize must be set in Pulumi\.dev\.yaml\. Fix the program so that it completes/);
  });
});

describe("state files", () => {
  const fixture = readFileSync(join(FIXTURES, "faulty-auto-rollback.show-secrets.json"), "utf8");

  it("a missing state file", async () => {
    expectInputError(
      await check(["--state", join(dir, "missing.json")]),
      /missing\.json does not exist; create it with `pulumi stack export --file/,
    );
  });

  it("a truncated state file", async () => {
    const path = writeJson(dir, "truncated.json", fixture.slice(0, Math.floor(fixture.length / 2)));
    expectInputError(
      await check(["--state", path]),
      /truncated\.json is not valid JSON \(.*\); it may be truncated: export it again with `pulumi stack export/,
    );
  });

  it("a state file that is not JSON", async () => {
    const path = writeJson(dir, "not-json.json", "Enter your passphrase to unlock config/secrets\n");
    expectInputError(await check(["--state", path]), /not-json\.json is not valid JSON/);
  });

  it("a state file whose resources are not a list", async () => {
    const document = JSON.parse(fixture) as { deployment: Record<string, unknown> };
    document.deployment["resources"] = { foo: {} };
    const path = writeJson(dir, "bad-shape.json", document);
    expectInputError(await check(["--state", path]), /bad-shape\.json: deployment\.resources must be an array/);
  });

  it("a resource without a URN, and a JSON document that is not an export", async () => {
    const document = JSON.parse(fixture) as { deployment: { resources: Record<string, unknown>[] } };
    delete document.deployment.resources[3]!["urn"];
    expectInputError(await check(["--state", writeJson(dir, "no-urn.json", document)]), /deployment\.resources\[3\] has no valid "urn"/);
    expectInputError(
      await check(["--state", writeJson(dir, "config.json", { [MIN_HOSTS]: "advisory" })]),
      /has no "deployment" object; create it with `pulumi stack export/,
    );
  });
});

describe("policy config files", () => {
  const state = join(FIXTURES, "faulty-auto-rollback.show-secrets.json");

  it("a fleet percent of 150", async () => {
    const config = writeJson(dir, "percent.json", { [MIN_HOSTS]: { minHealthyFleetPercent: 150 } });
    expectInputError(
      await check(["--state", state, "--policy-config", config]),
      /Policy config refused: .*codedeploy-minimum-healthy-hosts.*minHealthyFleetPercent/,
    );
  });

  it("a misspelled rollback event", async () => {
    const config = writeJson(dir, "event.json", {
      "codedeploy-auto-rollback-enabled": { requiredEvents: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARMS"] },
    });
    expectInputError(
      await check([FAULTY, "--policy-config", config]),
      /Policy config refused: .*codedeploy-auto-rollback-enabled.*requiredEvents/,
    );
  });

  it("a config file that is not JSON", async () => {
    const config = writeJson(dir, "config.yaml", "codedeploy-minimum-healthy-hosts:\n  minHealthyHostCount: 2\n");
    expectInputError(
      await check(["--state", state, "--policy-config", config]),
      /the policy config file .*config\.yaml is not valid JSON \(.*\); it takes the JSON of `pulumi preview --policy-pack-config`/,
    );
  });
});

describe("arguments", () => {
  it("an unknown option prints the usage after the reason", async () => {
    const run = await check([FAULTY, "--format=json", "--strict"]);
    expectInputError(run, /unknown option "--strict"/);
    expect(run.stderr).toContain("Usage: codedeploy-guardrails-check [PROGRAM_DIR | --state FILE] [options]\n       npm run check --");
  });

  it("--state together with a program directory", async () => {
    expectInputError(
      await check([FAULTY, "--state", join(FIXTURES, "faulty-auto-rollback.show-secrets.json")]),
      /give either a program directory or --state, not both/,
    );
  });

  it("an unknown format", async () => {
    expectInputError(await check([FAULTY, "--format", "xml"]), /--format must be one of table, json, sarif; found "xml"/);
  });
});

describe("the bin entry (packages/tools/dist/check/cli.js)", () => {
  const bin = (JSON.parse(readFileSync(join(TOOLS_ROOT, "package.json"), "utf8")) as { bin: Record<string, string> }).bin[
    "codedeploy-guardrails-check"
  ]!;
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [join(TOOLS_ROOT, bin), ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });

  it("checks the faulty example and exits 1", () => {
    const result = run("examples/faulty-auto-rollback", "--format", "json");
    expect(result.status, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as { summary: { mandatory: number } };
    expect(report.summary.mandatory).toBe(1);
  });

  it("--help exits 0 with the usage", () => {
    const result = run("--help");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: codedeploy-guardrails-check \[PROGRAM_DIR \| --state FILE\]/);
  });

  it("bad input exits 2 with the reason on stderr", () => {
    const result = run("--state", "no-such-state.json");
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^check: state file .*no-such-state\.json does not exist/m);
  });
});
