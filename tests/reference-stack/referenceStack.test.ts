import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { UNKNOWN_SENTINEL, type EngineResource } from "../../tools/engine/types";
import { recordProgram, RecordingError, type Recording } from "../../tools/mocks";

const dir = path.resolve(__dirname, "../../reference-stack");
const GROUP = "aws:codedeploy/deploymentGroup:DeploymentGroup";
const CONFIG = "aws:codedeploy/deploymentConfig:DeploymentConfig";
const APP = "aws:codedeploy/application:Application";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPONENT = "guardrails:codedeploy:SafeDeploymentGroup";

const byName = (rec: Recording, type: string, name: string): EngineResource => {
  const r = rec.resources.find((x) => x.type === type && x.name === name);
  if (!r) throw new Error(`no ${type} ${name}`);
  return r;
};

let preview: Recording;
let update: Recording;
beforeAll(async () => {
  [preview, update] = await Promise.all([
    recordProgram({ programDir: dir, mode: "preview" }),
    recordProgram({ programDir: dir, mode: "update" }),
  ]);
});

describe.each(["preview", "update"] as const)("reference stack (%s)", (mode) => {
  const rec = () => (mode === "preview" ? preview : update);

  it("registers the whole service", () => {
    const types = new Set(rec().resources.map((r) => r.type));
    for (const t of [
      "pulumi:providers:aws",
      "aws:ec2/vpc:Vpc",
      "aws:ec2/subnet:Subnet",
      "aws:ec2/launchTemplate:LaunchTemplate",
      "aws:autoscaling/group:Group",
      "aws:lb/loadBalancer:LoadBalancer",
      "aws:lb/targetGroup:TargetGroup",
      "aws:lb/listener:Listener",
      "aws:lambda/function:Function",
      "aws:lambda/alias:Alias",
      "aws:sns/topic:Topic",
      "aws:iam/role:Role",
      APP,
      CONFIG,
      GROUP,
      ALARM,
      COMPONENT,
    ]) {
      expect(types, t).toContain(t);
    }
    expect(rec().resources.filter((r) => r.type === GROUP)).toHaveLength(2);
    expect(rec().resources.filter((r) => r.type === ALARM)).toHaveLength(6);
    expect(rec().defaultProviders).toEqual([]);
    for (const r of rec().resources.filter((x) => x.type.startsWith("aws:"))) {
      expect(r.provider?.name, r.urn).toBe("aws");
    }
  });

  it("parents each group and its alarms to its SafeDeploymentGroup", () => {
    for (const name of ["inference-server", "inference-lambda"]) {
      const component = byName(rec(), COMPONENT, name);
      const group = byName(rec(), GROUP, name);
      expect(group.parent).toBe(component.urn);
      const alarms = rec().resources.filter((r) => r.type === ALARM && r.parent === component.urn);
      expect(alarms).toHaveLength(3);
      expect(group.propertyDependencies?.["alarmConfiguration"]).toEqual(expect.arrayContaining(alarms.map((a) => a.urn)));
    }
  });

  it("rolls both groups back on failure and on alarm, with alarms that are polled", () => {
    for (const name of ["inference-server", "inference-lambda"]) {
      const p = byName(rec(), GROUP, name).properties;
      expect(p["autoRollbackConfiguration"]).toEqual({ enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] });
      const alarms = p["alarmConfiguration"] as { enabled: boolean; ignorePollAlarmFailure: boolean; alarms: string[] };
      expect(alarms.enabled).toBe(true);
      expect(alarms.ignorePollAlarmFailure).toBe(false);
      expect(alarms.alarms).toHaveLength(3);
    }
    const server = byName(rec(), GROUP, "inference-server").properties;
    expect(server["deploymentStyle"]).toEqual({ deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "IN_PLACE" });
    expect(server["outdatedInstancesStrategy"]).toBe("UPDATE");
    const lambda = byName(rec(), GROUP, "inference-lambda").properties;
    expect(lambda["deploymentConfigName"]).toBe("CodeDeployDefault.LambdaCanary10Percent5Minutes");
    expect(lambda["deploymentStyle"]).toEqual({ deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" });
  });

  it("keeps two thirds of the fleet and a host per zone healthy", () => {
    const cfg = byName(rec(), CONFIG, "inference-server").properties;
    expect(cfg["computePlatform"]).toBe("Server");
    expect(cfg["minimumHealthyHosts"]).toEqual({ type: "FLEET_PERCENT", value: 66 });
    expect(cfg["zonalConfig"]).toMatchObject({ minimumHealthyHostsPerZone: { type: "HOST_COUNT", value: 1 } });
    expect(byName(rec(), APP, "inference-server").properties["computePlatform"]).toBe("Server");
    expect(byName(rec(), APP, "inference-lambda").properties["computePlatform"]).toBe("Lambda");
  });

  it("links the server group to its custom config through propertyDependencies", () => {
    const group = byName(rec(), GROUP, "inference-server");
    const cfg = byName(rec(), CONFIG, "inference-server");
    expect(group.propertyDependencies?.["deploymentConfigName"]).toEqual([cfg.urn]);
    expect(group.propertyDependencies?.["appName"]).toEqual([byName(rec(), APP, "inference-server").urn]);
  });
});

describe("preview vs update", () => {
  it("leaves provider-computed names unknown in preview", () => {
    const group = byName(preview, GROUP, "inference-server").properties;
    expect(group["deploymentConfigName"]).toBe(UNKNOWN_SENTINEL);
    expect(group["appName"]).toBe(UNKNOWN_SENTINEL);
    expect((group["alarmConfiguration"] as { alarms: string[] }).alarms).toEqual([UNKNOWN_SENTINEL, UNKNOWN_SENTINEL, UNKNOWN_SENTINEL]);
  });

  it("resolves them in update to what the mocks returned", () => {
    const group = byName(update, GROUP, "inference-server").properties;
    const cfg = byName(update, CONFIG, "inference-server");
    expect(group["deploymentConfigName"]).toBe(update.outputs[cfg.urn]!.state["deploymentConfigName"]);
    expect(group["deploymentConfigName"]).toMatch(/^inference-server-[0-9a-f]{7}$/);
    const alarmNames = rec(update)
      .filter((r) => r.type === ALARM && r.name.startsWith("inference-server-"))
      .map((a) => update.outputs[a.urn]!.state["name"]);
    expect((group["alarmConfiguration"] as { alarms: string[] }).alarms.slice().sort()).toEqual(alarmNames.slice().sort());
  });

  it("exports the groups and alarms", () => {
    const out = update.stackOutputs as Record<string, Record<string, unknown>>;
    expect(out["server"]!["deploymentGroupName"]).toBe("inference-server");
    expect(out["lambda"]!["deploymentGroupName"]).toBe("inference-lambda");
    expect(out["server"]!["alarmNames"]).toHaveLength(3);
    expect(out["lambda"]!["alarmNames"]).toHaveLength(3);
    expect(update.stackOutputs["endpoint"]).toMatch(/^http:\/\/inference-alb-[0-9a-f]{7}-\d+\.us-east-1\.elb\.amazonaws\.com$/);
  });
});

function rec(r: Recording): readonly EngineResource[] {
  return r.resources;
}

describe("configuration", () => {
  it("reads region, instance type, fleet size and thresholds from Pulumi config", async () => {
    const r = await recordProgram({
      programDir: dir,
      mode: "update",
      config: { region: "eu-central-1", instanceType: "g5.xlarge", fleetSize: 6, alb5xxRatePercent: 2.5, minHealthyFleetPercent: 80 },
    });
    expect(r.resources.find((x) => x.type === "pulumi:providers:aws")!.properties["region"]).toBe("eu-central-1");
    expect(r.resources.find((x) => x.type === "aws:ec2/launchTemplate:LaunchTemplate")!.properties["instanceType"]).toBe("g5.xlarge");
    expect(r.resources.find((x) => x.type === "aws:autoscaling/group:Group")!.properties["desiredCapacity"]).toBe(6);
    expect(byName(r, ALARM, "inference-server-alb-5xx-rate").properties["threshold"]).toBe(2.5);
    expect(byName(r, CONFIG, "inference-server").properties["minimumHealthyHosts"]).toEqual({ type: "FLEET_PERCENT", value: 80 });
  });

  it("rejects a config that would block every deployment, naming the key", async () => {
    const err = await recordProgram({ programDir: dir, mode: "preview", config: { fleetSize: 4, minHealthyFleetPercent: 90 } }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RecordingError);
    expect((err as Error).message).toContain("minHealthyFleetPercent");
  });
});
