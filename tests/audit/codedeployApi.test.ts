// The CodeDeploy API adapter: ARNs, names, types, and the API's shapes onto the model.
import { describe, expect, it } from "vitest";
import {
  accountIdFromArn,
  apiApplication,
  apiDeploymentConfig,
  apiDeploymentGroup,
  CODEDEPLOY_API_TYPES,
  partitionOf,
} from "../../policy-pack/adapters/codedeployApi";

const LOCATION = { region: "eu-west-1", accountId: "111122223333" };

describe("codedeployApi adapter", () => {
  it("names a group by ARN and <application>/<group>, and reads the API's shapes", () => {
    const model = apiDeploymentGroup(
      {
        applicationName: "scorer",
        deploymentGroupName: "prod",
        deploymentConfigName: "CodeDeployDefault.HalfAtATime",
        computePlatform: "Server",
        autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE"] },
        alarmConfiguration: { enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: "errors" }, { name: "latency" }] },
        deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
        blueGreenDeploymentConfiguration: {
          terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 30 },
        },
        outdatedInstancesStrategy: "IGNORE",
        ecsServices: [],
      },
      LOCATION,
    );
    expect(model.resource).toEqual({
      urn: "arn:aws:codedeploy:eu-west-1:111122223333:deploymentgroup:scorer/prod",
      name: "scorer/prod",
      type: CODEDEPLOY_API_TYPES.deploymentGroup,
    });
    expect(model).toMatchObject({
      applicationName: "scorer",
      computePlatform: "Server",
      hasEcsService: false,
      autoRollback: { enabled: true, events: ["DEPLOYMENT_FAILURE"] },
      alarmConfiguration: { enabled: true, ignorePollAlarmFailure: false, alarms: ["errors", "latency"] },
      deploymentType: "BLUE_GREEN",
      blueGreen: { terminationAction: "TERMINATE", terminationWaitMinutes: 30 },
      outdatedInstancesStrategy: "IGNORE",
      applicationDependencies: [],
      deploymentConfigDependencies: [],
    });
  });

  it("reads an empty settings block as unset, and ECS services as ECS", () => {
    const model = apiDeploymentGroup(
      {
        applicationName: "a",
        deploymentGroupName: "g",
        autoRollbackConfiguration: {},
        alarmConfiguration: {},
        deploymentStyle: {},
        blueGreenDeploymentConfiguration: {},
        ecsServices: [{ clusterName: "c", serviceName: "s" }],
      },
      LOCATION,
    );
    expect(model.autoRollback).toBeUndefined();
    expect(model.alarmConfiguration).toBeUndefined();
    expect(model.deploymentType).toBeUndefined();
    expect(model.hasEcsService).toBe(true);
    expect(model.computePlatform).toBeUndefined();
  });

  it("keeps malformed values malformed (never a pass)", () => {
    const model = apiDeploymentGroup(
      { applicationName: "a", deploymentGroupName: "g", autoRollbackConfiguration: { enabled: "yes" }, computePlatform: 3 },
      LOCATION,
    );
    expect(model.autoRollback).toMatchObject({ enabled: { kind: "malformed", path: "autoRollbackConfiguration.enabled" } });
    expect(model.computePlatform).toMatchObject({ kind: "malformed" });
    expect(apiDeploymentGroup(null, LOCATION).resource.name).toBe("/");
  });

  it("maps deployment configs and applications", () => {
    const config = apiDeploymentConfig(
      {
        deploymentConfigName: "fleet-75",
        computePlatform: "Server",
        minimumHealthyHosts: { type: "FLEET_PERCENT", value: 75 },
        zonalConfig: { minimumHealthyHostsPerZone: { type: "HOST_COUNT", value: 1 } },
      },
      LOCATION,
    );
    expect(config).toMatchObject({
      resource: {
        urn: "arn:aws:codedeploy:eu-west-1:111122223333:deploymentconfig:fleet-75",
        name: "fleet-75",
        type: CODEDEPLOY_API_TYPES.deploymentConfig,
      },
      computePlatform: "Server",
      minimumHealthyHosts: { type: "FLEET_PERCENT", value: 75 },
      minimumHealthyHostsPerZone: { type: "HOST_COUNT", value: 1 },
    });
    const lambda = apiDeploymentConfig(
      {
        deploymentConfigName: "canary",
        computePlatform: "Lambda",
        trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } },
      },
      LOCATION,
    );
    expect(lambda.trafficRouting).toEqual({ type: "TimeBasedCanary" });
    expect(apiApplication({ applicationName: "scorer", computePlatform: "Lambda" }, LOCATION)).toEqual({
      kind: "application",
      resource: {
        urn: "arn:aws:codedeploy:eu-west-1:111122223333:application:scorer",
        name: "scorer",
        type: CODEDEPLOY_API_TYPES.application,
      },
      // A name only resolves within the account and region it was read in (docs/resolution.md).
      scope: { provider: "account:111122223333", region: "eu-west-1" },
      name: "scorer",
      computePlatform: "Lambda",
    });
  });

  it("scopes every live resource to the account and region it was read from", () => {
    const other = { region: "us-east-1", accountId: "444455556666" };
    expect(apiDeploymentGroup({ applicationName: "a", deploymentGroupName: "g" }, LOCATION).scope).toEqual({
      provider: "account:111122223333",
      region: "eu-west-1",
    });
    expect(apiDeploymentConfig({ deploymentConfigName: "c" }, other).scope).toEqual({
      provider: "account:444455556666",
      region: "us-east-1",
    });
  });

  it("knows partitions and account ids", () => {
    expect(partitionOf("cn-north-1")).toBe("aws-cn");
    expect(partitionOf("us-gov-west-1")).toBe("aws-us-gov");
    expect(partitionOf("us-east-1")).toBe("aws");
    expect(apiApplication({ applicationName: "x" }, { region: "cn-north-1", accountId: "111122223333" }).resource.urn).toBe(
      "arn:aws-cn:codedeploy:cn-north-1:111122223333:application:x",
    );
    expect(accountIdFromArn("arn:aws:iam::123456789012:role/r")).toBe("123456789012");
    expect(accountIdFromArn("not-an-arn")).toBeUndefined();
    expect(accountIdFromArn(42)).toBeUndefined();
  });
});
