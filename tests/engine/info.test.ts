// GetAnalyzerInfo / GetPluginInfo through gRPC, unrelated resources, and the process life cycle.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PolicyPackStartError, startPolicyPack, type AnalyzerInfo } from "../../packages/tools/src/engine";
import { POLICIES, ROOT, TOOLS_ROOT, ensurePackBuilt, resource, usePack } from "./helpers";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

/** A client process that starts a pack, prints the pack's pid, then ends as `ending` says. */
async function orphanedPackPid(ending: "exit" | "SIGTERM"): Promise<number> {
  ensurePackBuilt();
  const script = `
    const { startPolicyPack } = require(${JSON.stringify(join(TOOLS_ROOT, "dist/engine"))});
    startPolicyPack({ packDir: ${JSON.stringify(ROOT)} }).then((pack) => {
      console.log(pack.pid);
      if (${JSON.stringify(ending)} === "exit") process.exit(0);
      setInterval(() => {}, 1000);
    }, (error) => { console.error(error); process.exit(1); });`;
  const client = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const pid = await new Promise<number>((resolve, reject) => {
    client.stdout.setEncoding("utf8");
    client.stdout.once("data", (chunk: string) => resolve(Number(chunk.trim())));
    client.once("exit", (code) => reject(new Error(`client exited with ${code} before starting the pack`)));
  });
  if (ending === "SIGTERM") client.kill("SIGTERM");
  await new Promise((resolve) => client.once("exit", resolve));
  return pid;
}

const pack = usePack();
let info: AnalyzerInfo;

beforeAll(async () => {
  info = await pack.getAnalyzerInfo();
});

describe("GetAnalyzerInfo", () => {
  it("serves the pack with exactly the six policies, in table order", () => {
    expect(info.name).toBe("codedeploy-guardrails");
    expect(info.version).toBe("0.1.0");
    expect(info.supportsConfig).toBe(true);
    expect(info.policies.map((policy) => policy.name)).toEqual(Object.values(POLICIES));
  });

  const expected: Record<string, { type: string; level: string; severity: string; awsConfigRule: string | undefined }> = {
    [POLICIES.autoRollback]: {
      type: "resource",
      level: "mandatory",
      severity: "high",
      awsConfigRule: "codedeploy-deployment-group-auto-rollback-enabled",
    },
    [POLICIES.alarms]: {
      type: "resource",
      level: "mandatory",
      severity: "high",
      awsConfigRule: "codedeploy-auto-rollback-monitor-enabled",
    },
    [POLICIES.minimumHealthyHosts]: {
      type: "stack",
      level: "mandatory",
      severity: "high",
      awsConfigRule: "codedeploy-ec2-minimum-healthy-hosts-configured",
    },
    [POLICIES.trafficShifting]: {
      type: "stack",
      level: "mandatory",
      severity: "high",
      awsConfigRule: "codedeploy-lambda-allatonce-traffic-shift-disabled",
    },
    [POLICIES.blueGreen]: { type: "stack", level: "advisory", severity: "medium", awsConfigRule: undefined },
    [POLICIES.outdatedInstances]: {
      type: "resource",
      level: "advisory",
      severity: "medium",
      awsConfigRule: "codedeploy-deployment-group-outdated-instances-update",
    },
  };

  for (const [name, want] of Object.entries(expected)) {
    it(`${name}: type, level, severity, metadata and framework`, () => {
      const policy = info.policies.find((candidate) => candidate.name === name)!;
      expect(policy.policyType).toBe(want.type);
      expect(policy.enforcementLevel).toBe(want.level);
      expect(policy.severity).toBe(want.severity);
      expect(policy.description.length).toBeGreaterThan(40);
      expect(policy.displayName).not.toBe("");
      expect(policy.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      expect(policy.remediationSteps.length).toBeGreaterThan(20);
      expect(policy.framework).toBeDefined();
      if (want.awsConfigRule) {
        expect(policy.framework).toMatchObject({ name: "AWS Config managed rules", reference: want.awsConfigRule });
        expect(policy.framework!.specification).toMatch(/^https:\/\//);
      } else {
        // No AWS Config rule checks the blue/green window; the framework says it is the pack's own.
        expect(policy.framework!.reference).not.toMatch(/^codedeploy-.*-enabled$/);
      }
      // Every policy takes exemptions; the schema travels as a Struct and comes back intact.
      expect(policy.configSchema?.properties["exemptions"]).toMatchObject({ type: "array", default: [] });
      expect(policy.configSchema?.required).toEqual([]);
    });
  }

  it("carries each policy's settings with their defaults", () => {
    const schema = (name: string) => info.policies.find((policy) => policy.name === name)!.configSchema!.properties;
    expect(schema(POLICIES.autoRollback)["requiredEvents"]).toMatchObject({
      type: "array",
      default: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
      items: { enum: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"] },
    });
    expect(schema(POLICIES.alarms)).toMatchObject({
      minAlarms: { type: "integer", default: 1, maximum: 10 },
      allowIgnorePollAlarmFailure: { type: "boolean", default: false },
    });
    expect(schema(POLICIES.minimumHealthyHosts)).toMatchObject({
      minHealthyHostCount: { type: "integer", default: 1 },
      minHealthyFleetPercent: { type: "integer", default: 66, maximum: 99 },
      externalDeploymentConfigs: { type: "array" },
    });
    expect(schema(POLICIES.trafficShifting)).toHaveProperty("externalDeploymentConfigs");
    expect(schema(POLICIES.blueGreen)["minTerminationWaitMinutes"]).toMatchObject({ type: "integer", default: 60 });
    expect(Object.keys(schema(POLICIES.outdatedInstances))).toEqual(["exemptions"]);
  });

  it("GetPluginInfo reports the policy SDK version", async () => {
    expect((await pack.getPluginInfo()).version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("resources the pack does not cover", () => {
  it("an unrelated resource type gets no diagnostics from Analyze or AnalyzeStack", async () => {
    const bucket = resource("aws:s3/bucketV2:BucketV2", "models", { bucket: "models", autoRollbackConfiguration: { enabled: false } });
    expect((await pack.analyze(bucket)).diagnostics).toEqual([]);
    expect((await pack.analyzeStack([bucket])).diagnostics).toEqual([]);
    expect((await pack.remediate(bucket)).remediations).toEqual([]);
  });

  it("an empty stack is fine", async () => {
    expect((await pack.analyzeStack([])).diagnostics).toEqual([]);
  });
});

describe("process life cycle", () => {
  it("close() kills the pack and is idempotent", async () => {
    const own = await startPolicyPack({ packDir: ROOT, configure: false });
    const pid = own.pid;
    expect(() => process.kill(pid, 0)).not.toThrow();
    await Promise.all([own.close(), own.close()]);
    await own.close();
    expect(() => process.kill(pid, 0)).toThrow();
    await expect(own.getPluginInfo()).rejects.toThrow(/GetPluginInfo failed/);
  });

  it("no pack outlives its client, whether the client exits or is terminated", async () => {
    for (const ending of ["exit", "SIGTERM"] as const) {
      const pid = await orphanedPackPid(ending);
      expect(await waitUntil(() => !isAlive(pid), 5000), `pack ${pid} still running after its client ended by ${ending}`).toBe(true);
    }
  });

  it("fails clearly when the directory is not a policy pack", async () => {
    const empty = mkdtempSync(join(tmpdir(), "engine-empty-"));
    try {
      await expect(startPolicyPack({ packDir: empty })).rejects.toThrow(/PulumiPolicy\.yaml is missing/);
      writeFileSync(join(empty, "PulumiPolicy.yaml"), "runtime: nodejs\n");
      await expect(startPolicyPack({ packDir: empty })).rejects.toThrow(/dependencies are not installed.*npm install/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("fails with the pack's stderr when it exits before printing a port", async () => {
    // Inside the repository so the broken pack finds node_modules; .tmp/ does not exist in a fresh clone.
    mkdirSync(join(ROOT, ".tmp"), { recursive: true });
    const broken = mkdtempSync(join(ROOT, ".tmp/engine-broken-"));
    try {
      writeFileSync(join(broken, "PulumiPolicy.yaml"), "runtime: nodejs\n");
      writeFileSync(join(broken, "package.json"), JSON.stringify({ name: "broken", main: "index.js" }));
      writeFileSync(join(broken, "index.js"), 'throw new Error("pack exploded on load");\n');
      const error = await startPolicyPack({ packDir: broken, timeoutMs: 20_000 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PolicyPackStartError);
      expect((error as Error).message).toMatch(/exited .* before printing its port/);
      expect((error as Error).message).toContain("pack exploded on load");
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
