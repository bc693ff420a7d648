// The AWS classic and AWS Native adapters' own fields (the shared settings blocks are pinned in
// blocks.test.ts). A finding names a malformed field by the path the adapter gives it, in the
// provider's own property names (model.ts `Malformed.path`), and a value of the wrong shape is never
// read as a platform or a name. So each field is read from its own property, and a wrong shape in it
// is pinned exactly: path, what was expected and the JSON type found (never the value).
import { describe, expect, it } from "vitest";
import { toModel, type PulumiResource } from "../../policy-pack/adapters";
import { isMalformed, UNKNOWN } from "../../policy-pack/core/model";
import { classic, native, SENTINEL } from "../policies/fixtures";

const malformed = (path: string, expected: string, found: string) => ({ kind: "malformed", path, expected, found });

function modelOf(resource: PulumiResource): Record<string, unknown> {
  const model = toModel(resource);
  if (model === undefined) throw new Error(`${resource.type} is not handled`);
  return model as unknown as Record<string, unknown>;
}

describe("AWS classic deployment group: each field from its own property", () => {
  it("reads every name and string field from the property of the same provider name", () => {
    const model = modelOf(
      classic.group("dg", {
        appName: "inference-api",
        deploymentGroupName: "inference-api-prod",
        deploymentConfigName: "CodeDeployDefault.HalfAtATime",
        computePlatform: "Server",
        outdatedInstancesStrategy: "IGNORE",
      }),
    );
    expect(model).toMatchObject({
      applicationName: "inference-api",
      deploymentGroupName: "inference-api-prod",
      deploymentConfigName: "CodeDeployDefault.HalfAtATime",
      computePlatform: "Server",
      outdatedInstancesStrategy: "IGNORE",
      hasEcsService: false,
    });
  });

  it("names each malformed field by its classic property path", () => {
    const model = modelOf(
      classic.group("dg", {
        appName: 7,
        deploymentGroupName: ["inference-api-prod"],
        deploymentConfigName: true,
        computePlatform: { name: "Server" },
        outdatedInstancesStrategy: 1,
        ecsService: "ranker-svc",
      }),
    );
    expect(model).toMatchObject({
      applicationName: malformed("appName", "string", "number"),
      deploymentGroupName: malformed("deploymentGroupName", "string", "array"),
      deploymentConfigName: malformed("deploymentConfigName", "string", "boolean"),
      computePlatform: malformed("computePlatform", "string", "object"),
      outdatedInstancesStrategy: malformed("outdatedInstancesStrategy", "string", "number"),
      hasEcsService: malformed("ecsService", "object", "string"),
    });
  });

  it("an ECS service block names a service when it has a field of the user's, or is unknown", () => {
    const ecs = (ecsService: unknown) => modelOf(classic.group("dg", { appName: "a", ecsService })).hasEcsService;
    expect(ecs(undefined)).toBe(false);
    expect(ecs({})).toBe(false);
    expect(ecs({ __defaults: [] })).toBe(false);
    expect(ecs({ serviceName: "ranker-svc" })).toBe(true);
    expect(ecs(SENTINEL)).toBe(true);
    expect(ecs([])).toEqual(malformed("ecsService", "object", "array"));
  });
});

describe("AWS classic application and deployment config", () => {
  it("reads an application's name and platform from name and computePlatform", () => {
    expect(modelOf(classic.app("app", { name: "inference-api", computePlatform: "Lambda" }))).toMatchObject({
      kind: "application",
      name: "inference-api",
      computePlatform: "Lambda",
    });
    expect(modelOf(classic.app("app", { name: 3, computePlatform: false }))).toMatchObject({
      name: malformed("name", "string", "number"),
      computePlatform: malformed("computePlatform", "string", "boolean"),
    });
  });

  it("the provider's own fields are not the application's name (the classic application has no applicationName)", () => {
    expect(modelOf(classic.app("app", { applicationName: "inference-api" })).name).toBeUndefined();
  });
});

describe("AWS Native deployment group: each field from its own property", () => {
  it("reads every name and string field from the CloudFormation property of the same name", () => {
    const model = modelOf(
      native.group("dg", {
        applicationName: "inference-api",
        deploymentGroupName: "inference-api-prod",
        deploymentConfigName: "CodeDeployDefault.AllAtOnce",
        outdatedInstancesStrategy: "UPDATE",
      }),
    );
    expect(model).toMatchObject({
      applicationName: "inference-api",
      deploymentGroupName: "inference-api-prod",
      deploymentConfigName: "CodeDeployDefault.AllAtOnce",
      outdatedInstancesStrategy: "UPDATE",
      hasEcsService: false,
    });
  });

  it("names each malformed field by its CloudFormation property path", () => {
    const model = modelOf(
      native.group("dg", {
        applicationName: 7,
        deploymentGroupName: {},
        deploymentConfigName: false,
        outdatedInstancesStrategy: [],
        ecsServices: { serviceName: "ranker-svc" },
      }),
    );
    expect(model).toMatchObject({
      applicationName: malformed("applicationName", "string", "number"),
      deploymentGroupName: malformed("deploymentGroupName", "string", "object"),
      deploymentConfigName: malformed("deploymentConfigName", "string", "boolean"),
      outdatedInstancesStrategy: malformed("outdatedInstancesStrategy", "string", "array"),
      hasEcsService: malformed("ecsServices", "array", "object"),
    });
  });

  it("an ecsServices list names a service when it has an item or is unknown; null and [] name none", () => {
    const ecs = (ecsServices: unknown) => modelOf(native.group("dg", { applicationName: "a", ecsServices })).hasEcsService;
    expect(ecs(undefined)).toBe(false);
    expect(ecs(null)).toBe(false);
    expect(ecs([])).toBe(false);
    expect(ecs([{ clusterName: "c", serviceName: "s" }])).toBe(true);
    expect(ecs(SENTINEL)).toBe(true);
    expect(ecs("ranker-svc")).toEqual(malformed("ecsServices", "array", "string"));
  });

  it("an alarm is { name }: each item and each name is pinned by its index", () => {
    const alarms = (list: unknown) =>
      modelOf(native.group("dg", { applicationName: "a", alarmConfiguration: { enabled: true, alarms: list } })).alarmConfiguration;
    expect(alarms([{ name: "api-5xx" }, { name: SENTINEL }])).toMatchObject({ alarms: ["api-5xx", UNKNOWN] });
    expect(alarms([{ name: 5 }, {}, null, "api-5xx"])).toMatchObject({
      alarms: [
        malformed("alarmConfiguration.alarms[0].name", "string", "number"),
        malformed("alarmConfiguration.alarms[1].name", "string", "null"),
        malformed("alarmConfiguration.alarms[2]", "string", "null"),
        malformed("alarmConfiguration.alarms[3]", "object", "string"),
      ],
    });
  });

  it("the classic property names are not read from a Native group", () => {
    const model = modelOf(native.group("dg", { appName: "inference-api", ecsService: { serviceName: "s" } }));
    expect(model.applicationName).toBeUndefined();
    expect(model.hasEcsService).toBe(false);
  });
});

describe("AWS Native application and deployment config", () => {
  it("reads an application's name and platform from applicationName and computePlatform", () => {
    expect(modelOf(native.app("app", { applicationName: "inference-api", computePlatform: "ECS" }))).toMatchObject({
      kind: "application",
      name: "inference-api",
      computePlatform: "ECS",
    });
    expect(modelOf(native.app("app", { applicationName: ["a"], computePlatform: 1 }))).toMatchObject({
      name: malformed("applicationName", "string", "array"),
      computePlatform: malformed("computePlatform", "string", "number"),
    });
    expect(modelOf(native.app("app", { name: "inference-api" })).name).toBeUndefined();
  });
});

describe("what every model carries: scope and property dependencies", () => {
  it("without provider information or a region: scope `none` with no region key at all, and no dependencies", () => {
    for (const resource of [classic.group("dg", { appName: "a" }), native.group("dg", { applicationName: "a" })]) {
      const model = modelOf(resource);
      expect(model.scope).toStrictEqual({ provider: "none" });
      expect(model.applicationDependencies).toStrictEqual([]);
      expect(model.deploymentConfigDependencies).toStrictEqual([]);
    }
    expect(modelOf(classic.app("app", { name: "a" })).scope).toStrictEqual({ provider: "none" });
  });

  it("the dependencies of each name field are its own", () => {
    const model = modelOf(
      native.group(
        "dg",
        { applicationName: SENTINEL, deploymentConfigName: SENTINEL },
        {
          applicationName: ["urn:app"],
          deploymentConfigName: ["urn:config"],
          serviceRoleArn: ["urn:role"],
        },
      ),
    );
    expect(model.applicationDependencies).toEqual(["urn:app"]);
    expect(model.deploymentConfigDependencies).toEqual(["urn:config"]);
  });
});

describe("a Malformed record is told by its kind and its path, nothing else", () => {
  it("the record an adapter makes is malformed; a settings block, null, undefined or a half record is not", () => {
    expect(isMalformed(malformed("appName", "string", "number"))).toBe(true);
    expect(isMalformed(null)).toBe(false);
    expect(isMalformed(undefined)).toBe(false);
    expect(isMalformed("malformed")).toBe(false);
    expect(isMalformed({ enabled: true, events: [] })).toBe(false);
    expect(isMalformed({ kind: "malformed" })).toBe(false);
    expect(isMalformed({ kind: "malformed", path: 3 })).toBe(false);
    expect(isMalformed({ kind: "deploymentGroup", path: "appName" })).toBe(false);
  });
});
