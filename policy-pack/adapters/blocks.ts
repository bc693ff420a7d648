// Readers for the settings blocks that AWS classic, AWS Native and the CodeDeploy API shape alike.
// Each adapter names its own top-level keys and calls these for the blocks inside.
import {
  isMalformed,
  isUnknown,
  type AlarmModel,
  type AutoRollbackModel,
  type BlueGreenModel,
  type DeploymentConfigModel,
  type Field,
  type Malformed,
  type MinimumHealthyHostsModel,
} from "../core/model";
import { asBoolean, asInteger, asList, asObject, asString, readProperty, type Raw } from "./read";

/** A list item that is null where a value is required. */
export function nullItem(path: string): Malformed {
  return { kind: "malformed", path, expected: "string", found: "null" };
}

export function stringItem(item: Raw, path: string): Field<string> {
  return asString(item, path) ?? nullItem(path);
}

export function autoRollbackFrom(props: Raw): Field<AutoRollbackModel> | undefined {
  return asObject(readProperty(props, "autoRollbackConfiguration"), "autoRollbackConfiguration", (block) => ({
    enabled: asBoolean(readProperty(block, "enabled"), "autoRollbackConfiguration.enabled"),
    events: asList(readProperty(block, "events"), "autoRollbackConfiguration.events", (item, index) =>
      stringItem(item, `autoRollbackConfiguration.events[${index}]`),
    ),
  }));
}

/** `alarmItem` reads one alarm: a name (classic) or `{ name }` (AWS Native, the API). */
export function alarmConfigurationFrom(props: Raw, alarmItem: (item: Raw, path: string) => Field<string>): Field<AlarmModel> | undefined {
  return asObject(readProperty(props, "alarmConfiguration"), "alarmConfiguration", (block) => ({
    enabled: asBoolean(readProperty(block, "enabled"), "alarmConfiguration.enabled"),
    ignorePollAlarmFailure: asBoolean(readProperty(block, "ignorePollAlarmFailure"), "alarmConfiguration.ignorePollAlarmFailure"),
    alarms: asList(readProperty(block, "alarms"), "alarmConfiguration.alarms", (item, index) =>
      alarmItem(item, `alarmConfiguration.alarms[${index}]`),
    ),
  }));
}

/** `key` is `blueGreenDeploymentConfig` (classic) or `blueGreenDeploymentConfiguration` (AWS Native, the API). */
export function blueGreenFrom(props: Raw, key: string): Field<BlueGreenModel> | undefined {
  return asObject(readProperty(props, key), key, (block): BlueGreenModel => {
    const path = `${key}.terminateBlueInstancesOnDeploymentSuccess`;
    const option = asObject(readProperty(block, "terminateBlueInstancesOnDeploymentSuccess"), path, (inner): BlueGreenModel => ({
      terminationAction: asString(readProperty(inner, "action"), `${path}.action`),
      terminationWaitMinutes: asInteger(readProperty(inner, "terminationWaitTimeInMinutes"), `${path}.terminationWaitTimeInMinutes`),
    }));
    // An unknown or malformed option block makes its action so; the rule reads the action first.
    return option === undefined || isUnknown(option) || isMalformed(option) ? { terminationAction: option } : option;
  });
}

/** Reads `props[block][field]` as a string, keeping unknown and malformed states of either level. */
export function asObjectField(props: Raw, block: string, field: string): Field<string> | undefined {
  return asObject(readProperty(props, block), block, (inner) => asString(readProperty(inner, field), `${block}.${field}`));
}

function minimumHealthyHostsFrom(block: Raw, path: string): MinimumHealthyHostsModel {
  return {
    type: asString(readProperty(block, "type"), `${path}.type`),
    value: asInteger(readProperty(block, "value"), `${path}.value`),
  };
}

/** A deployment config's fields: AWS classic, AWS Native and the API name them all the same. */
export function deploymentConfigFields(props: Raw): Omit<DeploymentConfigModel, "kind" | "resource" | "scope" | "unreadable"> {
  const zonalPath = "zonalConfig.minimumHealthyHostsPerZone";
  return {
    name: asString(readProperty(props, "deploymentConfigName"), "deploymentConfigName"),
    computePlatform: asString(readProperty(props, "computePlatform"), "computePlatform"),
    minimumHealthyHosts: asObject(readProperty(props, "minimumHealthyHosts"), "minimumHealthyHosts", (block) =>
      minimumHealthyHostsFrom(block, "minimumHealthyHosts"),
    ),
    trafficRouting: asObject(readProperty(props, "trafficRoutingConfig"), "trafficRoutingConfig", (block) => ({
      type: asString(readProperty(block, "type"), "trafficRoutingConfig.type"),
    })),
    minimumHealthyHostsPerZone: asObject(readProperty(props, "zonalConfig"), "zonalConfig", (block) =>
      asObject(readProperty(block, "minimumHealthyHostsPerZone"), zonalPath, (inner) => minimumHealthyHostsFrom(inner, zonalPath)),
    ),
  };
}
