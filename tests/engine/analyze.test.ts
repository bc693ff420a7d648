// Analyze and AnalyzeStack through gRPC, with resources encoded as the engine encodes them.
import { describe, expect, it } from "vitest";
import type { Diagnostic, EngineResource, WireProperties } from "../../packages/tools/src/engine";
import {
  CLASSIC,
  NATIVE,
  POLICIES,
  PROVIDER,
  UNKNOWN,
  byPolicy,
  compliantClassicGroupProps,
  compliantClassicStack,
  compliantNativeGroupProps,
  mandatory,
  resource,
  secret,
  usePack,
  withValue,
} from "./helpers";

const pack = usePack();

/** Analyze on every resource (inputs) plus AnalyzeStack on all of them, as one preview does. */
async function preview(resources: readonly EngineResource[]): Promise<{ analyze: Diagnostic[]; stack: Diagnostic[] }> {
  const analyze: Diagnostic[] = [];
  for (const item of resources) analyze.push(...(await pack.analyze(item)).diagnostics);
  const stack = [...(await pack.analyzeStack(resources)).diagnostics];
  return { analyze, stack };
}

function only(diagnostics: readonly Diagnostic[], policy: string): Diagnostic {
  const found = byPolicy(diagnostics, policy);
  expect(found, `diagnostics of ${policy}: ${JSON.stringify(diagnostics, null, 1)}`).toHaveLength(1);
  return found[0]!;
}

describe("a compliant stack", () => {
  it("AWS classic Server group + custom config + application: no diagnostics in Analyze or AnalyzeStack", async () => {
    const { application, config, group } = compliantClassicStack();
    const result = await preview([application, config, group]);
    expect(result.analyze).toEqual([]);
    expect(result.stack).toEqual([]);
  });

  it("also with the outputs AnalyzeStack sees (ids, ARNs, computePlatform on the group)", async () => {
    const { application, config, group } = compliantClassicStack({
      ...compliantClassicGroupProps(),
      id: "inference-prod",
      arn: "arn:aws:codedeploy:eu-west-1:123456789012:deploymentgroup:inference/inference-prod",
      computePlatform: "Server",
      deploymentGroupId: "d-1234",
    });
    expect((await pack.analyzeStack([application, config, group])).diagnostics).toEqual([]);
  });

  it("AWS Native group on a built-in config: no diagnostics", async () => {
    const application = resource(NATIVE.application, "native-app", { applicationName: "inference", computePlatform: "Server" });
    const group = resource(NATIVE.group, "native-group", compliantNativeGroupProps(), {
      propertyDependencies: { applicationName: [application.urn] },
    });
    const result = await preview([application, group]);
    expect(result.analyze).toEqual([]);
    expect(result.stack).toEqual([]);
  });
});

describe("each policy's violation, at its level and with the right URN", () => {
  it(`${POLICIES.autoRollback}: mandatory, reported by Analyze for the resource itself`, async () => {
    const group = resource(CLASSIC.group, "no-rollback", withValue(compliantClassicGroupProps(), "autoRollbackConfiguration", undefined));
    const diagnostics = (await pack.analyze(group)).diagnostics;
    const diagnostic = only(diagnostics, POLICIES.autoRollback);
    expect(diagnostic).toMatchObject({
      enforcementLevel: "mandatory",
      severity: "high",
      policyPackName: "codedeploy-guardrails",
      policyPackVersion: "0.1.0",
    });
    // A resource policy's diagnostic names no URN: the engine attributes it to the analyzed resource.
    expect(diagnostic.urn).toBe("");
    expect(diagnostic.message).toContain('"no-rollback"');
    expect(diagnostic.message).toContain("autoRollbackConfiguration");
    expect(diagnostics).toHaveLength(1);
  });

  it(`${POLICIES.autoRollback}: a missing required event is named`, async () => {
    const group = resource(
      CLASSIC.group,
      "failure-only",
      withValue(compliantClassicGroupProps(), "autoRollbackConfiguration.events", ["DEPLOYMENT_FAILURE"]),
    );
    expect(only((await pack.analyze(group)).diagnostics, POLICIES.autoRollback).message).toContain("DEPLOYMENT_STOP_ON_ALARM");
  });

  it(`${POLICIES.alarms}: mandatory; STOP_ON_ALARM without alarms is said to do nothing`, async () => {
    const group = resource(CLASSIC.group, "no-alarms", withValue(compliantClassicGroupProps(), "alarmConfiguration", undefined));
    const diagnostic = only((await pack.analyze(group)).diagnostics, POLICIES.alarms);
    expect(diagnostic).toMatchObject({ enforcementLevel: "mandatory", urn: "" });
    expect(diagnostic.message).toMatch(/DEPLOYMENT_STOP_ON_ALARM .*does nothing/);
  });

  it(`${POLICIES.alarms}: more than 10 alarms and ignorePollAlarmFailure are violations`, async () => {
    const alarms = Array.from({ length: 11 }, (_, index) => `alarm-${index}`);
    let props = withValue(compliantClassicGroupProps(), "alarmConfiguration.alarms", alarms);
    props = withValue(props, "alarmConfiguration.ignorePollAlarmFailure", true);
    const message = only((await pack.analyze(resource(CLASSIC.group, "too-many", props))).diagnostics, POLICIES.alarms).message;
    expect(message).toContain("11 alarms");
    expect(message).toContain("ignorePollAlarmFailure");
  });

  it(`${POLICIES.minimumHealthyHosts}: mandatory, in AnalyzeStack, with the group's URN`, async () => {
    const { application, group: compliant } = compliantClassicStack();
    const group = {
      ...compliant,
      properties: withValue(compliant.properties, "deploymentConfigName", "CodeDeployDefault.AllAtOnce"),
      propertyDependencies: { appName: [application.urn] },
    };
    const result = await preview([application, group]);
    expect(result.analyze).toEqual([]);
    const diagnostic = only(result.stack, POLICIES.minimumHealthyHosts);
    expect(diagnostic).toMatchObject({ enforcementLevel: "mandatory", urn: group.urn });
    expect(diagnostic.message).toContain("CodeDeployDefault.AllAtOnce");
    expect(result.stack).toHaveLength(1);
  });

  it(`${POLICIES.minimumHealthyHosts}: a custom Server config is flagged itself, with its own URN`, async () => {
    const { application, config: good, group } = compliantClassicStack();
    const config = {
      ...good,
      properties: {
        ...good.properties,
        minimumHealthyHosts: { type: "FLEET_PERCENT", value: 50 },
        zonalConfig: { minimumHealthyHostsPerZone: { type: "HOST_COUNT", value: 0 } },
      },
    };
    const diagnostics = byPolicy((await pack.analyzeStack([application, config, group])).diagnostics, POLICIES.minimumHealthyHosts);
    // The config resource is reported, and the group that uses it; each with its own URN, once.
    expect(diagnostics.map((diagnostic) => diagnostic.urn).sort()).toEqual([config.urn, group.urn].sort());
    const onConfig = diagnostics.find((diagnostic) => diagnostic.urn === config.urn)!;
    expect(onConfig.enforcementLevel).toBe("mandatory");
    expect(onConfig.message).toContain("(FLEET_PERCENT)");
    // A number from props may be a secret, so it is not quoted.
    expect(onConfig.message).not.toMatch(/\b50\b/);
    expect(onConfig.message).toContain("zonalConfig.minimumHealthyHostsPerZone");
  });

  it(`${POLICIES.trafficShifting}: mandatory for a Lambda group on LambdaAllAtOnce, with the group's URN`, async () => {
    const application = resource(CLASSIC.application, "scorer-app", { name: "scorer", computePlatform: "Lambda" });
    const group = resource(
      CLASSIC.group,
      "scorer-group",
      {
        appName: "scorer",
        deploymentGroupName: "scorer",
        serviceRoleArn: "arn:aws:iam::123456789012:role/codedeploy",
        deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce",
        deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
        autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
        alarmConfiguration: { enabled: true, alarms: ["scorer-errors"] },
      },
      { propertyDependencies: { appName: [application.urn] } },
    );
    const result = await preview([application, group]);
    expect(result.analyze).toEqual([]);
    expect(result.stack).toHaveLength(1);
    const diagnostic = only(result.stack, POLICIES.trafficShifting);
    expect(diagnostic).toMatchObject({ enforcementLevel: "mandatory", urn: group.urn });
    expect(diagnostic.message).toContain("LambdaAllAtOnce");
  });

  it(`${POLICIES.trafficShifting}: an ECS group with no config at all`, async () => {
    const group = resource(CLASSIC.group, "ecs-group", {
      ...withValue(compliantClassicGroupProps(), "deploymentConfigName", undefined),
      ecsService: { clusterName: "ml", serviceName: "inference" },
      deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
      blueGreenDeploymentConfig: { terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 120 } },
    });
    const diagnostic = only((await pack.analyzeStack([group])).diagnostics, POLICIES.trafficShifting);
    expect(diagnostic).toMatchObject({ enforcementLevel: "mandatory", urn: group.urn });
  });

  it(`${POLICIES.blueGreen}: advisory, with the group's URN`, async () => {
    const props = {
      ...compliantClassicGroupProps(),
      deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
      blueGreenDeploymentConfig: { terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 5 } },
    };
    const { application, config, group } = compliantClassicStack(props);
    const result = await preview([application, config, group]);
    expect(result.analyze).toEqual([]);
    expect(result.stack).toHaveLength(1);
    const diagnostic = only(result.stack, POLICIES.blueGreen);
    expect(diagnostic).toMatchObject({ enforcementLevel: "advisory", severity: "medium", urn: group.urn });
    expect(diagnostic.message).toContain("sooner after success than the required 60 minutes");
    expect(diagnostic.message).not.toMatch(/\b5 minute/);
  });

  it(`${POLICIES.outdatedInstances}: advisory, in Analyze`, async () => {
    const group = resource(CLASSIC.group, "ignores-new", withValue(compliantClassicGroupProps(), "outdatedInstancesStrategy", "IGNORE"));
    const diagnostics = (await pack.analyze(group)).diagnostics;
    expect(diagnostics).toHaveLength(1);
    expect(only(diagnostics, POLICIES.outdatedInstances)).toMatchObject({ enforcementLevel: "advisory", urn: "" });
  });
});

describe("AWS Native resources", () => {
  it("auto-rollback disabled and alarms off are mandatory violations", async () => {
    let props = withValue(compliantNativeGroupProps(), "autoRollbackConfiguration.enabled", false);
    props = withValue(props, "alarmConfiguration.enabled", false);
    const diagnostics = (await pack.analyze(resource(NATIVE.group, "native-bad", props))).diagnostics;
    expect(only(diagnostics, POLICIES.autoRollback).enforcementLevel).toBe("mandatory");
    expect(only(diagnostics, POLICIES.alarms).enforcementLevel).toBe("mandatory");
  });

  it("the alarm count reads `alarms: [{ name }]`", async () => {
    const props = withValue(compliantNativeGroupProps(), "alarmConfiguration.alarms", []);
    const message = only((await pack.analyze(resource(NATIVE.group, "native-empty", props))).diagnostics, POLICIES.alarms).message;
    expect(message).toContain("0 alarm");
  });

  it("a Native custom config and group resolved through propertyDependencies", async () => {
    const config = resource(NATIVE.config, "native-half", {
      computePlatform: "Server",
      minimumHealthyHosts: { type: "FLEET_PERCENT", value: 40 },
    });
    const group = resource(NATIVE.group, "native-group", withValue(compliantNativeGroupProps(), "deploymentConfigName", UNKNOWN), {
      propertyDependencies: { deploymentConfigName: [config.urn] },
    });
    const diagnostics = byPolicy((await pack.analyzeStack([config, group])).diagnostics, POLICIES.minimumHealthyHosts);
    expect(diagnostics.map((diagnostic) => [diagnostic.urn, diagnostic.enforcementLevel]).sort()).toEqual(
      [
        [config.urn, "mandatory"],
        [group.urn, "mandatory"],
      ].sort(),
    );
  });

  it("a Native ECS group (ecsServices) on ECSAllAtOnce", async () => {
    const group = resource(NATIVE.group, "native-ecs", {
      ...compliantNativeGroupProps(),
      deploymentConfigName: "CodeDeployDefault.ECSAllAtOnce",
      ecsServices: [{ clusterName: "ml", serviceName: "inference" }],
      deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
      blueGreenDeploymentConfiguration: { terminateBlueInstancesOnDeploymentSuccess: { action: "KEEP_ALIVE" } },
    });
    const diagnostics = (await pack.analyzeStack([group])).diagnostics;
    expect(diagnostics).toHaveLength(1);
    expect(only(diagnostics, POLICIES.trafficShifting)).toMatchObject({ enforcementLevel: "mandatory", urn: group.urn });
  });
});

describe("unknown values during preview", () => {
  it("`enabled: false` with unknown `events` is a mandatory violation now", async () => {
    const props = withValue(compliantClassicGroupProps(), "autoRollbackConfiguration", { enabled: false, events: UNKNOWN });
    const diagnostic = only((await pack.analyze(resource(CLASSIC.group, "disabled-unknown", props))).diagnostics, POLICIES.autoRollback);
    expect(diagnostic.enforcementLevel).toBe("mandatory");
    expect(diagnostic.message).toContain("disabled");
  });

  // Every field of the compliant stack, and every block, made unknown one at a time.
  const groupPaths = [
    "appName",
    "deploymentGroupName",
    "serviceRoleArn",
    "deploymentConfigName",
    "autoRollbackConfiguration",
    "autoRollbackConfiguration.enabled",
    "autoRollbackConfiguration.events",
    "alarmConfiguration",
    "alarmConfiguration.enabled",
    "alarmConfiguration.alarms",
    "alarmConfiguration.ignorePollAlarmFailure",
    "deploymentStyle",
    "deploymentStyle.deploymentType",
    "outdatedInstancesStrategy",
    "autoscalingGroups",
  ];
  for (const path of groupPaths) {
    it(`a compliant group with unknown ${path} never gets a mandatory violation`, async () => {
      const props = withValue(compliantClassicGroupProps(), path, UNKNOWN);
      const { application, config, group } = compliantClassicStack(props);
      const result = await preview([application, config, group]);
      expect(mandatory([...result.analyze, ...result.stack])).toEqual([]);
    });
  }

  it("a compliant group with every leaf unknown at once never gets a mandatory violation", async () => {
    let props = compliantClassicGroupProps();
    for (const path of groupPaths.filter(
      (candidate) => candidate.includes(".") || !["autoRollbackConfiguration", "alarmConfiguration", "deploymentStyle"].includes(candidate),
    )) {
      props = withValue(props, path, UNKNOWN);
    }
    const { application, config, group } = compliantClassicStack(props);
    // Unknown application and config names too, with the propertyDependencies the engine sends.
    const result = await preview([
      { ...application, properties: { ...application.properties, name: UNKNOWN } },
      { ...config, properties: { ...config.properties, deploymentConfigName: UNKNOWN } },
      group,
    ]);
    expect(mandatory([...result.analyze, ...result.stack])).toEqual([]);
  });

  it("an unknown alarm name inside the list still counts as an alarm", async () => {
    const props = withValue(compliantClassicGroupProps(), "alarmConfiguration.alarms", [UNKNOWN]);
    expect(byPolicy((await pack.analyze(resource(CLASSIC.group, "unknown-alarm", props))).diagnostics, POLICIES.alarms)).toEqual([]);
  });

  it("unknown deploymentConfigName resolvable through propertyDependencies is decided", async () => {
    const { application, config: good, group: compliant } = compliantClassicStack();
    const group = { ...compliant, properties: withValue(compliant.properties, "deploymentConfigName", UNKNOWN) };
    // Resolved to the compliant config: nothing, not even an advisory.
    expect((await pack.analyzeStack([application, good, group])).diagnostics).toEqual([]);
    // Resolved to a config below the threshold: a mandatory violation on the group now.
    const bad = {
      ...good,
      properties: { ...good.properties, deploymentConfigName: UNKNOWN, minimumHealthyHosts: { type: "HOST_COUNT", value: 0 } },
    };
    const onGroup = byPolicy((await pack.analyzeStack([application, bad, group])).diagnostics, POLICIES.minimumHealthyHosts).filter(
      (diagnostic) => diagnostic.urn === group.urn,
    );
    expect(onGroup).toHaveLength(1);
    expect(onGroup[0]!.enforcementLevel).toBe("mandatory");
  });

  it("unknown deploymentConfigName without propertyDependencies falls back to an advisory", async () => {
    const { application, group: compliant } = compliantClassicStack();
    const group = {
      ...compliant,
      properties: withValue(compliant.properties, "deploymentConfigName", UNKNOWN),
      propertyDependencies: { appName: [application.urn] },
    };
    const diagnostic = only((await pack.analyzeStack([application, group])).diagnostics, POLICIES.minimumHealthyHosts);
    expect(diagnostic).toMatchObject({ enforcementLevel: "advisory", urn: group.urn });
    expect(diagnostic.message).toMatch(/preview/);
  });
});

describe("secrets", () => {
  const SECRET_TEXT = "s3cr3t-value-never-echoed";

  it("no secret value is ever echoed in a message", async () => {
    const props: WireProperties = {
      appName: secret(`${SECRET_TEXT}-app`),
      deploymentGroupName: secret(`${SECRET_TEXT}-group`),
      serviceRoleArn: secret(`arn:aws:iam::123456789012:role/${SECRET_TEXT}`),
      deploymentConfigName: secret(`${SECRET_TEXT}-config`),
      autoRollbackConfiguration: secret({ enabled: false, events: [`${SECRET_TEXT}-event`] }),
      alarmConfiguration: { enabled: secret(false), alarms: [secret(`${SECRET_TEXT}-alarm`), ""], ignorePollAlarmFailure: secret(true) },
      outdatedInstancesStrategy: secret(`${SECRET_TEXT}-strategy`),
      deploymentStyle: { deploymentType: secret("BLUE_GREEN") },
      blueGreenDeploymentConfig: { terminateBlueInstancesOnDeploymentSuccess: { action: secret(`${SECRET_TEXT}-action`) } },
    };
    const group = resource(CLASSIC.group, "secret-group", props, {
      provider: { ...PROVIDER, properties: { region: secret(`${SECRET_TEXT}-region`) } },
    });
    const config = resource(CLASSIC.config, "secret-config", {
      deploymentConfigName: secret(`${SECRET_TEXT}-config`),
      computePlatform: "Server",
      minimumHealthyHosts: { type: secret(`${SECRET_TEXT}-type`), value: 1 },
    });
    const result = await preview([config, group]);
    const all = [...result.analyze, ...result.stack];
    // The secrets are read (the group is checked), but never shown.
    expect(byPolicy(all, POLICIES.autoRollback)).toHaveLength(1);
    expect(byPolicy(all, POLICIES.alarms)).toHaveLength(1);
    for (const diagnostic of all) expect(diagnostic.message).not.toContain(SECRET_TEXT);
  });
});
