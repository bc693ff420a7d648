// Issue 12: built-in lookup results have the shape of the real ones (every field the installed
// @pulumi/aws declares as always present), the mocks file is validated and matched as documented, and
// URNs are formed as the engine forms them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILT_IN_LOOKUP_TOKENS, builtInLookup, engineUrn, normalizeUrn } from "../../packages/tools/src/mocks";
import { mockedInvoke, parseMocksFile, stackReferenceOutputs } from "../../packages/tools/src/mocks/mocksFile";
import { InputError } from "../../packages/tools/src/shared/inputError";

const AWS = join(__dirname, "..", "..", "node_modules", "@pulumi", "aws");

/** The token a lookup module invokes and the required fields of its `Get...Result`, read from the installed package. */
function declared(module: string): { token: string; required: string[] } {
  const name = module.split("/").pop()!;
  const js = readFileSync(join(AWS, `${module}.js`), "utf8");
  const token = /invoke\("([^"]+)"/.exec(js)?.[1];
  const dts = readFileSync(join(AWS, `${module}.d.ts`), "utf8");
  const result = new RegExp(`export interface ${name[0]!.toUpperCase()}${name.slice(1)}Result \\{([\\s\\S]*?)\\n\\}`).exec(dts)?.[1];
  if (!token || !result) throw new Error(`cannot read ${module} from @pulumi/aws`);
  const required = [...result.matchAll(/^\s+readonly (\w+): /gm)].map((match) => match[1]!);
  return { token, required };
}

const MODULES = [
  "getCallerIdentity",
  "getRegion",
  "getPartition",
  "getAvailabilityZones",
  "ec2/getVpc",
  "ec2/getSubnets",
  "ec2/getSubnet",
  "ec2/getAmi",
  "ec2/getAmiIds",
  "iam/getPolicyDocument",
  "ssm/getParameter",
];

describe("built-in lookups", () => {
  it.each(MODULES)("%s: the real token and every required field of its result", (module) => {
    const { token, required } = declared(module);
    expect(BUILT_IN_LOOKUP_TOKENS).toContain(token);
    const result = builtInLookup(token, {}, { region: "eu-west-1" })!;
    const missing = required.filter((field) => result[field] === undefined);
    expect(missing, `${token} lacks ${missing.join(", ")}`).toEqual([]);
  });

  it("covers exactly the listed modules, so a new built-in comes with its shape test", () => {
    expect(BUILT_IN_LOOKUP_TOKENS).toEqual(MODULES.map((module) => declared(module).token).sort());
  });

  it("answers in the provider's region and in the shapes programs index into", () => {
    const zones = builtInLookup(
      "aws:index/getAvailabilityZones:getAvailabilityZones",
      { state: "available" },
      { region: "ap-southeast-2" },
    )!;
    expect(zones["names"]).toEqual(["ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"]);
    expect(zones["zoneIds"]).toEqual(["apse2-az1", "apse2-az2", "apse2-az3"]);
    expect(zones["state"]).toBe("available");
    const excluded = builtInLookup(
      "aws:index/getAvailabilityZones:getAvailabilityZones",
      { excludeNames: ["eu-west-1b"] },
      { region: "eu-west-1" },
    )!;
    expect(excluded["names"]).toEqual(["eu-west-1a", "eu-west-1c"]);
    const subnets = builtInLookup(
      "aws:ec2/getSubnets:getSubnets",
      { filters: [{ name: "vpc-id", values: ["vpc-1"] }] },
      { region: "us-east-1" },
    )!;
    expect(subnets["ids"]).toEqual([expect.stringMatching(/^subnet-[0-9a-f]{17}$/), expect.any(String), expect.any(String)]);
    // Deterministic: the same arguments give the same ids, others different ones.
    expect(
      builtInLookup("aws:ec2/getSubnets:getSubnets", { filters: [{ values: ["vpc-1"], name: "vpc-id" }] }, { region: "us-east-1" })!["ids"],
    ).toEqual(subnets["ids"]);
    expect(
      builtInLookup("aws:ec2/getSubnets:getSubnets", { filters: [{ name: "vpc-id", values: ["vpc-2"] }] }, { region: "us-east-1" })!["ids"],
    ).not.toEqual(subnets["ids"]);
    // An invoke's own region argument wins over the provider's.
    expect(builtInLookup("aws:index/getRegion:getRegion", { region: "eu-central-1" }, { region: "us-east-1" })!["region"]).toBe(
      "eu-central-1",
    );
    expect(builtInLookup("aws:index/getPartition:getPartition", {}, { region: "cn-north-1" })!["partition"]).toBe("aws-cn");
  });

  it("renders an IAM policy document as the provider does", () => {
    const document = builtInLookup(
      "aws:iam/getPolicyDocument:getPolicyDocument",
      { statements: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["codedeploy.amazonaws.com"] }] }] },
      { region: "us-east-1" },
    )!;
    expect(JSON.parse(document["json"] as string)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "codedeploy.amazonaws.com" } }],
    });
    expect(document["minifiedJson"]).toBe(JSON.stringify(JSON.parse(document["json"] as string)));
  });

  it("has no result for a token it does not know", () => {
    expect(builtInLookup("aws:ecs/getCluster:getCluster", { clusterName: "x" }, { region: "us-east-1" })).toBeUndefined();
  });
});

describe("the mocks file", () => {
  const file = parseMocksFile(
    {
      invokes: {
        "aws:ecs/getCluster:getCluster": { arn: "arn:aws:ecs:us-east-1:123456789012:cluster/a" },
        "aws:lambda/getFunction:getFunction": [
          { args: { functionName: "predict" }, result: { arn: "predict-arn" } },
          { args: { functionName: "train", qualifier: "live" }, result: { arn: "train-live-arn" } },
        ],
      },
      stackReferences: { "acme/monitoring/prod": { alarmNames: ["a"] } },
    },
    "mocks.json",
  );

  it("answers a token with its result, or with the first case whose args all match", () => {
    expect(mockedInvoke(file, "aws:ecs/getCluster:getCluster", { clusterName: "anything" })).toEqual({
      kind: "result",
      result: { arn: "arn:aws:ecs:us-east-1:123456789012:cluster/a" },
    });
    expect(mockedInvoke(file, "aws:lambda/getFunction:getFunction", { functionName: "train", qualifier: "live" })).toEqual({
      kind: "result",
      result: { arn: "train-live-arn" },
    });
    expect(mockedInvoke(file, "aws:lambda/getFunction:getFunction", { functionName: "train" })).toEqual({ kind: "no-match" });
    expect(mockedInvoke(file, "aws:iam/getRole:getRole", {})).toEqual({ kind: "absent" });
  });

  it("finds a stack reference by its full name or relative to the program's organization and project", () => {
    expect(stackReferenceOutputs(file, "acme/monitoring/prod", "organization", "p")).toEqual({ alarmNames: ["a"] });
    expect(stackReferenceOutputs(file, "monitoring/prod", "acme", "p")).toEqual({ alarmNames: ["a"] });
    expect(stackReferenceOutputs(file, "prod", "acme", "monitoring")).toEqual({ alarmNames: ["a"] });
    expect(stackReferenceOutputs(file, "prod", "acme", "other")).toBeUndefined();
  });

  it.each([
    [[], /a mocks file is a JSON object/],
    [{ invoke: {} }, /unknown section "invoke"/],
    [{ invokes: [] }, /"invokes" must be an object/],
    [{ invokes: { getVpc: {} } }, /"getVpc" is not an invoke token/],
    [{ invokes: { "aws:ec2/getVpc:getVpc": [] } }, /must be a result object or a non-empty list/],
    [{ invokes: { "aws:ec2/getVpc:getVpc": [{ args: {} }] } }, /\[0\] must be an object with a "result" object/],
    [{ invokes: { "aws:ec2/getVpc:getVpc": [{ result: {}, arg: {} }] } }, /unknown key "arg"/],
    [{ stackReferences: { "a/b/c/d": {} } }, /"a\/b\/c\/d" is not a stack name/],
    [{ stackReferences: { "a/b/c": [] } }, /must be an object of outputs/],
    [{ resources: { "aws:s3/bucketV2:BucketV2": {} } }, /is not "<type>::<name>"/],
  ])("refuses %j with a one-line reason", (raw, reason) => {
    expect(() => parseMocksFile(raw, "--mocks m.json")).toThrow(InputError);
    try {
      parseMocksFile(raw, "--mocks m.json");
    } catch (error) {
      expect((error as Error).message).toMatch(reason);
      expect((error as Error).message).toMatch(/^--mocks m\.json: /);
      expect((error as Error).message).not.toContain("\n");
    }
  });
});

describe("URNs", () => {
  // The engine's format (engine-facts.md, URNs): no pulumi:pulumi:Stack in the type chain.
  const STACK = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev";
  const GROUP = "aws:codedeploy/deploymentGroup:DeploymentGroup";

  it("leaves the root stack out and keeps every ancestor's type", () => {
    expect(engineUrn("dev", "proj", undefined, "pulumi:pulumi:Stack", "proj-dev")).toBe(STACK);
    expect(engineUrn("dev", "proj", STACK, GROUP, "grp")).toBe(`urn:pulumi:dev::proj::${GROUP}::grp`);
    const service = engineUrn("dev", "proj", STACK, "acme:Service", "svc");
    expect(service).toBe("urn:pulumi:dev::proj::acme:Service::svc");
    const rollout = engineUrn("dev", "proj", service, "acme:Rollout", "r");
    expect(engineUrn("dev", "proj", rollout, GROUP, "grp")).toBe(`urn:pulumi:dev::proj::acme:Service$acme:Rollout$${GROUP}::grp`);
  });

  it("reads a URN an older check wrote in the engine's form", () => {
    expect(normalizeUrn(`urn:pulumi:dev::proj::pulumi:pulumi:Stack$${GROUP}::grp`)).toBe(`urn:pulumi:dev::proj::${GROUP}::grp`);
    expect(normalizeUrn(`urn:pulumi:dev::proj::acme:Service$${GROUP}::grp`)).toBe(`urn:pulumi:dev::proj::acme:Service$${GROUP}::grp`);
    expect(normalizeUrn(STACK)).toBe(STACK);
  });
});
