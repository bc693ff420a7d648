// Issue 12: `check` on programs written the way teams write them (tests/check/programs/): provider
// lookups without a mocks file, a StackReference through --mocks, stack config with a secure value,
// components nested two deep, a group declared in a second file; exact URNs, locations, exemptions by
// URN in program and state mode, --output, baselines, and every error path (exit 2, one line).
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Log } from "sarif";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordProgram } from "../../packages/tools/src/mocks";
import type { Report } from "../../packages/tools/src/report";
import { sarifSchemaErrors } from "../support/sarifSchema";
import {
  ALARMS,
  check,
  checkpointFromRecording,
  ensureDistFresh,
  FAULTY,
  lineOf,
  MIN_HOSTS,
  ROOT,
  tempDir,
  verdicts,
  writeJson,
  type CheckRun,
} from "./support";

const PROGRAMS = join(__dirname, "programs");
const program = (name: string) => join(PROGRAMS, name);
const GROUP = "aws:codedeploy/deploymentGroup:DeploymentGroup";

/** Exit 2, no report, and exactly one `check: ` line besides progress, matching `reason`. */
function expectInputError(run: CheckRun, reason: RegExp): void {
  expect(run.exitCode, run.stdout + run.stderr).toBe(2);
  expect(run.stdout).toBe("");
  expect(run.report).toBeUndefined();
  const PROGRESS = /^check: (reading state|running .* under Pulumi mocks|starting the policy pack|analyzing|stack \S+: .* secure)/;
  const lines = run.stderr.split("\n").filter((line) => line.startsWith("check: ") && !PROGRESS.test(line));
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(reason);
  expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

function json(run: CheckRun): Report {
  return JSON.parse(run.stdout) as Report;
}

let dir: string;
beforeAll(() => {
  ensureDistFresh();
  dir = tempDir("programs");
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("provider lookups without a mocks file, and a group declared in a second file", () => {
  const DEPLOYMENT = join(program("lookups"), "deployment.ts");
  const GROUP_LINE = lineOf(DEPLOYMENT, "new aws.codedeploy.DeploymentGroup(");
  let preview: CheckRun;
  let update: CheckRun;
  let sarif: CheckRun;
  let table: CheckRun;

  beforeAll(async () => {
    [preview, update, sarif, table] = await Promise.all([
      check([program("lookups"), "--format", "json"]),
      check([program("lookups"), "--format", "json", "--mode", "update"]),
      check([program("lookups"), "--format", "sarif"]),
      check([program("lookups")]),
    ]);
  });

  it("runs the program unchanged in preview and update: the verdicts are about the group, not the lookups", () => {
    for (const run of [preview, update]) {
      expect(run.exitCode, run.stderr).toBe(1);
      expect(verdicts(run.report)).toEqual([`${ALARMS} | ${GROUP}::api | mandatory`, `${MIN_HOSTS} | ${GROUP}::api | mandatory`]);
      expect(run.stderr).not.toMatch(/failed under mocks|Fix the program/);
    }
  });

  it("the lookups' results reached the program in their real shapes", async () => {
    const recording = await recordProgram({ programDir: program("lookups"), mode: "update" });
    const outputs = recording.stackOutputs["lookups"] as Record<string, unknown>;
    expect(outputs["account"]).toBe("123456789012");
    expect(outputs["subnetNames"]).toEqual([
      expect.stringMatching(/^SUBNET-[0-9A-F]{17}-0$/),
      expect.stringMatching(/-1$/),
      expect.stringMatching(/-2$/),
    ]);
    expect(outputs["vpcCidr"]).toEqual(["10.0.0.0/16"]);
    expect(recording.invokes.map((invoke) => invoke.token)).toEqual(
      expect.arrayContaining([
        "aws:ec2/getSubnets:getSubnets",
        "aws:iam/getPolicyDocument:getPolicyDocument",
        "aws:ssm/getParameter:getParameter",
      ]),
    );
  });

  it("JSON and table: the finding is located on the line of deployment.ts that creates the group", () => {
    for (const violation of json(preview).violations) expect(violation.location).toEqual({ file: "deployment.ts", line: GROUP_LINE });
    expect(table.stdout).toContain(`  declared: deployment.ts:${GROUP_LINE}\n`);
  });

  it("SARIF: physicalLocation relative to the repository root, with the start line, for GitHub code scanning", () => {
    const log = JSON.parse(sarif.stdout) as Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    const results = log.runs[0]!.results!;
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect(result.locations![0]!.physicalLocation).toEqual({
        artifactLocation: { uri: "tests/check/programs/lookups/deployment.ts", uriBaseId: "%SRCROOT%" },
        region: { startLine: GROUP_LINE },
      });
    }
    expect(log.runs[0]!.originalUriBaseIds?.["%SRCROOT%"]?.uri).toBe(`file://${ROOT}/`);
  });
});

describe("exact URNs: components nested two deep, an explicit parent, top level", () => {
  // Written out in the engine's format (engine-facts.md, URNs), not computed by the code under test.
  const NESTED = `urn:pulumi:dev::components::acme:inference:Service$acme:inference:Rollout$${GROUP}::inference-rollout-group`;
  const TOP = `urn:pulumi:dev::components::${GROUP}::batch`;
  const UNDER_APP = `urn:pulumi:dev::components::aws:codedeploy/application:Application$${GROUP}::batch-canary`;
  let runs: Record<"table" | "json" | "sarif", CheckRun>;
  let exempted: CheckRun;
  let stateExempted: CheckRun;
  let statePlain: CheckRun;

  beforeAll(async () => {
    const exemptions = writeJson(dir, "exempt-nested.json", {
      [ALARMS]: { exemptions: [{ resource: NESTED, reason: "migrating to SafeDeploymentGroup", expires: "2999-12-31" }] },
    });
    const recording = await recordProgram({ programDir: program("components"), mode: "update" });
    const state = writeJson(dir, "components-state.json", checkpointFromRecording(recording));
    const [table, jsonRun, sarif, exempt, stateExempt, statePlainRun] = await Promise.all([
      check([program("components")]),
      check([program("components"), "--format", "json"]),
      check([program("components"), "--format", "sarif"]),
      check([program("components"), "--format", "json", "--policy-config", exemptions]),
      check(["--state", state, "--format", "json", "--policy-config", exemptions]),
      check(["--state", state, "--format", "json"]),
    ]);
    runs = { table: table, json: jsonRun, sarif: sarif };
    [exempted, stateExempted, statePlain] = [exempt, stateExempt, statePlainRun];
  });

  it("every format carries the engine's URNs", () => {
    const urns = json(runs.json).violations.map((violation) => violation.urn);
    expect(urns.sort()).toEqual([NESTED, TOP, UNDER_APP].sort());
    for (const urn of [NESTED, TOP, UNDER_APP]) expect(runs.table.stdout).toContain(`  urn:      ${urn}\n`);
    const log = JSON.parse(runs.sarif.stdout) as Log;
    expect(log.runs[0]!.results!.map((result) => result.locations![0]!.logicalLocations![0]!.fullyQualifiedName).sort()).toEqual(
      [NESTED, TOP, UNDER_APP].sort(),
    );
    for (const text of [runs.table.stdout, runs.json.stdout, runs.sarif.stdout]) expect(text).not.toContain("pulumi:pulumi:Stack$");
  });

  it("an exemption written with the engine's URN applies in check and to the exported state alike", () => {
    expect(statePlain.report?.violations.map((v) => v.urn).sort()).toEqual([NESTED, TOP, UNDER_APP].sort());
    for (const run of [exempted, stateExempted]) {
      expect(run.report?.violations.map((v) => v.urn).sort(), run.stderr).toEqual([TOP, UNDER_APP].sort());
    }
  });

  it("locates a group created inside a component on the component's line", () => {
    const nested = json(runs.json).violations.find((violation) => violation.urn === NESTED);
    const line = lineOf(join(program("components"), "index.ts"), "this.group = new aws.codedeploy.DeploymentGroup(");
    expect(nested?.location).toEqual({ file: "index.ts", line });
  });
});

describe("a StackReference through --mocks", () => {
  it("without a mocks file: exit 2, naming the stack and how to give its outputs", async () => {
    expectInputError(
      await check([program("stack-reference")]),
      /^check: the program reads the stack reference "acme\/monitoring\/prod", which has no outputs without a mocks file: add \{"stackReferences": \{"acme\/monitoring\/prod": \{<outputs>\}\}\} to a mocks file and pass it with --mocks FILE/,
    );
  });

  it("with its outputs, in preview and update, the alarm verdict follows them", async () => {
    const withAlarms = writeJson(dir, "mocks-alarms.json", {
      stackReferences: { "acme/monitoring/prod": { alarmNames: ["api-5xx", "api-p99"] } },
    });
    const noAlarms = writeJson(dir, "mocks-no-alarms.json", { stackReferences: { "acme/monitoring/prod": { alarmNames: [] } } });
    const [preview, update, empty] = await Promise.all([
      check([program("stack-reference"), "--format", "json", "--mocks", withAlarms]),
      check([program("stack-reference"), "--format", "json", "--mocks", withAlarms, "--mode", "update"]),
      check([program("stack-reference"), "--format", "json", "--mocks", noAlarms]),
    ]);
    for (const run of [preview, update]) {
      expect(run.exitCode, run.stderr).toBe(1);
      expect(verdicts(run.report)).toEqual([`${MIN_HOSTS} | ${GROUP}::api | mandatory`]);
    }
    // An empty alarm list from the other stack is a mandatory finding, not an advisory "can't be checked".
    expect(verdicts(empty.report)).toEqual([`${ALARMS} | ${GROUP}::api | mandatory`, `${MIN_HOSTS} | ${GROUP}::api | mandatory`]);
  });
});

describe("what a real preview sends: the AWS provider's Check defaults", () => {
  it("a Lambda group that names no config gets the provider's CodeDeployDefault.OneAtATime and is reported for shifting all at once", async () => {
    const [preview, update] = await Promise.all([
      check([program("lambda-default-config"), "--format", "json"]),
      check([program("lambda-default-config"), "--format", "json", "--mode", "update"]),
    ]);
    for (const run of [preview, update]) {
      expect(run.exitCode, run.stderr).toBe(1);
      expect(verdicts(run.report)).toEqual([`codedeploy-gradual-traffic-shifting | ${GROUP}::scoring | mandatory`]);
      expect(run.report?.violations[0]?.message).toMatch(/CodeDeployDefault\.OneAtATime/);
    }
  });
});

describe("lookups check has no result for", () => {
  const CLUSTER = "aws:ecs/getCluster:getCluster";

  it("is an error naming the token and how to add it, never a fault in the program", async () => {
    const run = await check([program("missing-invoke")]);
    expectInputError(
      run,
      new RegExp(
        `^check: the program calls ${CLUSTER}, which check has no built-in result for: add \\{"invokes": \\{"${CLUSTER}": \\{<result>\\}\\}\\} to a mocks file and pass it with --mocks FILE\\. This is not a fault in the program`,
      ),
    );
    expect(run.stderr).not.toMatch(/Fix the program/);
  });

  it("answered by the mocks file, with a result or with cases matched on the arguments", async () => {
    const result = { arn: "arn:aws:ecs:us-east-1:123456789012:cluster/inference", clusterName: "inference", id: "inference" };
    const plain = writeJson(dir, "mocks-cluster.json", { invokes: { [CLUSTER]: result } });
    const cases = writeJson(dir, "mocks-cluster-cases.json", { invokes: { [CLUSTER]: [{ args: { clusterName: "inference" }, result }] } });
    const other = writeJson(dir, "mocks-cluster-other.json", { invokes: { [CLUSTER]: [{ args: { clusterName: "training" }, result }] } });
    const [plainRun, casesRun, otherRun] = await Promise.all([
      check([program("missing-invoke"), "--mocks", plain, "--mode", "update"]),
      check([program("missing-invoke"), "--mocks", cases, "--mode", "update"]),
      check([program("missing-invoke"), "--mocks", other, "--mode", "update"]),
    ]);
    for (const run of [plainRun, casesRun]) expect(run.exitCode, run.stderr).toBe(0);
    expectInputError(otherRun, new RegExp(`^check: the program calls ${CLUSTER} with arguments \\(clusterName\\) that no case .* matches`));
  });

  it.each([
    ["not JSON", "{", /^check: --mocks .*bad-mocks\.json is not valid JSON \(/],
    ["an unknown section", JSON.stringify({ invoke: {} }), /^check: --mocks .*bad-mocks\.json: unknown section "invoke"/],
    [
      "a bad resource key",
      JSON.stringify({ resources: { bucket: {} } }),
      /^check: --mocks .*bad-mocks\.json: resources: "bucket" is not "<type>::<name>"/,
    ],
  ])("a bad mocks file (%s): exit 2 with a one-line reason", async (_label, text, reason) => {
    const path = join(dir, "bad-mocks.json");
    writeFileSync(path, text);
    expectInputError(await check([program("missing-invoke"), "--mocks", path]), reason);
  });

  it("a missing mocks file: exit 2", async () => {
    expectInputError(
      await check([program("missing-invoke"), "--mocks", join(dir, "none.json")]),
      /^check: --mocks .*none\.json does not exist/,
    );
  });
});

describe("stack configuration", () => {
  it("takes the only stack file, and a secure value makes what depends on it advisory", async () => {
    const run = await check([program("secure-config"), "--format", "json"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/stack staging: secure-config:deploymentConfig is secure; the program got a secret placeholder/);
    expect(verdicts(run.report)).toEqual([`${MIN_HOSTS} | ${GROUP}::api | advisory`]);
    expect(run.report?.violations[0]?.urn).toBe(`urn:pulumi:staging::secure-config::${GROUP}::api`);
    expect(run.stdout).not.toMatch(/codedeploy-guardrails-check-secure-value/);
  });

  it("--config overrides the stack file (a stand-in for the secure value decides the verdict)", async () => {
    const [allAtOnce, oneAtATime] = await Promise.all([
      check([program("secure-config"), "--format", "json", "--config", "deploymentConfig=CodeDeployDefault.AllAtOnce"]),
      check([program("secure-config"), "--format", "json", "--config", "secure-config:deploymentConfig=CodeDeployDefault.OneAtATime"]),
    ]);
    expect(allAtOnce.exitCode).toBe(1);
    expect(verdicts(allAtOnce.report)).toEqual([`${MIN_HOSTS} | ${GROUP}::api | mandatory`]);
    expect(oneAtATime.exitCode, oneAtATime.stderr).toBe(0);
    expect(verdicts(oneAtATime.report)).toEqual([]);
    expect(allAtOnce.stderr).not.toMatch(/placeholder/);
  });

  it("an unknown --stack: exit 2 naming the stacks there are", async () => {
    expectInputError(
      await check([program("secure-config"), "--stack", "prod"]),
      /^check: There is no Pulumi\.prod\.yaml in .*secure-config, so stack 'prod' has no config to check with: the stacks there are staging; give one of them to --stack\.$/,
    );
  });

  it("a missing config value: the hint names the stack file and --config, never the Pulumi CLI", async () => {
    const copy = join(dir, "secure-config-copy");
    mkdirSync(copy);
    for (const file of ["Pulumi.yaml", "index.ts"]) cpSync(join(program("secure-config"), file), join(copy, file));
    writeFileSync(join(copy, "Pulumi.staging.yaml"), "config:\n  aws:region: eu-west-1\n");
    symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"), "dir");
    const run = await check([copy]);
    expectInputError(
      run,
      /^check: The program needs the config value 'secure-config:deploymentConfig', which stack 'staging' does not set: add it under config: in Pulumi\.staging\.yaml next to Pulumi\.yaml, or pass --config deploymentConfig=<value>\.$/,
    );
    expect(run.stderr).not.toMatch(/pulumi config set/);
  });

  it.each([
    [["--config", "deploymentConfig"], /^check: --config takes KEY=VALUE/],
    [["--config", "a:b:c=1"], /^check: --config takes KEY=VALUE/],
    [["--config", "x=1", "--config", "x=2"], /^check: --config sets x twice/],
  ])("%j: exit 2", async (flags, reason) => {
    expectInputError(await check([program("secure-config"), ...flags]), reason);
  });
});

describe("--output and --baseline", () => {
  it("--output writes a report that parses, in every format, and nothing to stdout", async () => {
    const paths = { json: join(dir, "out", "r.json"), sarif: join(dir, "out", "r.sarif"), table: join(dir, "out", "r.txt") };
    const runs = await Promise.all(
      (["json", "sarif", "table"] as const).map((format) => check([FAULTY, "--format", format, "--output", paths[format]])),
    );
    for (const run of runs) {
      expect(run.exitCode, run.stderr).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(/^check: report written to .*out\/r\.(json|sarif|txt)$/m);
    }
    expect(verdicts(JSON.parse(readFileSync(paths.json, "utf8")) as Report)).toEqual([`${ALARMS} | ${GROUP}::foo | mandatory`]);
    expect(sarifSchemaErrors(JSON.parse(readFileSync(paths.sarif, "utf8")))).toEqual([]);
    expect(readFileSync(paths.table, "utf8")).toMatch(/^codedeploy-guardrails: FAILED/);
  });

  it("a baseline: existing violations pass, new ones fail, fixed ones are listed", async () => {
    const strict = writeJson(dir, "strict.json", { [MIN_HOSTS]: { minHealthyHostCount: 2 } });
    const baselineDefault = join(dir, "baseline-default.json");
    const baselineStrict = join(dir, "baseline-strict.json");
    await Promise.all([
      check([FAULTY, "--format", "json", "--output", baselineDefault]),
      check([FAULTY, "--format", "json", "--output", baselineStrict, "--policy-config", strict]),
    ]);
    const [same, stricter, relaxed] = await Promise.all([
      check([FAULTY, "--format", "json", "--baseline", baselineDefault]),
      check([FAULTY, "--format", "json", "--baseline", baselineDefault, "--policy-config", strict]),
      check([FAULTY, "--format", "json", "--baseline", baselineStrict]),
    ]);
    expect(same.exitCode, same.stderr).toBe(0);
    expect(json(same).summary.baseline).toEqual({ existing: 1, new: 0, newMandatory: 0, fixed: 0 });
    expect(stricter.exitCode).toBe(1);
    expect(json(stricter).summary.baseline).toEqual({ existing: 1, new: 2, newMandatory: 2, fixed: 0 });
    expect(
      json(stricter)
        .violations.filter((v) => v.baseline === "new")
        .map((v) => v.policy),
    ).toEqual([MIN_HOSTS, MIN_HOSTS]);
    expect(relaxed.exitCode).toBe(0);
    expect(json(relaxed).summary.baseline).toEqual({ existing: 1, new: 0, newMandatory: 0, fixed: 2 });
    expect(json(relaxed).fixed?.map((v) => v.policy)).toEqual([MIN_HOSTS, MIN_HOSTS]);
  });

  it("a bad baseline: exit 2 before the program runs", async () => {
    const path = writeJson(dir, "not-a-report.json", { results: [] });
    const run = await check([FAULTY, "--baseline", path]);
    expectInputError(run, /^check: --baseline .*not-a-report\.json: not a JSON report/);
    expect(run.stderr).not.toMatch(/running .* under Pulumi mocks/);
  });

  it("the remediations the pack would apply are in the JSON", async () => {
    const config = writeJson(dir, "remediate.json", {
      "codedeploy-auto-rollback-enabled": {
        enforcementLevel: "remediate",
        requiredEvents: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"],
      },
    });
    const run = await check([FAULTY, "--format", "json", "--policy-config", config]);
    expect(json(run).remediations).toEqual([
      {
        policy: "codedeploy-auto-rollback-enabled",
        urn: `urn:pulumi:dev::faulty-auto-rollback::${GROUP}::foo`,
        resourceName: "foo",
        properties: ["autoRollbackConfiguration"],
      },
    ]);
  });
});
