import { describe, expect, it } from "vitest";
import { applyGroupPatch, isHandledType, toModel } from "../../policy-pack/adapters";
import { UNKNOWN } from "../../policy-pack/core/model";
import { classic, ecsGroupProps, native, nativeServerGroupProps, SENTINEL, serverGroupProps, withThrowingKeys } from "../policies/fixtures";

describe("AWS classic adapter", () => {
  it("maps a deployment group", () => {
    const model = toModel(
      classic.group("svc-dg", ecsGroupProps({ outdatedInstancesStrategy: "UPDATE" }), {
        appName: ["urn:app"],
        deploymentConfigName: ["urn:cfg"],
      }),
    );
    expect(model).toMatchObject({
      kind: "deploymentGroup",
      resource: { name: "svc-dg", type: "aws:codedeploy/deploymentGroup:DeploymentGroup" },
      applicationName: "ranker-svc",
      deploymentConfigName: "CodeDeployDefault.ECSCanary10Percent5Minutes",
      hasEcsService: true,
      autoRollback: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
      alarmConfiguration: { enabled: true, alarms: ["ranker-5xx"], ignorePollAlarmFailure: false },
      deploymentType: "BLUE_GREEN",
      blueGreen: { terminationAction: "TERMINATE", terminationWaitMinutes: 120 },
      outdatedInstancesStrategy: "UPDATE",
      applicationDependencies: ["urn:app"],
      deploymentConfigDependencies: ["urn:cfg"],
    });
  });

  it("maps a deployment config and an application", () => {
    expect(
      toModel(
        classic.config("c", {
          deploymentConfigName: "c",
          computePlatform: "Server",
          minimumHealthyHosts: { type: "FLEET_PERCENT", value: 75 },
          zonalConfig: { minimumHealthyHostsPerZone: { type: "HOST_COUNT", value: 1 } },
        }),
      ),
    ).toMatchObject({
      kind: "deploymentConfig",
      name: "c",
      computePlatform: "Server",
      minimumHealthyHosts: { type: "FLEET_PERCENT", value: 75 },
      minimumHealthyHostsPerZone: { type: "HOST_COUNT", value: 1 },
    });
    expect(
      toModel(
        classic.config("l", {
          deploymentConfigName: "l",
          computePlatform: "Lambda",
          trafficRoutingConfig: { type: "TimeBasedLinear", timeBasedLinear: { interval: 1, percentage: 10 } },
        }),
      ),
    ).toMatchObject({ trafficRouting: { type: "TimeBasedLinear" } });
    expect(toModel(classic.app("a", { name: "app", computePlatform: "Lambda" }))).toMatchObject({
      kind: "application",
      name: "app",
      computePlatform: "Lambda",
    });
  });

  it("turns sentinels and throwing proxies into UNKNOWN, at any depth", () => {
    const model = toModel(
      classic.group(
        "g",
        withThrowingKeys(
          serverGroupProps({
            deploymentConfigName: SENTINEL,
            autoRollbackConfiguration: { enabled: SENTINEL, events: ["DEPLOYMENT_FAILURE", SENTINEL] },
          }),
          ["alarmConfiguration"],
        ),
      ),
    );
    expect(model).toMatchObject({
      deploymentConfigName: UNKNOWN,
      autoRollback: { enabled: UNKNOWN, events: ["DEPLOYMENT_FAILURE", UNKNOWN] },
      alarmConfiguration: UNKNOWN,
    });
    const proxied = toModel(
      classic.group("g", serverGroupProps({ autoRollbackConfiguration: withThrowingKeys({ enabled: true, events: [] }, ["events"]) })),
    );
    expect(proxied).toMatchObject({ autoRollback: { enabled: true, events: UNKNOWN } });
  });

  it("records wrong shapes as malformed with the path and the JSON type, never the value", () => {
    const model = toModel(
      classic.group("g", serverGroupProps({ autoRollbackConfiguration: { enabled: "yes-secret", events: "DEPLOYMENT_FAILURE" } })),
    );
    expect(model).toMatchObject({
      autoRollback: {
        enabled: { kind: "malformed", path: "autoRollbackConfiguration.enabled", expected: "boolean", found: "string" },
        events: { kind: "malformed", path: "autoRollbackConfiguration.events", expected: "array", found: "string" },
      },
    });
    expect(JSON.stringify(model)).not.toContain("yes-secret");
  });

  it("treats null as absent", () => {
    const model = toModel(classic.group("g", serverGroupProps({ alarmConfiguration: null, ecsService: null })));
    expect(model).toMatchObject({ alarmConfiguration: undefined, hasEcsService: false });
  });

  it("ignores other resource types", () => {
    expect(isHandledType("aws:lambda/function:Function")).toBe(false);
    expect(toModel({ type: "aws:lambda/function:Function", urn: "u", name: "n", props: {} })).toBeUndefined();
  });
});

describe("AWS Native adapter", () => {
  it("maps a deployment group in the CloudFormation shape", () => {
    const model = toModel(
      native.group(
        "svc-dg",
        {
          ...nativeServerGroupProps(),
          ecsServices: [{ clusterName: "c", serviceName: "s" }],
          deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
          blueGreenDeploymentConfiguration: { terminateBlueInstancesOnDeploymentSuccess: { action: "KEEP_ALIVE" } },
        },
        { applicationName: ["urn:app"] },
      ),
    );
    expect(model).toMatchObject({
      applicationName: "inference-api",
      hasEcsService: true,
      alarmConfiguration: { enabled: true, alarms: ["inference-api-5xx"] },
      deploymentType: "BLUE_GREEN",
      blueGreen: { terminationAction: "KEEP_ALIVE" },
      applicationDependencies: ["urn:app"],
    });
  });

  it("maps configs and applications", () => {
    expect(
      toModel(
        native.config("c", {
          deploymentConfigName: "c",
          computePlatform: "ECS",
          trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: { canaryInterval: 5, canaryPercentage: 10 } },
        }),
      ),
    ).toMatchObject({ name: "c", computePlatform: "ECS", trafficRouting: { type: "TimeBasedCanary" } });
    expect(toModel(native.app("a", { applicationName: "app", computePlatform: "ECS" }))).toMatchObject({
      name: "app",
      computePlatform: "ECS",
    });
  });

  it("reads unknown alarm entries and names", () => {
    const model = toModel(
      native.group(
        "g",
        nativeServerGroupProps({ alarmConfiguration: { enabled: true, alarms: [SENTINEL, { name: SENTINEL }, { name: null }] } }),
      ),
    );
    expect(model).toMatchObject({ alarmConfiguration: { alarms: [UNKNOWN, UNKNOWN, { kind: "malformed" }] } });
  });
});

describe("applyGroupPatch", () => {
  it("writes only what the patch touches", () => {
    const props = serverGroupProps({ autoRollbackConfiguration: { enabled: false, events: ["DEPLOYMENT_FAILURE"] }, tags: { team: "ml" } });
    const patched = applyGroupPatch(props, {
      autoRollback: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
      outdatedInstancesStrategy: "UPDATE",
    });
    expect(patched).toEqual({
      ...props,
      autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
      outdatedInstancesStrategy: "UPDATE",
    });
    expect(props.autoRollbackConfiguration).toEqual({ enabled: false, events: ["DEPLOYMENT_FAILURE"] });
  });

  it("keeps the alarms and other alarm settings when flipping flags", () => {
    const props = nativeServerGroupProps({ alarmConfiguration: { enabled: false, alarms: [{ name: "a" }], ignorePollAlarmFailure: true } });
    expect(applyGroupPatch(props, { alarmFlags: { enabled: true, ignorePollAlarmFailure: false } }).alarmConfiguration).toEqual({
      enabled: true,
      alarms: [{ name: "a" }],
      ignorePollAlarmFailure: false,
    });
  });
});
