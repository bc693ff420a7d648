// The settings-block readers AWS classic, AWS Native and the CodeDeploy API share. A value of the wrong
// shape becomes a Malformed record whose path is the provider's own property path: the finding quotes
// it as the field to fix, so each path is pinned exactly here, with what was expected and found.
import { describe, expect, it } from "vitest";
import {
  alarmConfigurationFrom,
  asObjectField,
  autoRollbackFrom,
  blueGreenFrom,
  deploymentConfigFields,
  nullItem,
  stringItem,
} from "../../policy-pack/adapters/blocks";
import { UNKNOWN } from "../../policy-pack/core/model";
import { SENTINEL } from "../policies/fixtures";

const malformed = (path: string, expected: string, found: string) => ({ kind: "malformed", path, expected, found });

describe("list items", () => {
  it("a null item where a name is required is malformed, found null", () => {
    expect(nullItem("alarmConfiguration.alarms[2]")).toEqual(malformed("alarmConfiguration.alarms[2]", "string", "null"));
  });

  it("stringItem keeps a string, an unknown, and reports anything else at its path", () => {
    expect(stringItem("DEPLOYMENT_FAILURE", "p[0]")).toBe("DEPLOYMENT_FAILURE");
    expect(stringItem(UNKNOWN, "p[0]")).toBe(UNKNOWN);
    expect(stringItem(null, "p[1]")).toEqual(malformed("p[1]", "string", "null"));
    expect(stringItem(undefined, "p[1]")).toEqual(malformed("p[1]", "string", "null"));
    expect(stringItem(3, "p[2]")).toEqual(malformed("p[2]", "string", "number"));
  });
});

describe("autoRollbackConfiguration", () => {
  it("reads enabled and the events", () => {
    expect(autoRollbackFrom({ autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE"] } })).toEqual({
      enabled: true,
      events: ["DEPLOYMENT_FAILURE"],
    });
    expect(autoRollbackFrom({})).toBeUndefined();
    expect(autoRollbackFrom({ autoRollbackConfiguration: SENTINEL })).toBe(UNKNOWN);
  });

  it("names each malformed field", () => {
    expect(autoRollbackFrom({ autoRollbackConfiguration: [] })).toEqual(malformed("autoRollbackConfiguration", "object", "array"));
    expect(autoRollbackFrom({ autoRollbackConfiguration: { enabled: "true", events: {} } })).toEqual({
      enabled: malformed("autoRollbackConfiguration.enabled", "boolean", "string"),
      events: malformed("autoRollbackConfiguration.events", "array", "object"),
    });
    expect(autoRollbackFrom({ autoRollbackConfiguration: { events: ["DEPLOYMENT_FAILURE", null, 1] } })).toEqual({
      enabled: undefined,
      events: [
        "DEPLOYMENT_FAILURE",
        malformed("autoRollbackConfiguration.events[1]", "string", "null"),
        malformed("autoRollbackConfiguration.events[2]", "string", "number"),
      ],
    });
  });
});

describe("alarmConfiguration", () => {
  it("reads the flags and the alarms with the adapter's item reader, at each item's path", () => {
    const seen: string[] = [];
    const model = alarmConfigurationFrom(
      { alarmConfiguration: { enabled: true, ignorePollAlarmFailure: false, alarms: ["errors", "latency"] } },
      (item, path) => {
        seen.push(path);
        return stringItem(item, path);
      },
    );
    expect(model).toEqual({ enabled: true, ignorePollAlarmFailure: false, alarms: ["errors", "latency"] });
    expect(seen).toEqual(["alarmConfiguration.alarms[0]", "alarmConfiguration.alarms[1]"]);
  });

  it("names each malformed field", () => {
    expect(alarmConfigurationFrom({ alarmConfiguration: "on" }, stringItem)).toEqual(malformed("alarmConfiguration", "object", "string"));
    expect(
      alarmConfigurationFrom({ alarmConfiguration: { enabled: 1, ignorePollAlarmFailure: "no", alarms: "errors" } }, stringItem),
    ).toEqual({
      enabled: malformed("alarmConfiguration.enabled", "boolean", "number"),
      ignorePollAlarmFailure: malformed("alarmConfiguration.ignorePollAlarmFailure", "boolean", "string"),
      alarms: malformed("alarmConfiguration.alarms", "array", "string"),
    });
  });
});

describe("blue/green termination option", () => {
  const option = "blueGreenDeploymentConfig.terminateBlueInstancesOnDeploymentSuccess";

  it("reads the action and the wait under the adapter's own block name", () => {
    expect(
      blueGreenFrom(
        {
          blueGreenDeploymentConfiguration: {
            terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 90 },
          },
        },
        "blueGreenDeploymentConfiguration",
      ),
    ).toEqual({ terminationAction: "TERMINATE", terminationWaitMinutes: 90 });
    expect(blueGreenFrom({ blueGreenDeploymentConfiguration: {} }, "blueGreenDeploymentConfig")).toBeUndefined();
  });

  it("makes an absent, unknown or malformed option the action itself (the rule reads the action first)", () => {
    expect(blueGreenFrom({ blueGreenDeploymentConfig: {} }, "blueGreenDeploymentConfig")).toEqual({ terminationAction: undefined });
    expect(
      blueGreenFrom({ blueGreenDeploymentConfig: { terminateBlueInstancesOnDeploymentSuccess: SENTINEL } }, "blueGreenDeploymentConfig"),
    ).toEqual({
      terminationAction: UNKNOWN,
    });
    expect(
      blueGreenFrom({ blueGreenDeploymentConfig: { terminateBlueInstancesOnDeploymentSuccess: "TERMINATE" } }, "blueGreenDeploymentConfig"),
    ).toEqual({
      terminationAction: malformed(option, "object", "string"),
    });
  });

  it("names each malformed field", () => {
    expect(blueGreenFrom({ blueGreenDeploymentConfig: true }, "blueGreenDeploymentConfig")).toEqual(
      malformed("blueGreenDeploymentConfig", "object", "boolean"),
    );
    expect(
      blueGreenFrom(
        { blueGreenDeploymentConfig: { terminateBlueInstancesOnDeploymentSuccess: { action: 1, terminationWaitTimeInMinutes: 7.5 } } },
        "blueGreenDeploymentConfig",
      ),
    ).toEqual({
      terminationAction: malformed(`${option}.action`, "string", "number"),
      terminationWaitMinutes: malformed(`${option}.terminationWaitTimeInMinutes`, "integer", "number"),
    });
  });
});

describe("asObjectField", () => {
  it("reads a string inside a block, keeping unknown and malformed states of either level", () => {
    expect(asObjectField({ deploymentStyle: { deploymentType: "BLUE_GREEN" } }, "deploymentStyle", "deploymentType")).toBe("BLUE_GREEN");
    expect(asObjectField({ deploymentStyle: {} }, "deploymentStyle", "deploymentType")).toBeUndefined();
    expect(asObjectField({}, "deploymentStyle", "deploymentType")).toBeUndefined();
    expect(asObjectField({ deploymentStyle: SENTINEL }, "deploymentStyle", "deploymentType")).toBe(UNKNOWN);
    expect(asObjectField({ deploymentStyle: { deploymentType: SENTINEL } }, "deploymentStyle", "deploymentType")).toBe(UNKNOWN);
    expect(asObjectField({ deploymentStyle: "IN_PLACE" }, "deploymentStyle", "deploymentType")).toEqual(
      malformed("deploymentStyle", "object", "string"),
    );
    expect(asObjectField({ deploymentStyle: { deploymentType: ["IN_PLACE"] } }, "deploymentStyle", "deploymentType")).toEqual(
      malformed("deploymentStyle.deploymentType", "string", "array"),
    );
  });
});

describe("deployment config fields", () => {
  it("reads every field", () => {
    expect(
      deploymentConfigFields({
        deploymentConfigName: "fleet-66",
        computePlatform: "Server",
        minimumHealthyHosts: { type: "FLEET_PERCENT", value: 66 },
        zonalConfig: { monitorDurationInSeconds: 300, minimumHealthyHostsPerZone: { type: "HOST_COUNT", value: 1 } },
      }),
    ).toEqual({
      name: "fleet-66",
      computePlatform: "Server",
      minimumHealthyHosts: { type: "FLEET_PERCENT", value: 66 },
      trafficRouting: undefined,
      minimumHealthyHostsPerZone: { type: "HOST_COUNT", value: 1 },
    });
    expect(
      deploymentConfigFields({
        deploymentConfigName: "canary",
        computePlatform: "Lambda",
        trafficRoutingConfig: { type: "TimeBasedCanary" },
      }),
    ).toEqual({
      name: "canary",
      computePlatform: "Lambda",
      minimumHealthyHosts: undefined,
      trafficRouting: { type: "TimeBasedCanary" },
      minimumHealthyHostsPerZone: undefined,
    });
    expect(deploymentConfigFields({ zonalConfig: { monitorDurationInSeconds: 300 } }).minimumHealthyHostsPerZone).toBeUndefined();
  });

  it("names each malformed field", () => {
    expect(
      deploymentConfigFields({
        deploymentConfigName: 5,
        computePlatform: null,
        minimumHealthyHosts: { type: 1, value: "66" },
        trafficRoutingConfig: { type: false },
        zonalConfig: { minimumHealthyHostsPerZone: { type: [], value: 0.5 } },
      }),
    ).toEqual({
      name: malformed("deploymentConfigName", "string", "number"),
      computePlatform: undefined,
      minimumHealthyHosts: {
        type: malformed("minimumHealthyHosts.type", "string", "number"),
        value: malformed("minimumHealthyHosts.value", "integer", "string"),
      },
      trafficRouting: { type: malformed("trafficRoutingConfig.type", "string", "boolean") },
      minimumHealthyHostsPerZone: {
        type: malformed("zonalConfig.minimumHealthyHostsPerZone.type", "string", "array"),
        value: malformed("zonalConfig.minimumHealthyHostsPerZone.value", "integer", "number"),
      },
    });
    expect(
      deploymentConfigFields({
        computePlatform: 0,
        minimumHealthyHosts: 66,
        trafficRoutingConfig: "AllAtOnce",
        zonalConfig: { minimumHealthyHostsPerZone: 1 },
      }),
    ).toEqual({
      name: undefined,
      computePlatform: malformed("computePlatform", "string", "number"),
      minimumHealthyHosts: malformed("minimumHealthyHosts", "object", "number"),
      trafficRouting: malformed("trafficRoutingConfig", "object", "string"),
      minimumHealthyHostsPerZone: malformed("zonalConfig.minimumHealthyHostsPerZone", "object", "number"),
    });
    expect(deploymentConfigFields({ zonalConfig: [] }).minimumHealthyHostsPerZone).toEqual(malformed("zonalConfig", "object", "array"));
  });
});
