// Built-in results for the provider lookups (invokes) a CodeDeploy / AI-service program commonly makes,
// shaped like the real results of `@pulumi/aws` 7 (the `Get*Result` interfaces of the installed
// package: every non-optional field is present, with the type it declares), so a program that maps
// over `ids` or reads `names[0]` runs unchanged. The optional fields echo the arguments, as the
// provider does. A token that is not listed here has no built-in result: the runner reports it as a
// missing mock, never as a fault in the program. Everything here is pure and deterministic.

import { createHash } from "node:crypto";
import { MOCK_ACCOUNT_ID } from "./mockState";

export interface LookupContext {
  /** The region of the invoke's provider (or `aws:region`, or the default). */
  readonly region: string;
}

type Args = Readonly<Record<string, unknown>>;
type Lookup = (args: Args, context: LookupContext) => Record<string, unknown>;

function hex(seed: string, length: number): string {
  let out = "";
  for (let counter = 0; out.length < length; counter++) out += createHash("sha256").update(`${seed}#${counter}`).digest("hex");
  return out.slice(0, length);
}

/** A stable seed for an invoke's arguments (key order does not matter). */
function seedOf(token: string, args: Args): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value !== null && typeof value === "object"
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
          )
        : value;
  return `${token}:${JSON.stringify(canonical(args))}`;
}

/** The invoke's own `region` argument (`@pulumi/aws` 7 data sources take one), else the provider's. */
function regionOf(args: Args, context: LookupContext): string {
  return typeof args["region"] === "string" && args["region"] ? args["region"] : context.region;
}

function partitionOf(region: string): { partition: string; dnsSuffix: string; reverseDnsPrefix: string } {
  if (region.startsWith("cn-")) return { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn", reverseDnsPrefix: "cn.com.amazonaws" };
  if (region.startsWith("us-gov-")) return { partition: "aws-us-gov", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
  return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
}

function arn(region: string, service: string, resource: string, account: string = MOCK_ACCOUNT_ID): string {
  return `arn:${partitionOf(region).partition}:${service}:${region}:${account}:${resource}`;
}

/** Availability zone ids as AWS forms them: `use1-az1` for us-east-1, `apse2-az1` for ap-southeast-2. */
function zoneIdPrefix(region: string): string {
  const [area = "us", direction = "east", number = "1"] = region.replace(/^us-gov-/, "us-").split("-");
  const short = direction.replace("north", "n").replace("south", "s").replace("east", "e").replace("west", "w").replace("central", "c");
  return `${area}${short}${number}`;
}

const ZONE_LETTERS = ["a", "b", "c"];

function tagsOf(args: Args): Record<string, unknown> {
  const tags = args["tags"];
  return tags !== null && typeof tags === "object" && !Array.isArray(tags) ? { ...(tags as Record<string, unknown>) } : {};
}

function subnetIds(seed: string): string[] {
  return ZONE_LETTERS.map((letter) => `subnet-${hex(`${seed}/${letter}`, 17)}`);
}

function policyDocumentJson(args: Args, indent: number | undefined): string {
  const statements = Array.isArray(args["statements"]) ? (args["statements"] as Record<string, unknown>[]) : [];
  // The provider writes a one-element list as its only element.
  const single = (list: unknown): unknown => (Array.isArray(list) && list.length === 1 ? (list[0] as unknown) : list);
  const block = (list: unknown): Record<string, unknown> | undefined => {
    if (!Array.isArray(list) || list.length === 0) return undefined;
    const out: Record<string, unknown> = {};
    for (const item of list as { type?: unknown; identifiers?: unknown }[]) {
      out[String(item.type)] = single(item.identifiers);
    }
    return out;
  };
  const document = {
    Version: args["version"] ?? "2012-10-17",
    ...(args["policyId"] ? { Id: args["policyId"] } : {}),
    Statement: statements.map((statement) => ({
      ...(statement["sid"] ? { Sid: statement["sid"] } : {}),
      Effect: statement["effect"] ?? "Allow",
      ...(statement["actions"] ? { Action: single(statement["actions"]) } : {}),
      ...(statement["notActions"] ? { NotAction: single(statement["notActions"]) } : {}),
      ...(statement["resources"] ? { Resource: single(statement["resources"]) } : {}),
      ...(statement["notResources"] ? { NotResource: single(statement["notResources"]) } : {}),
      ...(block(statement["principals"]) ? { Principal: block(statement["principals"]) } : {}),
      ...(block(statement["notPrincipals"]) ? { NotPrincipal: block(statement["notPrincipals"]) } : {}),
    })),
  };
  return JSON.stringify(document, null, indent);
}

const LOOKUPS: Readonly<Record<string, Lookup>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": (_args, context) => ({
    accountId: MOCK_ACCOUNT_ID,
    arn: `arn:${partitionOf(context.region).partition}:sts::${MOCK_ACCOUNT_ID}:assumed-role/check/check-session`,
    id: MOCK_ACCOUNT_ID,
    userId: "AROACHECKMOCKROLEID:check-session",
  }),
  "aws:index/getRegion:getRegion": (args, context) => {
    const region = regionOf(args, context);
    return {
      description: region,
      endpoint: `ec2.${region}.${partitionOf(region).dnsSuffix}`,
      id: region,
      name: region,
      region,
    };
  },
  "aws:index/getPartition:getPartition": (_args, context) => {
    const partition = partitionOf(context.region);
    return { ...partition, id: partition.partition };
  },
  "aws:index/getAvailabilityZones:getAvailabilityZones": (args, context) => {
    const region = regionOf(args, context);
    const excluded = new Set([
      ...(Array.isArray(args["excludeNames"]) ? (args["excludeNames"] as unknown[]) : []),
      ...(Array.isArray(args["excludeZoneIds"]) ? (args["excludeZoneIds"] as unknown[]) : []),
    ]);
    const zones = ZONE_LETTERS.map((letter, index) => ({
      name: `${region}${letter}`,
      zoneId: `${zoneIdPrefix(region)}-az${index + 1}`,
    })).filter((zone) => !excluded.has(zone.name) && !excluded.has(zone.zoneId));
    return {
      ...args,
      groupNames: [region],
      id: region,
      names: zones.map((zone) => zone.name),
      region,
      zoneIds: zones.map((zone) => zone.zoneId),
    };
  },
  "aws:ec2/getVpc:getVpc": (args, context) => {
    const region = regionOf(args, context);
    const id = typeof args["id"] === "string" ? args["id"] : `vpc-${hex(seedOf("vpc", args), 17)}`;
    const cidrBlock = typeof args["cidrBlock"] === "string" ? args["cidrBlock"] : "10.0.0.0/16";
    return {
      ...args,
      arn: arn(region, "ec2", `vpc/${id}`),
      cidrBlock,
      cidrBlockAssociations: [{ associationId: `vpc-cidr-assoc-${hex(id, 17)}`, cidrBlock, state: "associated" }],
      default: args["default"] === true,
      dhcpOptionsId: `dopt-${hex(`${id}/dopt`, 17)}`,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      enableNetworkAddressUsageMetrics: false,
      id,
      instanceTenancy: "default",
      ipv6AssociationId: "",
      ipv6CidrBlock: "",
      ipv6CidrBlockAssociations: [],
      mainRouteTableId: `rtb-${hex(`${id}/main`, 17)}`,
      ownerId: MOCK_ACCOUNT_ID,
      region,
      state: "available",
      tags: tagsOf(args),
    };
  },
  "aws:ec2/getSubnets:getSubnets": (args, context) => ({
    ...args,
    id: regionOf(args, context),
    ids: subnetIds(seedOf("subnets", args)),
    region: regionOf(args, context),
    tags: tagsOf(args),
  }),
  "aws:ec2/getSubnet:getSubnet": (args, context) => {
    const region = regionOf(args, context);
    const id = typeof args["id"] === "string" ? args["id"] : `subnet-${hex(seedOf("subnet", args), 17)}`;
    const zone = typeof args["availabilityZone"] === "string" ? args["availabilityZone"] : `${region}a`;
    return {
      ...args,
      arn: arn(region, "ec2", `subnet/${id}`),
      assignIpv6AddressOnCreation: false,
      availabilityZone: zone,
      availabilityZoneId: `${zoneIdPrefix(region)}-az${Math.max(1, ZONE_LETTERS.indexOf(zone.slice(-1)) + 1)}`,
      availableIpAddressCount: 251,
      cidrBlock: typeof args["cidrBlock"] === "string" ? args["cidrBlock"] : "10.0.1.0/24",
      customerOwnedIpv4Pool: "",
      defaultForAz: args["defaultForAz"] === true,
      enableDns64: false,
      enableLniAtDeviceIndex: 0,
      enableResourceNameDnsARecordOnLaunch: false,
      enableResourceNameDnsAaaaRecordOnLaunch: false,
      id,
      ipv6CidrBlock: "",
      ipv6CidrBlockAssociationId: "",
      ipv6Native: false,
      mapCustomerOwnedIpOnLaunch: false,
      mapPublicIpOnLaunch: false,
      outpostArn: "",
      ownerId: MOCK_ACCOUNT_ID,
      privateDnsHostnameTypeOnLaunch: "ip-name",
      region,
      state: "available",
      tags: tagsOf(args),
      vpcId: typeof args["vpcId"] === "string" ? args["vpcId"] : `vpc-${hex(seedOf("vpc", {}), 17)}`,
    };
  },
  "aws:ec2/getAmi:getAmi": (args, context) => {
    const region = regionOf(args, context);
    const id = `ami-${hex(seedOf("ami", args), 17)}`;
    const snapshot = `snap-${hex(`${id}/root`, 17)}`;
    const owners = Array.isArray(args["owners"]) ? (args["owners"] as unknown[]) : [];
    return {
      ...args,
      architecture: "x86_64",
      arn: `arn:${partitionOf(region).partition}:ec2:${region}::image/${id}`,
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: {
            delete_on_termination: "true",
            encrypted: "false",
            iops: "3000",
            snapshot_id: snapshot,
            throughput: "125",
            volume_size: "8",
            volume_type: "gp3",
          },
          noDevice: "",
          virtualName: "",
        },
      ],
      bootMode: "uefi-preferred",
      creationDate: "2025-01-01T00:00:00.000Z",
      deprecationTime: "2027-01-01T00:00:00.000Z",
      description: "check mock image",
      enaSupport: true,
      hypervisor: "xen",
      id,
      imageId: id,
      imageLocation: `amazon/${id}`,
      imageOwnerAlias: "amazon",
      imageType: "machine",
      imdsSupport: "v2.0",
      kernelId: "",
      lastLaunchedTime: "",
      name: typeof args["nameRegex"] === "string" ? "check-mock-image" : `check-mock-image-${hex(id, 6)}`,
      ownerId: typeof owners[0] === "string" && /^\d{12}$/.test(owners[0]) ? owners[0] : "137112412989",
      platform: "",
      platformDetails: "Linux/UNIX",
      productCodes: [],
      public: true,
      ramdiskId: "",
      region,
      rootDeviceName: "/dev/xvda",
      rootDeviceType: "ebs",
      rootSnapshotId: snapshot,
      sriovNetSupport: "simple",
      state: "available",
      stateReason: { code: "UNSET", message: "UNSET" },
      tags: {},
      tpmSupport: "",
      usageOperation: "RunInstances",
      virtualizationType: "hvm",
    };
  },
  "aws:ec2/getAmiIds:getAmiIds": (args, context) => ({
    ...args,
    id: regionOf(args, context),
    ids: [`ami-${hex(seedOf("ami", args), 17)}`],
    owners: Array.isArray(args["owners"]) ? args["owners"] : [],
    region: regionOf(args, context),
  }),
  "aws:iam/getPolicyDocument:getPolicyDocument": (args) => {
    const json = policyDocumentJson(args, 2);
    return { ...args, id: String(parseInt(hex(json, 8), 16)), json, minifiedJson: policyDocumentJson(args, undefined) };
  },
  "aws:ssm/getParameter:getParameter": (args, context) => {
    const region = regionOf(args, context);
    const name = typeof args["name"] === "string" ? args["name"] : "parameter";
    // The public AMI parameters (`/aws/service/ami-...`) hold an image id; anything else a plain string.
    const value = name.includes("/ami") ? `ami-${hex(seedOf("ssm", { name }), 17)}` : `check-mock-${hex(name, 12)}`;
    return {
      ...args,
      arn: arn(region, "ssm", `parameter${name.startsWith("/") ? name : `/${name}`}`),
      id: name,
      insecureValue: value,
      name,
      region,
      type: "String",
      value,
      version: 1,
    };
  },
};

/** The tokens `check` answers without a mocks file. */
export const BUILT_IN_LOOKUP_TOKENS: readonly string[] = Object.keys(LOOKUPS).sort();

/** The built-in result for an invoke, or undefined when there is none. */
export function builtInLookup(token: string, args: Args, context: LookupContext): Record<string, unknown> | undefined {
  const lookup = LOOKUPS[token];
  return lookup ? lookup(args, context) : undefined;
}
