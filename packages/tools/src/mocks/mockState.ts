// What the mocks answer when a program registers a resource or calls an invoke: realistic ids, ARNs,
// autonamed names and provider-computed outputs, so a program that feeds one resource's outputs
// into another completes. Everything here is pure and works in the engine's wire encoding (unknowns
// are the sentinel string, secrets the signature object), so it can be unit-tested without Pulumi.
//
// Preview vs update: in a real preview the engine plans a create with the inputs it knows and leaves
// every provider-computed output (ids, ARNs, autonamed names) unknown. The preview mock does the same:
// it echoes the inputs and returns no id, so the SDK resolves every other output as unknown and
// dependents see the unknown sentinel in their inputs. The update mock returns the inputs plus the
// computed outputs a provider would return after the create.

import { createHash } from "node:crypto";
import { UNKNOWN_SENTINEL, type WireProperties, type WireValue } from "../engine/types";

export const MOCK_ACCOUNT_ID = "123456789012";
export const DEFAULT_REGION = "us-east-1";

export type RecordMode = "preview" | "update";

export interface MockResourceRequest {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** Inputs in wire encoding. */
  readonly inputs: WireProperties;
  /** Region of the provider the resource uses (explicit provider input, else `aws:region`). */
  readonly region: string;
  /** Import id or the id of a read (`Resource.get`), when the program gave one. */
  readonly importId?: string;
}

export interface MockResourceResponse {
  /** Undefined in preview for a create: the engine does not know the id yet. */
  readonly id: string | undefined;
  readonly state: WireProperties;
}

/** Looks up the state (wire encoding) of an already registered resource. */
export interface MockLookup {
  findByType(type: string): readonly { urn: string; inputs: WireProperties; state: WireProperties }[];
}

function hex(seed: string, length: number): string {
  let out = "";
  let counter = 0;
  while (out.length < length) {
    out += createHash("sha256").update(`${seed}#${counter++}`).digest("hex");
  }
  return out.slice(0, length);
}

function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function str(value: WireValue | undefined): string | undefined {
  return typeof value === "string" && value !== UNKNOWN_SENTINEL ? value : undefined;
}

/** The Pulumi autoname: logical name plus a 7-hex-digit random suffix (deterministic here), within `maxLength`. */
export function autoname(logicalName: string, seed: string, maxLength = 255): string {
  const suffix = `-${hex(seed, 7)}`;
  return logicalName.slice(0, Math.max(1, maxLength - suffix.length)) + suffix;
}

interface TypeMock {
  /** The property that carries the resource's physical name (autonamed when the program leaves it out). */
  readonly nameProperty?: string;
  readonly maxNameLength?: number;
  readonly id?: (ctx: Ctx) => string;
  readonly outputs?: (ctx: Ctx) => WireProperties;
}

interface Ctx {
  readonly req: MockResourceRequest;
  readonly inputs: WireProperties;
  readonly name: string;
  readonly region: string;
  readonly seed: string;
  readonly lookup: MockLookup;
}

const arn = (service: string, region: string, resource: string) => `arn:aws:${service}:${region}:${MOCK_ACCOUNT_ID}:${resource}`;

const prefixedId = (prefix: string) => (ctx: Ctx) => `${prefix}-${hex(ctx.seed, 17)}`;

function elbSuffix(ctx: Ctx, kind: string): string {
  return `${kind}/${ctx.name}/${hex(ctx.seed, 16)}`;
}

const TYPES: Record<string, TypeMock> = {
  "pulumi:providers:aws": { id: (ctx) => uuid(ctx.seed) },
  "aws:codedeploy/application:Application": {
    nameProperty: "name",
    maxNameLength: 100,
    id: (ctx) => `${uuid(ctx.seed)}:${ctx.name}`,
    outputs: (ctx) => ({
      applicationId: uuid(ctx.seed),
      arn: arn("codedeploy", ctx.region, `application:${ctx.name}`),
      computePlatform: ctx.inputs["computePlatform"] ?? "Server",
      linkedToGithub: false,
    }),
  },
  "aws:codedeploy/deploymentConfig:DeploymentConfig": {
    nameProperty: "deploymentConfigName",
    maxNameLength: 100,
    id: (ctx) => ctx.name,
    outputs: (ctx) => ({
      arn: arn("codedeploy", ctx.region, `deploymentconfig:${ctx.name}`),
      computePlatform: ctx.inputs["computePlatform"] ?? "Server",
      deploymentConfigId: uuid(ctx.seed),
    }),
  },
  "aws:codedeploy/deploymentGroup:DeploymentGroup": {
    nameProperty: "deploymentGroupName",
    id: (ctx) => uuid(ctx.seed),
    outputs: (ctx) => {
      const appName = str(ctx.inputs["appName"]);
      const app = ctx.lookup.findByType("aws:codedeploy/application:Application").find((a) => str(a.state["name"]) === appName);
      return {
        arn: arn("codedeploy", ctx.region, `deploymentgroup:${appName ?? "app"}/${ctx.name}`),
        computePlatform: app?.state["computePlatform"] ?? "Server",
        deploymentConfigName: ctx.inputs["deploymentConfigName"] ?? "CodeDeployDefault.OneAtATime",
        deploymentGroupId: uuid(ctx.seed),
        outdatedInstancesStrategy: ctx.inputs["outdatedInstancesStrategy"] ?? "UPDATE",
        terminationHookEnabled: ctx.inputs["terminationHookEnabled"] ?? false,
      };
    },
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": {
    nameProperty: "name",
    id: (ctx) => ctx.name,
    outputs: (ctx) => ({
      arn: arn("cloudwatch", ctx.region, `alarm:${ctx.name}`),
      actionsEnabled: ctx.inputs["actionsEnabled"] ?? true,
      treatMissingData: ctx.inputs["treatMissingData"] ?? "missing",
    }),
  },
  "aws:cloudwatch/logGroup:LogGroup": {
    nameProperty: "name",
    maxNameLength: 512,
    id: (ctx) => ctx.name,
    outputs: (ctx) => ({ arn: arn("logs", ctx.region, `log-group:${ctx.name}`) }),
  },
  "aws:sns/topic:Topic": {
    nameProperty: "name",
    maxNameLength: 256,
    id: (ctx) => arn("sns", ctx.region, ctx.name),
    outputs: (ctx) => ({ arn: arn("sns", ctx.region, ctx.name), owner: MOCK_ACCOUNT_ID }),
  },
  "aws:sns/topicSubscription:TopicSubscription": {
    id: (ctx) => `${str(ctx.inputs["topic"]) ?? arn("sns", ctx.region, "topic")}:${uuid(ctx.seed)}`,
    outputs: (ctx) => ({ arn: `${str(ctx.inputs["topic"]) ?? arn("sns", ctx.region, "topic")}:${uuid(ctx.seed)}` }),
  },
  "aws:iam/role:Role": {
    nameProperty: "name",
    maxNameLength: 64,
    id: (ctx) => ctx.name,
    outputs: (ctx) => ({
      arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role${str(ctx.inputs["path"]) ?? "/"}${ctx.name}`,
      uniqueId: `AROA${hex(ctx.seed, 17).toUpperCase()}`,
      createDate: "2024-01-01T00:00:00Z",
    }),
  },
  "aws:iam/policy:Policy": {
    nameProperty: "name",
    maxNameLength: 128,
    id: (ctx) => `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${ctx.name}`,
    outputs: (ctx) => ({
      arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${ctx.name}`,
      policyId: `ANPA${hex(ctx.seed, 17).toUpperCase()}`,
    }),
  },
  "aws:iam/rolePolicy:RolePolicy": {
    nameProperty: "name",
    id: (ctx) => `${str(ctx.inputs["role"]) ?? "role"}:${ctx.name}`,
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    id: (ctx) => `${str(ctx.inputs["role"]) ?? "role"}-${hex(ctx.seed, 26)}`,
  },
  "aws:iam/instanceProfile:InstanceProfile": {
    nameProperty: "name",
    maxNameLength: 128,
    id: (ctx) => ctx.name,
    outputs: (ctx) => ({
      arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:instance-profile/${ctx.name}`,
      uniqueId: `AIPA${hex(ctx.seed, 17).toUpperCase()}`,
    }),
  },
  "aws:lambda/function:Function": {
    nameProperty: "name",
    maxNameLength: 64,
    id: (ctx) => ctx.name,
    outputs: (ctx) => {
      const fnArn = arn("lambda", ctx.region, `function:${ctx.name}`);
      const version = ctx.inputs["publish"] === true ? "1" : "$LATEST";
      return {
        arn: fnArn,
        invokeArn: `arn:aws:apigateway:${ctx.region}:lambda:path/2015-03-31/functions/${fnArn}/invocations`,
        qualifiedArn: `${fnArn}:${version}`,
        qualifiedInvokeArn: `arn:aws:apigateway:${ctx.region}:lambda:path/2015-03-31/functions/${fnArn}:${version}/invocations`,
        version,
        lastModified: "2024-01-01T00:00:00.000+0000",
        sourceCodeHash: Buffer.from(hex(ctx.seed, 32), "hex").toString("base64"),
        sourceCodeSize: 1024,
        memorySize: ctx.inputs["memorySize"] ?? 128,
        timeout: ctx.inputs["timeout"] ?? 3,
        packageType: ctx.inputs["packageType"] ?? "Zip",
      };
    },
  },
  "aws:lambda/alias:Alias": {
    nameProperty: "name",
    outputs: (ctx) => {
      const fn = str(ctx.inputs["functionName"]) ?? "function";
      const fnArn = fn.startsWith("arn:") ? fn : arn("lambda", ctx.region, `function:${fn}`);
      const aliasArn = `${fnArn}:${ctx.name}`;
      return {
        arn: aliasArn,
        invokeArn: `arn:aws:apigateway:${ctx.region}:lambda:path/2015-03-31/functions/${aliasArn}/invocations`,
      };
    },
    id: (ctx) => {
      const fn = str(ctx.inputs["functionName"]) ?? "function";
      return `${fn.startsWith("arn:") ? fn : arn("lambda", ctx.region, `function:${fn}`)}:${ctx.name}`;
    },
  },
  "aws:lb/loadBalancer:LoadBalancer": {
    nameProperty: "name",
    maxNameLength: 32,
    id: (ctx) => arn("elasticloadbalancing", ctx.region, `loadbalancer/${elbSuffix(ctx, "app")}`),
    outputs: (ctx) => ({
      arn: arn("elasticloadbalancing", ctx.region, `loadbalancer/${elbSuffix(ctx, "app")}`),
      arnSuffix: elbSuffix(ctx, "app"),
      dnsName: `${ctx.name}-${parseInt(hex(ctx.seed, 8), 16)}.${ctx.region}.elb.amazonaws.com`,
      zoneId: "Z35SXDOTRQ7X7K",
      loadBalancerType: ctx.inputs["loadBalancerType"] ?? "application",
      vpcId: `vpc-${hex(ctx.seed + "vpc", 17)}`,
    }),
  },
  "aws:lb/targetGroup:TargetGroup": {
    nameProperty: "name",
    maxNameLength: 32,
    id: (ctx) => arn("elasticloadbalancing", ctx.region, elbSuffix(ctx, "targetgroup")),
    outputs: (ctx) => ({
      arn: arn("elasticloadbalancing", ctx.region, elbSuffix(ctx, "targetgroup")),
      arnSuffix: elbSuffix(ctx, "targetgroup"),
      loadBalancerArns: [],
    }),
  },
  "aws:lb/listener:Listener": {
    id: (ctx) => arn("elasticloadbalancing", ctx.region, `listener/app/${hex(ctx.seed, 16)}/${hex(ctx.seed + "l", 16)}`),
    outputs: (ctx) => ({
      arn: arn("elasticloadbalancing", ctx.region, `listener/app/${hex(ctx.seed, 16)}/${hex(ctx.seed + "l", 16)}`),
    }),
  },
  "aws:ecs/cluster:Cluster": {
    nameProperty: "name",
    id: (ctx) => arn("ecs", ctx.region, `cluster/${ctx.name}`),
    outputs: (ctx) => ({ arn: arn("ecs", ctx.region, `cluster/${ctx.name}`) }),
  },
  "aws:ecs/service:Service": {
    nameProperty: "name",
    id: (ctx) => arn("ecs", ctx.region, `service/${(str(ctx.inputs["cluster"]) ?? "default").split("/").pop()}/${ctx.name}`),
    outputs: (ctx) => ({
      arn: arn("ecs", ctx.region, `service/${(str(ctx.inputs["cluster"]) ?? "default").split("/").pop()}/${ctx.name}`),
    }),
  },
  "aws:ecs/taskDefinition:TaskDefinition": {
    id: (ctx) => str(ctx.inputs["family"]) ?? ctx.name,
    outputs: (ctx) => {
      const family = str(ctx.inputs["family"]) ?? ctx.name;
      return {
        arn: arn("ecs", ctx.region, `task-definition/${family}:1`),
        arnWithoutRevision: arn("ecs", ctx.region, `task-definition/${family}`),
        revision: 1,
      };
    },
  },
  "aws:ec2/vpc:Vpc": {
    id: prefixedId("vpc"),
    outputs: (ctx) => ({
      arn: arn("ec2", ctx.region, `vpc/vpc-${hex(ctx.seed, 17)}`),
      defaultSecurityGroupId: `sg-${hex(ctx.seed + "sg", 17)}`,
      defaultRouteTableId: `rtb-${hex(ctx.seed + "rtb", 17)}`,
      mainRouteTableId: `rtb-${hex(ctx.seed + "rtb", 17)}`,
      ownerId: MOCK_ACCOUNT_ID,
    }),
  },
  "aws:ec2/subnet:Subnet": {
    id: prefixedId("subnet"),
    outputs: (ctx) => ({ arn: arn("ec2", ctx.region, `subnet/subnet-${hex(ctx.seed, 17)}`), ownerId: MOCK_ACCOUNT_ID }),
  },
  "aws:ec2/internetGateway:InternetGateway": {
    id: prefixedId("igw"),
    outputs: (ctx) => ({ arn: arn("ec2", ctx.region, `internet-gateway/igw-${hex(ctx.seed, 17)}`) }),
  },
  "aws:ec2/routeTable:RouteTable": {
    id: prefixedId("rtb"),
    outputs: (ctx) => ({ arn: arn("ec2", ctx.region, `route-table/rtb-${hex(ctx.seed, 17)}`) }),
  },
  "aws:ec2/routeTableAssociation:RouteTableAssociation": { id: prefixedId("rtbassoc") },
  "aws:ec2/securityGroup:SecurityGroup": {
    nameProperty: "name",
    id: prefixedId("sg"),
    outputs: (ctx) => ({ arn: arn("ec2", ctx.region, `security-group/sg-${hex(ctx.seed, 17)}`), ownerId: MOCK_ACCOUNT_ID }),
  },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { id: prefixedId("sgr") },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { id: prefixedId("sgr") },
  "aws:ec2/launchTemplate:LaunchTemplate": {
    nameProperty: "name",
    maxNameLength: 125,
    id: prefixedId("lt"),
    outputs: (ctx) => ({
      arn: arn("ec2", ctx.region, `launch-template/lt-${hex(ctx.seed, 17)}`),
      latestVersion: 1,
      defaultVersion: 1,
    }),
  },
  "aws:autoscaling/group:Group": {
    nameProperty: "name",
    id: (ctx) => ctx.name,
    outputs: (ctx) => ({
      arn: arn("autoscaling", ctx.region, `autoScalingGroup:${uuid(ctx.seed)}:autoScalingGroupName/${ctx.name}`),
    }),
  },
  "aws:s3/bucketV2:BucketV2": {
    nameProperty: "bucket",
    maxNameLength: 63,
    id: (ctx) => ctx.name,
    outputs: (ctx) => ({ arn: `arn:aws:s3:::${ctx.name}`, bucketDomainName: `${ctx.name}.s3.amazonaws.com` }),
  },
  "aws:s3/bucket:Bucket": {
    nameProperty: "bucket",
    maxNameLength: 63,
    id: (ctx) => ctx.name,
    outputs: (ctx) => ({ arn: `arn:aws:s3:::${ctx.name}`, bucketDomainName: `${ctx.name}.s3.amazonaws.com` }),
  },
};

/** The outputs a provider would return for `req`. */
export function mockResource(req: MockResourceRequest, mode: RecordMode, lookup: MockLookup): MockResourceResponse {
  const inputs = req.inputs;
  if (!req.custom) {
    // Component resources have no provider: their state is what they register as outputs.
    return { id: undefined, state: {} };
  }
  if (mode === "preview" && req.importId === undefined) {
    // A planned create: the engine knows the inputs and nothing the provider computes.
    return { id: undefined, state: { ...inputs } };
  }
  const seed = req.urn;
  const typeMock = TYPES[req.type];
  const state: Record<string, WireValue> = { ...inputs };
  let name = req.name;
  if (typeMock?.nameProperty) {
    const given = str(inputs[typeMock.nameProperty]);
    const prefix = str(inputs[`${typeMock.nameProperty}Prefix`]);
    name = given ?? (prefix ? prefix + hex(seed, 26) : autoname(req.name, seed, typeMock.maxNameLength));
    state[typeMock.nameProperty] = name;
  } else if (str(inputs["name"])) {
    name = str(inputs["name"])!;
  }
  const ctx: Ctx = { req, inputs, name, region: req.region, seed, lookup };
  const extra = typeMock?.outputs ? typeMock.outputs(ctx) : genericOutputs(ctx);
  for (const [key, value] of Object.entries(extra)) {
    if (state[key] === undefined) state[key] = value;
  }
  if (req.type.startsWith("aws:") && state["tagsAll"] === undefined && inputs["tags"] !== undefined) {
    state["tagsAll"] = inputs["tags"];
  }
  const id = req.importId ?? (typeMock?.id ? typeMock.id(ctx) : genericId(req));
  return { id, state };
}

function genericId(req: MockResourceRequest): string {
  const short = req.type.split(":").pop()!.toLowerCase();
  return `${short}-${hex(req.urn, 17)}`;
}

function genericOutputs(ctx: Ctx): WireProperties {
  if (!ctx.req.type.startsWith("aws:")) return {};
  const [, module = "aws", kind = "resource"] = ctx.req.type.split(/[:/]/);
  return { arn: arn(module.toLowerCase(), ctx.region, `${kind.toLowerCase()}/${ctx.name}`) };
}
