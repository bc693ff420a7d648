// The engine client's real-engine shapes (tools/engine/realEngine.ts, classicProvider.ts) against
// the facts they model (../shared/engine-facts.md): each expectation below is written from that
// document, not read back from the code.
import { describe, expect, it } from "vitest";
import {
  CLASSIC_TYPES,
  classicCheckDefaults,
  makeUrn,
  realEnginePayloads,
  secret,
  seededShuffle,
  TYPED_UNKNOWN_SENTINELS,
  UNKNOWN_SENTINEL,
  type EngineProvider,
  type EngineResource,
  type WireProperties,
} from "../../packages/tools/src/engine";

const PROVIDER: EngineProvider = {
  urn: "urn:pulumi:dev::ml-service::pulumi:providers:aws::default_7_0_0",
  type: "pulumi:providers:aws",
  name: "default_7_0_0",
  properties: { region: "eu-west-1", version: "7.0.0" },
};

function res(type: string, name: string, properties: WireProperties, extra: Partial<EngineResource> = {}): EngineResource {
  return { urn: makeUrn("dev", "ml-service", type, name), type, name, properties, provider: PROVIDER, ...extra };
}

const application = res(CLASSIC_TYPES.application, "scorer-app", { name: "scorer", computePlatform: "Lambda" });
const group = res(
  CLASSIC_TYPES.group,
  "scorer-group",
  { appName: "scorer", deploymentGroupName: "scorer", serviceRoleArn: "arn:aws:iam::123456789012:role/cd" },
  { propertyDependencies: { appName: [application.urn] } },
);
const config = res(CLASSIC_TYPES.config, "canary", {
  deploymentConfigName: "canary",
  trafficRoutingConfig: { timeBasedCanary: { interval: 5, percentage: 10 } },
});

function analyzed(resources: readonly EngineResource[], urn: string, mode: "preview" | "update" = "preview"): WireProperties {
  return realEnginePayloads(resources, { mode }).analyze.find((item) => item.urn === urn)!.properties;
}

function stacked(resources: readonly EngineResource[], urn: string, mode: "preview" | "update" = "preview"): WireProperties {
  return realEnginePayloads(resources, { mode }).analyzeStack.find((item) => item.urn === urn)!.properties;
}

describe("checked inputs (Analyze)", () => {
  it("the defaults table holds exactly the classic provider's non-zero Check defaults", () => {
    expect(classicCheckDefaults()).toEqual({
      [CLASSIC_TYPES.group]: {
        deploymentConfigName: "CodeDeployDefault.OneAtATime",
        outdatedInstancesStrategy: "UPDATE",
        "deploymentStyle.deploymentOption": "WITHOUT_TRAFFIC_CONTROL",
        "deploymentStyle.deploymentType": "IN_PLACE",
      },
      [CLASSIC_TYPES.config]: { computePlatform: "Server", "trafficRoutingConfig.type": "AllAtOnce" },
      [CLASSIC_TYPES.application]: { computePlatform: "Server" },
    });
  });

  it("a group that names no config gets CodeDeployDefault.OneAtATime, whatever its platform; no false flag is filled in", () => {
    const props = analyzed([application, group], group.urn);
    expect(props["deploymentConfigName"]).toBe("CodeDeployDefault.OneAtATime");
    expect(props["outdatedInstancesStrategy"]).toBe("UPDATE");
    expect(props).not.toHaveProperty("alarmConfiguration");
    expect(props).not.toHaveProperty("autoRollbackConfiguration");
    // No top-level __defaults: the engine strips top-level `__` keys before Analyze.
    expect(Object.keys(props).filter((key) => key.startsWith("__"))).toEqual([]);
  });

  it("defaults inside a present block only, with the bridge's nested __defaults list", () => {
    const withStyle = { ...group, properties: { ...group.properties, deploymentStyle: { deploymentType: "BLUE_GREEN" } } };
    expect(analyzed([withStyle], group.urn)["deploymentStyle"]).toEqual({
      deploymentType: "BLUE_GREEN",
      deploymentOption: "WITHOUT_TRAFFIC_CONTROL",
      __defaults: ["deploymentOption"],
    });
    expect(analyzed([group], group.urn)).not.toHaveProperty("deploymentStyle");
    const routing = analyzed([config], config.urn);
    expect(routing["computePlatform"]).toBe("Server");
    expect(routing["trafficRoutingConfig"]).toMatchObject({ type: "AllAtOnce", __defaults: ["type"] });
    expect(analyzed([{ ...config, properties: { deploymentConfigName: "x" } }], config.urn)).not.toHaveProperty("trafficRoutingConfig");
    // An application names no platform: Server.
    expect(analyzed([{ ...application, properties: { name: "scorer" } }], application.urn)["computePlatform"]).toBe("Server");
  });

  it("an explicit false or an unknown value is kept, never defaulted; unknowns get their field's typed sentinel", () => {
    const props = analyzed(
      [
        {
          ...group,
          properties: {
            ...group.properties,
            deploymentConfigName: UNKNOWN_SENTINEL,
            alarmConfiguration: { enabled: UNKNOWN_SENTINEL, alarms: UNKNOWN_SENTINEL, ignorePollAlarmFailure: false },
            autoRollbackConfiguration: UNKNOWN_SENTINEL,
            blueGreenDeploymentConfig: { terminateBlueInstancesOnDeploymentSuccess: { terminationWaitTimeInMinutes: UNKNOWN_SENTINEL } },
          },
        },
      ],
      group.urn,
    );
    expect(props["deploymentConfigName"]).toBe(TYPED_UNKNOWN_SENTINELS.string);
    expect(props["alarmConfiguration"]).toEqual({
      enabled: TYPED_UNKNOWN_SENTINELS.bool,
      alarms: TYPED_UNKNOWN_SENTINELS.array,
      ignorePollAlarmFailure: false,
      __defaults: [],
    });
    expect(props["autoRollbackConfiguration"]).toBe(TYPED_UNKNOWN_SENTINELS.object);
    expect(props["blueGreenDeploymentConfig"]).toMatchObject({
      terminateBlueInstancesOnDeploymentSuccess: { terminationWaitTimeInMinutes: TYPED_UNKNOWN_SENTINELS.number },
    });
  });

  it("a list with any secret element comes back as one secret list; a secret scalar stays where it was", () => {
    const props = analyzed(
      [
        {
          ...group,
          properties: {
            ...group.properties,
            serviceRoleArn: secret("arn:aws:iam::123456789012:role/cd"),
            alarmConfiguration: { enabled: true, alarms: ["a", secret("b")] },
          },
        },
      ],
      group.urn,
    );
    expect(props["serviceRoleArn"]).toEqual(secret("arn:aws:iam::123456789012:role/cd"));
    expect(props["alarmConfiguration"]).toEqual({ enabled: true, alarms: secret(["a", "b"]), __defaults: [] });
  });

  it("an unconfigured provider (unknown config in a preview) returns the raw program inputs from Check", () => {
    const unknownProvider = { ...PROVIDER, properties: { region: "eu-west-1", assumeRoles: [{ roleArn: UNKNOWN_SENTINEL }] } };
    const raw = { ...group, provider: unknownProvider };
    expect(analyzed([raw], group.urn)).toEqual(group.properties);
    // In an update every provider is configured.
    expect(analyzed([raw], group.urn, "update")["deploymentConfigName"]).toBe("CodeDeployDefault.OneAtATime");
  });
});

describe("outputs (AnalyzeStack)", () => {
  it("preview, new resources: checked inputs plus every computed field unknown, typed; no __defaults", () => {
    const props = stacked([application, config, group], group.urn);
    expect(props).toMatchObject({
      deploymentConfigName: "CodeDeployDefault.OneAtATime",
      outdatedInstancesStrategy: "UPDATE",
      computePlatform: TYPED_UNKNOWN_SENTINELS.string,
      arn: TYPED_UNKNOWN_SENTINELS.string,
      id: TYPED_UNKNOWN_SENTINELS.string,
      deploymentGroupId: TYPED_UNKNOWN_SENTINELS.string,
      region: "eu-west-1",
    });
    expect(stacked([application], application.urn)).toMatchObject({
      computePlatform: "Lambda",
      applicationId: TYPED_UNKNOWN_SENTINELS.string,
      linkedToGithub: TYPED_UNKNOWN_SENTINELS.bool,
    });
    const configProps = stacked([config], config.urn);
    expect(configProps).toMatchObject({ deploymentConfigId: TYPED_UNKNOWN_SENTINELS.string, arn: TYPED_UNKNOWN_SENTINELS.string });
    expect(JSON.stringify(configProps)).not.toContain("__defaults");
  });

  it("update: computed fields known, a group's computePlatform from its application", () => {
    const props = stacked([application, config, group], group.urn, "update");
    expect(props["computePlatform"]).toBe("Lambda");
    expect(props["arn"]).toBe("arn:aws:codedeploy:eu-west-1:123456789012:deploymentgroup:scorer/scorer");
    expect(typeof props["deploymentGroupId"]).toBe("string");
    expect(props["deploymentGroupId"]).not.toBe(UNKNOWN_SENTINEL);
    // An application outside the stack: no platform is invented unless one is declared.
    const alone = realEnginePayloads([{ ...group, propertyDependencies: {} }], { mode: "update" }).analyzeStack[0]!.properties;
    expect(alone).not.toHaveProperty("computePlatform");
    const declared = realEnginePayloads([{ ...group, propertyDependencies: {} }], {
      mode: "update",
      externalApplicationPlatforms: { scorer: "ECS" },
    }).analyzeStack[0]!.properties;
    expect(declared["computePlatform"]).toBe("ECS");
  });

  it("alarms are a set in the state: duplicate names collapse", () => {
    const duplicated = { ...group, properties: { ...group.properties, alarmConfiguration: { enabled: true, alarms: ["a", "b", "a"] } } };
    expect(stacked([duplicated], group.urn)["alarmConfiguration"]).toEqual({ enabled: true, alarms: ["a", "b"] });
    // Analyze gets the inputs, duplicates and all.
    expect(analyzed([duplicated], group.urn)["alarmConfiguration"]).toMatchObject({ alarms: ["a", "b", "a"] });
  });

  it("an unconfigured provider in a preview: {} for every resource of that provider, and only those", () => {
    const unknownProvider = { ...PROVIDER, urn: `${PROVIDER.urn}-assumed`, properties: { region: UNKNOWN_SENTINEL } };
    const other = res("aws:s3/bucketV2:BucketV2", "bucket", { bucket: "b" });
    const payloads = realEnginePayloads([{ ...application, provider: unknownProvider }, { ...group, provider: unknownProvider }, other], {
      mode: "preview",
    });
    expect(payloads.analyzeStack.map((item) => item.properties)).toEqual([
      {},
      {},
      { bucket: "b", id: UNKNOWN_SENTINEL, arn: UNKNOWN_SENTINEL },
    ]);
    // Nested provider settings travel JSON-encoded: a sentinel inside one makes the configuration unknown.
    const encoded = { ...PROVIDER, properties: { region: "eu-west-1", assumeRoles: JSON.stringify([{ roleArn: UNKNOWN_SENTINEL }]) } };
    expect(realEnginePayloads([{ ...group, provider: encoded }], { mode: "preview" }).analyzeStack[0]!.properties).toEqual({});
    // Forced by URN too, for a provider whose inputs look known.
    const forced = realEnginePayloads([group], { mode: "preview", unknownProviderConfiguration: [PROVIDER.urn] });
    expect(forced.analyzeStack[0]!.properties).toEqual({});
  });

  it("a property named __proto__ (JSON can hold one) stays a property, in inputs and outputs", () => {
    const odd = JSON.parse('{"__proto__": ["x"], "name": "odd"}') as WireProperties;
    const payloads = realEnginePayloads([{ ...application, properties: { ...odd, tags: secret(odd) } }], { mode: "preview" });
    for (const props of [payloads.analyze[0]!.properties, payloads.analyzeStack[0]!.properties]) {
      expect(Object.hasOwn(props, "__proto__")).toBe(true);
      expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
      expect(props["tags"]).toEqual(secret(odd));
    }
  });

  it("a seeded shuffle: same seed same order, another seed another order, nothing lost", () => {
    const many = Array.from({ length: 30 }, (_, index) => res(CLASSIC_TYPES.application, `app-${index}`, { name: `app-${index}` }));
    const first = realEnginePayloads(many, { mode: "preview", shuffleSeed: 1 }).analyzeStack.map((item) => item.urn);
    expect(realEnginePayloads(many, { mode: "preview", shuffleSeed: 1 }).analyzeStack.map((item) => item.urn)).toEqual(first);
    expect(realEnginePayloads(many, { mode: "preview", shuffleSeed: 2 }).analyzeStack.map((item) => item.urn)).not.toEqual(first);
    expect([...first].sort()).toEqual(many.map((item) => item.urn).sort());
    expect(first).not.toEqual(many.map((item) => item.urn));
    // Analyze keeps registration order.
    expect(realEnginePayloads(many, { mode: "preview", shuffleSeed: 1 }).analyze.map((item) => item.urn)).toEqual(
      many.map((item) => item.urn),
    );
    expect(seededShuffle([], 5)).toEqual([]);
  });
});
