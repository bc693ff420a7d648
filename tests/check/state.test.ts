// Issue 4: `check --state FILE` on `pulumi stack export` JSON gives the same verdicts as the program
// the stack came from (`--mode update`), never prints a secret, and never passes what it cannot read.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseState } from "../../packages/tools/src/check/state";
import { recordProgram } from "../../packages/tools/src/mocks";
import { sarifSchemaErrors } from "../support/sarifSchema";
import {
  ALARMS,
  AUTO_ROLLBACK,
  check,
  checkpointFromRecording,
  CIPHERTEXT,
  ensureDistFresh,
  FAULTY,
  FIXTURES,
  MIN_HOSTS,
  REFERENCE,
  tempDir,
  verdicts,
  writeJson,
  type CheckRun,
} from "./support";

const SHOW_SECRETS = join(FIXTURES, "faulty-auto-rollback.show-secrets.json");
const ENCRYPTED = join(FIXTURES, "faulty-auto-rollback.encrypted.json");
/** The plaintext of the secret in the show-secrets fixture (the group's deploymentConfigName). */
const SECRET_PLAINTEXT = "test-deployment-config";
const GROUP = "aws:codedeploy/deploymentGroup:DeploymentGroup";

let dir: string;
let strictFaulty: string;
let strictReference: string;

interface Checkpoint {
  deployment: { resources: { urn: string; type: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }[] };
}

beforeAll(() => {
  ensureDistFresh();
  dir = tempDir("state");
  strictFaulty = writeJson(dir, "strict-faulty.json", { [MIN_HOSTS]: { minHealthyHostCount: 2 } });
  // The reference stack passes by default; this config gives it violations, so that equal verdicts mean something.
  strictReference = writeJson(dir, "strict-reference.json", { [MIN_HOSTS]: { minHealthyFleetPercent: 90, minHealthyHostCount: 3 } });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the faulty example's exported state (hand-written fixtures)", () => {
  let program: CheckRun;
  let programStrict: CheckRun;
  let state: Record<"table" | "json" | "sarif", CheckRun>;
  let stateDefault: CheckRun;
  let encrypted: CheckRun;
  let encryptedStrict: CheckRun;

  beforeAll(async () => {
    const runs = await Promise.all([
      check([FAULTY, "--mode", "update", "--format", "json"]),
      check([FAULTY, "--mode", "update", "--format", "json", "--policy-config", strictFaulty]),
      check(["--state", SHOW_SECRETS, "--format", "json"]),
      ...(["table", "json", "sarif"] as const).map((format) =>
        check(["--state", SHOW_SECRETS, "--format", format, "--policy-config", strictFaulty]),
      ),
      check(["--state", ENCRYPTED, "--format", "json"]),
      check(["--state", ENCRYPTED, "--format", "json", "--policy-config", strictFaulty]),
    ]);
    [program, programStrict, stateDefault] = [runs[0], runs[1], runs[2]];
    state = { table: runs[3], json: runs[4], sarif: runs[5]! };
    [encrypted, encryptedStrict] = [runs[6]!, runs[7]!];
  });

  it("the fixture holds all 8 resources, the stack and the default provider included", () => {
    const document = JSON.parse(readFileSync(SHOW_SECRETS, "utf8")) as Checkpoint & { version: number };
    expect(document.version).toBe(3);
    const types = document.deployment.resources.map((resource) => resource.type);
    expect(types).toHaveLength(8);
    expect(types).toContain("pulumi:pulumi:Stack");
    expect(types).toContain("pulumi:providers:aws");
    expect(stateDefault.report?.summary.resources).toBe(program.report?.summary.resources);
  });

  it("gives the program's verdicts, with the default config and with a strict one", () => {
    expect(program.exitCode).toBe(1);
    expect(verdicts(program.report)).toEqual([`${ALARMS} | ${GROUP}::foo | mandatory`]);
    expect(stateDefault.exitCode).toBe(1);
    expect(verdicts(stateDefault.report)).toEqual(verdicts(program.report));

    expect(verdicts(programStrict.report)).toHaveLength(3);
    for (const format of ["table", "json", "sarif"] as const) expect(state[format].exitCode).toBe(1);
    expect(verdicts(state.json.report)).toEqual(verdicts(programStrict.report));
    expect(state.json.report?.violations.map((v) => v.urn)).toEqual(programStrict.report?.violations.map((v) => v.urn));
    expect(sarifSchemaErrors(JSON.parse(state.sarif.stdout))).toEqual([]);
  });

  it("never prints a secret's plaintext, in any format", () => {
    for (const run of [stateDefault, ...Object.values(state)]) {
      expect(run.stdout.length).toBeGreaterThan(0);
      expect(run.stdout).not.toContain(SECRET_PLAINTEXT);
      expect(run.stderr).not.toContain(SECRET_PLAINTEXT);
    }
  });

  it("ciphertext on a field the pack needs: the verdicts still stand, and the resource is reported as not checked", () => {
    for (const run of [encrypted, encryptedStrict]) {
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toMatch(/encrypted secret value\(s\) cannot be read offline/);
      expect(run.report?.errors.map((error) => [error.resourceName, error.message])).toEqual([
        [
          "foo",
          expect.stringMatching(
            /deploymentConfigName is encrypted in the state file, so it cannot be checked without the stack's secrets provider; .*pulumi stack export --show-secrets/,
          ),
        ],
      ]);
    }
    // deploymentConfigName's property dependency still names the config, so the strict verdict on the group holds.
    expect(verdicts(encrypted.report)).toEqual(verdicts(program.report));
    expect(verdicts(encryptedStrict.report)).toEqual(verdicts(programStrict.report));
  });
});

describe("the reference stack's state, built from an update-mode recording", () => {
  let checkpoint: Checkpoint;
  let statePath: string;
  let runs: { program: CheckRun; state: CheckRun; programStrict: CheckRun; stateStrict: CheckRun };

  beforeAll(async () => {
    const recording = await recordProgram({ programDir: REFERENCE, mode: "update" });
    checkpoint = checkpointFromRecording(recording) as Checkpoint;
    statePath = writeJson(dir, "reference-stack.json", checkpoint);
    const [program, state, programStrict, stateStrict] = await Promise.all([
      check([REFERENCE, "--mode", "update", "--format", "json"]),
      check(["--state", statePath, "--format", "json"]),
      check([REFERENCE, "--mode", "update", "--format", "json", "--policy-config", strictReference]),
      check(["--state", statePath, "--format", "json", "--policy-config", strictReference]),
    ]);
    runs = { program: program, state: state, programStrict: programStrict, stateStrict: stateStrict };
  });

  it("checks clean, as the program does", () => {
    expect(runs.program.exitCode).toBe(0);
    expect(runs.state.exitCode, runs.state.stderr).toBe(0);
    expect(verdicts(runs.state.report)).toEqual([]);
    expect(runs.state.report?.summary.resources).toBe(runs.program.report?.summary.resources);
  });

  it("gives the program's verdicts under a strict config", () => {
    expect(runs.programStrict.exitCode).toBe(1);
    expect(verdicts(runs.programStrict.report).length).toBeGreaterThan(0);
    expect(runs.stateStrict.exitCode).toBe(1);
    expect(verdicts(runs.stateStrict.report)).toEqual(verdicts(runs.programStrict.report));
  });

  it("an encrypted autoRollbackConfiguration on a compliant group is never a pass", async () => {
    const encrypted = structuredClone(checkpoint);
    const group = encrypted.deployment.resources.find(
      (resource) => resource.type === GROUP && resource.urn.endsWith("::inference-server"),
    )!;
    expect(group).toBeDefined();
    group.inputs["autoRollbackConfiguration"] = CIPHERTEXT;
    group.outputs["autoRollbackConfiguration"] = CIPHERTEXT;
    const path = join(dir, "reference-encrypted.json");
    writeFileSync(path, JSON.stringify(encrypted));
    const [table, json] = await Promise.all([check(["--state", path]), check(["--state", path, "--format", "json"])]);
    for (const run of [table, json]) expect(run.exitCode).not.toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^codedeploy-guardrails: FAILED: .* 1 error\(s\)/);
    expect(json.report?.errors.map((error) => error.resourceName)).toEqual(["inference-server"]);
    expect(json.report?.errors[0]?.message).toContain("autoRollbackConfiguration");
    // Whatever the pack makes of the unknown value, it does not call it compliant.
    const finding = json.report?.violations.find((v) => v.policy === AUTO_ROLLBACK && v.resourceName === "inference-server");
    expect(finding).toBeDefined();
    // A state file is not a preview: the finding says why the value is unknown.
    expect(finding?.message).not.toMatch(/during preview/);
    expect(finding?.message).toMatch(/encrypted in the state file, so it cannot be checked without the stack's secrets provider/);
  });

  it("skips a read resource (external: true), as a program run does", async () => {
    const withRead = structuredClone(checkpoint);
    const group = withRead.deployment.resources.find((resource) => resource.type === GROUP)!;
    // A group read with DeploymentGroup.get(...): no rollback at all, and not this stack's to check.
    const read = {
      ...structuredClone(group),
      urn: group.urn.replace(/::[^:]+$/, "::legacy-read"),
      external: true,
      inputs: {},
      outputs: { ...group.outputs, autoRollbackConfiguration: null, alarmConfiguration: null },
    };
    withRead.deployment.resources.push(read);
    const path = join(dir, "reference-with-read.json");
    writeFileSync(path, JSON.stringify(withRead));
    const run = await check(["--state", path, "--format", "json"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(verdicts(run.report)).toEqual([]);
    expect(run.report?.summary.resources).toBe(runs.state.report?.summary.resources);
    // The same resource, not marked external, is checked (and fails): the skip is what made it pass.
    const owned = structuredClone(withRead);
    delete (owned.deployment.resources.at(-1) as { external?: boolean }).external;
    writeFileSync(path, JSON.stringify(owned));
    const ownedRun = await check(["--state", path, "--format", "json"]);
    expect(ownedRun.exitCode).toBe(1);
    expect(ownedRun.report?.violations.some((v) => v.resourceName === "legacy-read")).toBe(true);
  });
});

describe("a provider shared by several resources", () => {
  it("is decoded once: its encrypted value is counted once, and every resource gets its properties", () => {
    const provider = "urn:pulumi:dev::p::pulumi:providers:aws::default";
    const topic = (name: string) => ({
      urn: `urn:pulumi:dev::p::aws:sns/topic:Topic::${name}`,
      type: "aws:sns/topic:Topic",
      custom: true,
      provider: `${provider}::provider-id`,
      inputs: { name },
      outputs: { name },
    });
    const state = parseState(
      JSON.stringify({
        version: 3,
        deployment: {
          resources: [
            {
              urn: provider,
              type: "pulumi:providers:aws",
              custom: true,
              id: "provider-id",
              outputs: { region: "eu-west-1", token: CIPHERTEXT },
            },
            topic("a"),
            topic("b"),
          ],
        },
      }),
      "shared-provider.json",
    );
    expect(state.encryptedSecrets).toBe(1);
    const providers = state.resources.slice(1).map((resource) => resource.provider);
    expect(providers.map((p) => p?.urn)).toEqual([provider, provider]);
    for (const p of providers) expect(p?.properties["region"]).toBe("eu-west-1");
  });
});
