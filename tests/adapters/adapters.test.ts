import { describe, expect, it } from "vitest";
import { applyGroupPatch, isHandledType, toModel, unreadableModel, unreadableReason } from "../../policy-pack/adapters";
import { apiApplication, apiDeploymentConfig, apiDeploymentGroup } from "../../policy-pack/adapters/codedeployApi";
import { isUnknownSentinel, proxyTarget } from "../../policy-pack/adapters/read";
import { evaluateStack } from "../../policy-pack/evaluate";

// The SDK's own proxies (internal modules), as the pack gets props from them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkProxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy: <T>(value: T) => T };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkSecret = require("@pulumi/policy/secret") as { secretsPreservingProxy: <T>(value: T) => T };
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
      applicationName: "inference",
      hasEcsService: true,
      alarmConfiguration: { enabled: true, alarms: ["inference-5xx", "inference-p99"] },
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

describe("where a resource lives (its scope)", () => {
  const provider = { urn: "urn:pulumi:prod::ml-platform::pulumi:providers:aws::eu", props: { region: "eu-west-1" } };

  it("is its provider's URN and its own region, else its provider's region", () => {
    expect(toModel({ ...classic.config("c", { deploymentConfigName: "c" }), provider })?.scope).toEqual({
      provider: provider.urn,
      region: "eu-west-1",
    });
    expect(toModel({ ...classic.config("c", { deploymentConfigName: "c", region: "us-east-1" }), provider })?.scope).toEqual({
      provider: provider.urn,
      region: "us-east-1",
    });
  });

  it("keeps a region unknown during preview, and falls back past a region of the wrong type", () => {
    expect(toModel({ ...classic.app("a", { name: "a", region: SENTINEL }), provider })?.scope).toEqual({
      provider: provider.urn,
      region: UNKNOWN,
    });
    expect(toModel({ ...classic.app("a", { name: "a", region: 5 }), provider })?.scope).toEqual({
      provider: provider.urn,
      region: "eu-west-1",
    });
    expect(toModel({ ...classic.app("a", { name: "a" }), provider: { ...provider, props: { region: SENTINEL } } })?.scope?.region).toBe(
      UNKNOWN,
    );
  });

  it("is provider `none` and no region without provider information", () => {
    expect(toModel(native.app("a", { applicationName: "a" }))?.scope).toEqual({ provider: "none" });
  });

  it("in audit, is the account and region the resources were read in", () => {
    const location = { region: "eu-west-1", accountId: "123456789012" };
    expect(apiDeploymentConfig({ deploymentConfigName: "c" }, location).scope).toEqual({
      provider: "account:123456789012",
      region: "eu-west-1",
    });
    const explicit = { provider: "org:o-1/123456789012", region: "eu-west-1" };
    expect(apiApplication({ applicationName: "a" }, { ...location, scope: explicit }).scope).toEqual(explicit);
  });

  it("keeps two API resources of one name read in two regions apart", () => {
    const eu = { region: "eu-west-1", accountId: "123456789012" };
    const us = { region: "us-east-1", accountId: "123456789012" };
    const config = (location: typeof eu, value: number) =>
      apiDeploymentConfig(
        { deploymentConfigName: "rollout", computePlatform: "Server", minimumHealthyHosts: { type: "FLEET_PERCENT", value } },
        location,
      );
    const group = apiDeploymentGroup(
      { applicationName: "api", deploymentGroupName: "dg", deploymentConfigName: "rollout", computePlatform: "Server" },
      us,
    );
    const findings = evaluateStack([config(eu, 90), config(us, 10), group], {}, new Date("2026-06-15T00:00:00Z"));
    const forGroup = findings.filter(
      (finding) => finding.resource.urn === group.resource.urn && finding.policy === "codedeploy-minimum-healthy-hosts",
    );
    expect(forGroup.map((finding) => finding.message)).toEqual([
      'Deployment group "api/dg": uses deployment config resource "rollout", which keeps less of the fleet healthy (FLEET_PERCENT) than the required 66%; raise minimumHealthyHosts.value to 66..99.',
    ]);
    expect(forGroup[0]!.enforcementLevel).toBe("mandatory");
  });
});

describe("props as the SDK hands them to a policy", () => {
  it("reads the plain target behind the SDK's proxies, and passes anything else through", () => {
    const target = { appName: "a", alarmConfiguration: { alarms: ["x"] } };
    expect(proxyTarget(sdkProxy.unknownCheckingProxy(target))).toBe(target);
    expect(proxyTarget(sdkProxy.unknownCheckingProxy(sdkSecret.secretsPreservingProxy(target)))).toBe(target);
    expect(proxyTarget(target)).toBe(target);
    expect(proxyTarget(null)).toBe(null);
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error("unknown");
        },
      },
    );
    expect(proxyTarget(hostile)).toBe(hostile);
  });

  it("knows every typed unknown sentinel of the engine, and nothing else of that length", () => {
    for (const sentinel of [
      "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
      "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
      "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
      "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
      "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
      "030794c1-ac77-496b-92df-f27374a8bd58",
      "e48ece36-62e2-4504-bad9-02848725956a",
    ]) {
      expect(isUnknownSentinel(sentinel)).toBe(true);
    }
    expect(isUnknownSentinel("00000000-0000-0000-0000-000000000000")).toBe(false);
    expect(isUnknownSentinel(5)).toBe(false);
  });

  it("an ECS service block holding only the bridge's `__defaults` list names no service", () => {
    const group = (ecsService: unknown) => toModel(classic.group("g", serverGroupProps({ ecsService })));
    expect(group({ __defaults: [] })).toMatchObject({ hasEcsService: false });
    expect(group({ __defaults: [], serviceName: "s" })).toMatchObject({ hasEcsService: true });
  });
});

describe("AnalyzeStack props that are not the resource's real properties", () => {
  it("are empty (only `__` keys count as nothing) or lack the field that identifies the resource", () => {
    const empty = "the engine sent no properties for it (outputs are empty while its provider's configuration is unknown during preview)";
    expect(unreadableReason(classic.group("g", {}).type, {})).toBe(empty);
    expect(unreadableReason(classic.group("g", {}).type, { __defaults: [] })).toBe(empty);
    expect(unreadableReason(classic.group("g", {}).type, { deploymentGroupName: "g" })).toBe(
      "the engine sent its properties without appName",
    );
    expect(unreadableReason(classic.group("g", {}).type, { appName: null })).toBe("the engine sent its properties without appName");
    expect(unreadableReason(native.group("g", {}).type, { deploymentGroupName: "g" })).toBe(
      "the engine sent its properties without applicationName",
    );
    expect(unreadableReason(classic.config("c", {}).type, { computePlatform: "Server" })).toBe(
      "the engine sent its properties without deploymentConfigName",
    );
    expect(unreadableReason(classic.app("a", {}).type, { computePlatform: "Server" })).toBe("the engine sent its properties without name");
    // AWS Native names configs and applications itself when the program does not.
    expect(unreadableReason(native.config("c", {}).type, { computePlatform: "Server" })).toBeUndefined();
    expect(unreadableReason(classic.group("g", {}).type, { appName: SENTINEL })).toBeUndefined();
  });

  it("make a model whose every field is unknown, saying why", () => {
    const model = unreadableModel(classic.config("c", {}), "why");
    expect(model).toMatchObject({
      kind: "deploymentConfig",
      unreadable: "why",
      name: UNKNOWN,
      computePlatform: UNKNOWN,
      minimumHealthyHosts: UNKNOWN,
    });
    expect(unreadableModel({ type: "aws:s3/bucket:Bucket", urn: "u", name: "b", props: {} }, "why")).toBeUndefined();
  });
});
