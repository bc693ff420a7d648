// The CodeDeploy API adapter (audit's view of a live account), pinned where tests/audit/codedeployApi.test.ts
// leaves it open: the exact resource types and ARNs, account ids taken from ARNs, which empty blocks
// count as unset, and the field paths of malformed values (a finding names the field to fix).
import { describe, expect, it } from "vitest";
import {
  accountIdFromArn,
  apiApplication,
  apiDeploymentConfig,
  apiDeploymentGroup,
  applicationArn,
  deploymentConfigArn,
  deploymentGroupArn,
  partitionOf,
} from "../../policy-pack/adapters/codedeployApi";

const LOCATION = { region: "eu-west-1", accountId: "111122223333" };

describe("resource types", () => {
  it("are the CloudFormation type names, as audit reports them", () => {
    expect(apiDeploymentGroup({ applicationName: "a", deploymentGroupName: "g" }, LOCATION).resource.type).toBe(
      "AWS::CodeDeploy::DeploymentGroup",
    );
    expect(apiDeploymentConfig({ deploymentConfigName: "c" }, LOCATION).resource.type).toBe("AWS::CodeDeploy::DeploymentConfig");
    expect(apiApplication({ applicationName: "a" }, LOCATION).resource.type).toBe("AWS::CodeDeploy::Application");
  });
});

describe("ARNs", () => {
  it("follow CodeDeploy's resource formats", () => {
    expect(applicationArn(LOCATION, "scorer")).toBe("arn:aws:codedeploy:eu-west-1:111122223333:application:scorer");
    expect(deploymentGroupArn(LOCATION, "scorer", "prod")).toBe("arn:aws:codedeploy:eu-west-1:111122223333:deploymentgroup:scorer/prod");
    expect(deploymentConfigArn(LOCATION, "fleet-75")).toBe("arn:aws:codedeploy:eu-west-1:111122223333:deploymentconfig:fleet-75");
  });

  it("take the partition from the region unless one is given", () => {
    expect(applicationArn({ region: "us-gov-east-1", accountId: "111122223333" }, "a")).toBe(
      "arn:aws-us-gov:codedeploy:us-gov-east-1:111122223333:application:a",
    );
    // A partition the region prefix does not reveal (the European Sovereign Cloud) is passed in.
    expect(applicationArn({ region: "eusc-de-east-1", accountId: "111122223333", partition: "aws-eusc" }, "a")).toBe(
      "arn:aws-eusc:codedeploy:eusc-de-east-1:111122223333:application:a",
    );
  });

  it("leave the account field empty when the account id could not be learnt", () => {
    expect(deploymentConfigArn({ region: "eu-west-1", accountId: "" }, "c")).toBe("arn:aws:codedeploy:eu-west-1::deploymentconfig:c");
  });

  it("are named from the API's own names; a missing or non-string name is empty, never `undefined`", () => {
    expect(apiDeploymentGroup({ applicationName: 42, deploymentGroupName: "g" }, LOCATION).resource).toMatchObject({
      urn: "arn:aws:codedeploy:eu-west-1:111122223333:deploymentgroup:/g",
      name: "/g",
    });
    expect(apiDeploymentConfig({}, LOCATION).resource).toMatchObject({
      urn: "arn:aws:codedeploy:eu-west-1:111122223333:deploymentconfig:",
      name: "",
    });
    expect(apiApplication({ applicationName: null }, LOCATION).resource.name).toBe("");
  });
});

describe("partitionOf", () => {
  it("knows the China and GovCloud partitions by prefix only", () => {
    expect(partitionOf("cn-northwest-1")).toBe("aws-cn");
    expect(partitionOf("us-gov-east-1")).toBe("aws-us-gov");
    // Names that merely contain those letters are ordinary regions.
    expect(partitionOf("eu-central-1")).toBe("aws");
    expect(partitionOf("ap-southeast-cn-1")).toBe("aws");
    expect(partitionOf("us-govx-1")).toBe("aws");
  });
});

describe("accountIdFromArn", () => {
  it("reads the 12-digit account of any partition, service and region", () => {
    expect(accountIdFromArn("arn:aws-cn:iam::210987654321:role/codedeploy")).toBe("210987654321");
    expect(accountIdFromArn("arn:aws:codedeploy:eu-west-1:111122223333:deploymentgroup:a/g")).toBe("111122223333");
    expect(accountIdFromArn("arn:aws-us-gov:sts::123456789012:assumed-role/r/s")).toBe("123456789012");
  });

  it("finds none where the ARN has no 12-digit account, or is not an ARN", () => {
    expect(accountIdFromArn("arn:aws:s3:::revisions-bucket")).toBeUndefined();
    expect(accountIdFromArn("arn:aws:iam::12345678901:role/r")).toBeUndefined();
    expect(accountIdFromArn("arn:aws:iam::1234567890123:role/r")).toBeUndefined();
    expect(accountIdFromArn("see arn:aws:iam::123456789012:role/r")).toBeUndefined();
    expect(accountIdFromArn("arn::iam::123456789012:role/r")).toBeUndefined();
    expect(accountIdFromArn(undefined)).toBeUndefined();
    expect(accountIdFromArn(null)).toBeUndefined();
  });
});

describe("empty and odd settings blocks", () => {
  const group = (blocks: Record<string, unknown>) =>
    apiDeploymentGroup({ applicationName: "a", deploymentGroupName: "g", ...blocks }, LOCATION);

  it("reads an empty blue/green block as unset (no termination option, not an unset one)", () => {
    expect(group({ blueGreenDeploymentConfiguration: {} }).blueGreen).toBeUndefined();
    expect(group({ blueGreenDeploymentConfiguration: { deploymentReadyOption: {} } }).blueGreen).toEqual({ terminationAction: undefined });
  });

  it("reads null blocks as unset", () => {
    const model = group({ autoRollbackConfiguration: null, alarmConfiguration: null, blueGreenDeploymentConfiguration: null });
    expect(model.autoRollback).toBeUndefined();
    expect(model.alarmConfiguration).toBeUndefined();
    expect(model.blueGreen).toBeUndefined();
  });

  it("keeps a block of the wrong shape malformed, empty or not (never dropped as unset)", () => {
    const model = group({ autoRollbackConfiguration: "", alarmConfiguration: [], blueGreenDeploymentConfiguration: 0 });
    expect(model.autoRollback).toEqual({ kind: "malformed", path: "autoRollbackConfiguration", expected: "object", found: "string" });
    expect(model.alarmConfiguration).toEqual({ kind: "malformed", path: "alarmConfiguration", expected: "object", found: "array" });
    expect(model.blueGreen).toEqual({ kind: "malformed", path: "blueGreenDeploymentConfiguration", expected: "object", found: "number" });
  });

  it("keeps a non-empty block as the API sent it", () => {
    expect(group({ alarmConfiguration: { enabled: false } }).alarmConfiguration).toEqual({
      enabled: false,
      ignorePollAlarmFailure: undefined,
      alarms: undefined,
    });
  });

  it("does not change the API's answer it was given", () => {
    const info = { applicationName: "a", deploymentGroupName: "g", alarmConfiguration: {} };
    group(info);
    expect(info).toEqual({ applicationName: "a", deploymentGroupName: "g", alarmConfiguration: {} });
  });
});

describe("malformed values name their field", () => {
  it("in a group", () => {
    const model = apiDeploymentGroup({ applicationName: 7, deploymentGroupName: "g", computePlatform: 3, ecsServices: {} }, LOCATION);
    expect(model.applicationName).toEqual({ kind: "malformed", path: "applicationName", expected: "string", found: "number" });
    expect(model.computePlatform).toEqual({ kind: "malformed", path: "computePlatform", expected: "string", found: "number" });
    expect(model.hasEcsService).toEqual({ kind: "malformed", path: "ecsServices", expected: "array", found: "object" });
  });

  it("in an application", () => {
    expect(apiApplication({ applicationName: ["a"], computePlatform: false }, LOCATION)).toMatchObject({
      name: { kind: "malformed", path: "applicationName", expected: "string", found: "array" },
      computePlatform: { kind: "malformed", path: "computePlatform", expected: "string", found: "boolean" },
    });
  });

  it("in a deployment config", () => {
    expect(apiDeploymentConfig({ deploymentConfigName: "c", computePlatform: 1 }, LOCATION).computePlatform).toEqual({
      kind: "malformed",
      path: "computePlatform",
      expected: "string",
      found: "number",
    });
  });
});

describe("what the API states", () => {
  it("leaves computePlatform unset when the API leaves it out (a config's platform is then Server, by the rules)", () => {
    expect(apiDeploymentConfig({ deploymentConfigName: "c" }, LOCATION).computePlatform).toBeUndefined();
    expect(apiApplication({ applicationName: "a" }, LOCATION).computePlatform).toBeUndefined();
  });

  it("has no property dependencies: a live group names its application and config by name only", () => {
    const model = apiDeploymentGroup({ applicationName: "a", deploymentGroupName: "g", deploymentConfigName: "c" }, LOCATION);
    expect(model.applicationDependencies).toEqual([]);
    expect(model.deploymentConfigDependencies).toEqual([]);
    expect(model).toMatchObject({ kind: "deploymentGroup", applicationName: "a", deploymentGroupName: "g", deploymentConfigName: "c" });
  });
});
