import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { UNKNOWN_SENTINEL, type EngineResource } from "../../packages/tools/src/engine/types";
import { recordProgram, RecordingError, type Recording } from "../../packages/tools/src/mocks";

const dir = path.resolve(__dirname, "../../reference-stack");
const GROUP = "aws:codedeploy/deploymentGroup:DeploymentGroup";
const CONFIG = "aws:codedeploy/deploymentConfig:DeploymentConfig";
const APP = "aws:codedeploy/application:Application";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPONENT = "guardrails:codedeploy:SafeDeploymentGroup";
const LISTENER = "aws:lb/listener:Listener";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
const ECS_SERVICE = "aws:ecs/service:Service";
const ROLE = "aws:iam/role:Role";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const GROUPS = ["inference-server", "inference-lambda", "inference-ecs"] as const;

const byName = (rec: Recording, type: string, name: string): EngineResource => {
  const r = rec.resources.find((x) => x.type === type && x.name === name);
  if (!r) throw new Error(`no ${type} ${name}`);
  return r;
};

let preview: Recording;
let update: Recording;
beforeAll(async () => {
  [preview, update] = await Promise.all([
    recordProgram({ programDir: dir, mode: "preview" }),
    recordProgram({ programDir: dir, mode: "update" }),
  ]);
});

describe.each(["preview", "update"] as const)("reference stack (%s)", (mode) => {
  const rec = () => (mode === "preview" ? preview : update);

  it("registers the whole service", () => {
    const types = new Set(rec().resources.map((r) => r.type));
    for (const t of [
      "pulumi:providers:aws",
      "aws:ec2/vpc:Vpc",
      "aws:ec2/subnet:Subnet",
      "aws:ec2/launchTemplate:LaunchTemplate",
      "aws:autoscaling/group:Group",
      "aws:lb/loadBalancer:LoadBalancer",
      "aws:lb/targetGroup:TargetGroup",
      "aws:lb/listener:Listener",
      "aws:lambda/function:Function",
      "aws:lambda/alias:Alias",
      "aws:ecs/cluster:Cluster",
      "aws:ecs/taskDefinition:TaskDefinition",
      ECS_SERVICE,
      "aws:cloudwatch/logGroup:LogGroup",
      "aws:sns/topic:Topic",
      "aws:iam/role:Role",
      APP,
      CONFIG,
      GROUP,
      ALARM,
      COMPONENT,
    ]) {
      expect(types, t).toContain(t);
    }
    expect(rec().resources.filter((r) => r.type === GROUP)).toHaveLength(3);
    expect(rec().resources.filter((r) => r.type === ALARM)).toHaveLength(9);
    expect(rec().defaultProviders).toEqual([]);
    for (const r of rec().resources.filter((x) => x.type.startsWith("aws:"))) {
      expect(r.provider?.name, r.urn).toBe("aws");
    }
  });

  it("parents each group and its alarms to its SafeDeploymentGroup", () => {
    for (const name of GROUPS) {
      const component = byName(rec(), COMPONENT, name);
      const group = byName(rec(), GROUP, name);
      expect(group.parent).toBe(component.urn);
      const alarms = rec().resources.filter((r) => r.type === ALARM && r.parent === component.urn);
      expect(alarms).toHaveLength(3);
      expect(group.propertyDependencies?.["alarmConfiguration"]).toEqual(expect.arrayContaining(alarms.map((a) => a.urn)));
    }
  });

  it("rolls every group back on failure and on alarm, with alarms that are polled", () => {
    for (const name of GROUPS) {
      const p = byName(rec(), GROUP, name).properties;
      expect(p["autoRollbackConfiguration"]).toEqual({ enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] });
      const alarms = p["alarmConfiguration"] as { enabled: boolean; ignorePollAlarmFailure: boolean; alarms: string[] };
      expect(alarms.enabled).toBe(true);
      expect(alarms.ignorePollAlarmFailure).toBe(false);
      expect(alarms.alarms).toHaveLength(3);
    }
    const server = byName(rec(), GROUP, "inference-server").properties;
    expect(server["deploymentStyle"]).toEqual({ deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "IN_PLACE" });
    expect(server["outdatedInstancesStrategy"]).toBe("UPDATE");
    const lambda = byName(rec(), GROUP, "inference-lambda").properties;
    expect(lambda["deploymentConfigName"]).toBe("CodeDeployDefault.LambdaCanary10Percent5Minutes");
    expect(lambda["deploymentStyle"]).toEqual({ deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" });
    const ecs = byName(rec(), GROUP, "inference-ecs").properties;
    expect(ecs["deploymentConfigName"]).toBe("CodeDeployDefault.ECSCanary10Percent5Minutes");
    expect(ecs["deploymentStyle"]).toEqual({ deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" });
    expect(ecs["blueGreenDeploymentConfig"]).toEqual({
      deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
      terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 120 },
    });
  });

  it("runs the ECS service under CodeDeploy: CODE_DEPLOY controller, Fargate, the blue target group, behind its listeners", () => {
    const service = byName(rec(), ECS_SERVICE, "inference-ecs");
    const blue = byName(rec(), TARGET_GROUP, "inference-ecs-blue");
    const green = byName(rec(), TARGET_GROUP, "inference-ecs-green");
    const production = byName(rec(), LISTENER, "inference-ecs-http");
    const test = byName(rec(), LISTENER, "inference-ecs-alb-test");
    expect(service.properties["deploymentController"]).toEqual({ type: "CODE_DEPLOY" });
    expect(service.properties["launchType"]).toBe("FARGATE");
    expect(service.propertyDependencies?.["loadBalancers"]).toEqual([blue.urn]);
    // The service registers tasks only once its target group is behind a listener.
    expect(service.dependencies).toEqual(expect.arrayContaining([production.urn, test.urn]));
    for (const target of [blue, green]) expect(target.properties["targetType"]).toBe("ip");
    // Both listeners start on blue; CodeDeploy moves them, so they are not the production listener of the EC2 path.
    for (const listener of [production, test]) expect(listener.propertyDependencies?.["defaultActions"]).toEqual([blue.urn]);
    expect(test.properties["port"]).toBe(8443);
  });

  it("points the ECS group at the service, both target groups and both listeners", () => {
    const group = byName(rec(), GROUP, "inference-ecs");
    const deps = group.propertyDependencies ?? {};
    expect(deps["ecsService"]).toEqual(
      expect.arrayContaining([
        byName(rec(), "aws:ecs/cluster:Cluster", "inference-ecs").urn,
        byName(rec(), ECS_SERVICE, "inference-ecs").urn,
      ]),
    );
    expect(deps["loadBalancerInfo"]?.slice().sort()).toEqual(
      [
        byName(rec(), TARGET_GROUP, "inference-ecs-blue").urn,
        byName(rec(), TARGET_GROUP, "inference-ecs-green").urn,
        byName(rec(), LISTENER, "inference-ecs-http").urn,
        byName(rec(), LISTENER, "inference-ecs-alb-test").urn,
      ].sort(),
    );
    const pair = (group.properties["loadBalancerInfo"] as { targetGroupPairInfo: Record<string, unknown> }).targetGroupPairInfo;
    expect(Object.keys(pair).sort()).toEqual(["prodTrafficRoute", "targetGroups", "testTrafficRoute"]);
    expect(pair["targetGroups"]).toHaveLength(2);
    expect(deps["appName"]).toEqual([byName(rec(), APP, "inference-ecs").urn]);
    expect(byName(rec(), APP, "inference-ecs").properties["computePlatform"]).toBe("ECS");
  });

  it("gives each CodeDeploy service role its platform's managed policy, and the EC2 role what a launch template needs", () => {
    const attached = (role: string) =>
      rec()
        .resources.filter((r) => r.type === ATTACHMENT && r.propertyDependencies?.["role"]?.includes(byName(rec(), ROLE, role).urn))
        .map((r) => r.properties["policyArn"]);
    expect(attached("inference-codedeploy-server")).toEqual(["arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole"]);
    expect(attached("inference-codedeploy-lambda")).toEqual(["arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda"]);
    expect(attached("inference-codedeploy-ecs")).toEqual(["arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS"]);
    expect(attached("inference-ecs-execution")).toEqual(["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]);
    const launch = byName(rec(), ROLE_POLICY, "inference-codedeploy-server-launch-template");
    expect(launch.propertyDependencies?.["role"]).toEqual([byName(rec(), ROLE, "inference-codedeploy-server").urn]);
    if (mode === "update") {
      const statements = (JSON.parse(launch.properties["policy"] as string) as { Statement: { Action: string[]; Resource: string }[] })
        .Statement;
      expect(statements.flatMap((s) => s.Action).sort()).toEqual(["ec2:CreateTags", "ec2:RunInstances", "iam:PassRole"]);
      // PassRole only for the hosts' own role.
      expect(statements.find((s) => s.Action.includes("iam:PassRole"))!.Resource).toBe(
        update.outputs[byName(update, ROLE, "inference-host").urn]!.state["arn"],
      );
    }
  });

  it("runs the inference Lambda on a runtime AWS still creates functions with", () => {
    expect(byName(rec(), "aws:lambda/function:Function", "inference-fn").properties["runtime"]).toMatch(/^nodejs(22|24)\.x$/);
  });

  it("keeps two thirds of the fleet and a host per zone healthy", () => {
    const cfg = byName(rec(), CONFIG, "inference-server").properties;
    expect(cfg["computePlatform"]).toBe("Server");
    expect(cfg["minimumHealthyHosts"]).toEqual({ type: "FLEET_PERCENT", value: 66 });
    expect(cfg["zonalConfig"]).toMatchObject({ minimumHealthyHostsPerZone: { type: "HOST_COUNT", value: 1 } });
    expect(byName(rec(), APP, "inference-server").properties["computePlatform"]).toBe("Server");
    expect(byName(rec(), APP, "inference-lambda").properties["computePlatform"]).toBe("Lambda");
  });

  it("links the server group to its custom config through propertyDependencies", () => {
    const group = byName(rec(), GROUP, "inference-server");
    const cfg = byName(rec(), CONFIG, "inference-server");
    expect(group.propertyDependencies?.["deploymentConfigName"]).toEqual([cfg.urn]);
    expect(group.propertyDependencies?.["appName"]).toEqual([byName(rec(), APP, "inference-server").urn]);
  });
});

describe("preview vs update", () => {
  it("leaves provider-computed names unknown in preview", () => {
    const group = byName(preview, GROUP, "inference-server").properties;
    expect(group["deploymentConfigName"]).toBe(UNKNOWN_SENTINEL);
    expect(group["appName"]).toBe(UNKNOWN_SENTINEL);
    expect((group["alarmConfiguration"] as { alarms: string[] }).alarms).toEqual([UNKNOWN_SENTINEL, UNKNOWN_SENTINEL, UNKNOWN_SENTINEL]);
  });

  it("resolves them in update to what the mocks returned", () => {
    const group = byName(update, GROUP, "inference-server").properties;
    const cfg = byName(update, CONFIG, "inference-server");
    expect(group["deploymentConfigName"]).toBe(update.outputs[cfg.urn]!.state["deploymentConfigName"]);
    expect(group["deploymentConfigName"]).toMatch(/^inference-server-[0-9a-f]{7}$/);
    const alarmNames = rec(update)
      .filter((r) => r.type === ALARM && r.name.startsWith("inference-server-"))
      .map((a) => update.outputs[a.urn]!.state["name"]);
    expect((group["alarmConfiguration"] as { alarms: string[] }).alarms.slice().sort()).toEqual(alarmNames.slice().sort());
  });

  it("exports the groups and alarms", () => {
    const out = update.stackOutputs as Record<string, Record<string, unknown>>;
    expect(out["server"]!["deploymentGroupName"]).toBe("inference-server");
    expect(out["lambda"]!["deploymentGroupName"]).toBe("inference-lambda");
    expect(out["ecs"]!["deploymentGroupName"]).toBe("inference-ecs");
    for (const path of ["server", "lambda", "ecs"]) expect(out[path]!["alarmNames"]).toHaveLength(3);
    expect(update.stackOutputs["endpoint"]).toMatch(/^http:\/\/inference-alb-[0-9a-f]{7}-\d+\.us-east-1\.elb\.amazonaws\.com$/);
    expect(out["ecs"]!["endpoint"]).toMatch(/^http:\/\/inference-ecs-alb-[0-9a-f]{7}-\d+\.us-east-1\.elb\.amazonaws\.com$/);
    expect(out["ecs"]!["testEndpoint"]).toMatch(/^http:\/\/inference-ecs-alb-.*:8443$/);
    // Without a certificate the stack says so: plain HTTP, open to the internet by default.
    const warnings = update.stackOutputs["warnings"] as string[];
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/No certificateArn .* plain HTTP/);
    expect(warnings[1]).toMatch(/ingressCidr is 0\.0\.0\.0\/0/);
  });
});

function rec(r: Recording): readonly EngineResource[] {
  return r.resources;
}

describe("configuration", () => {
  it("reads region, instance type, fleet size and thresholds from Pulumi config", async () => {
    const r = await recordProgram({
      programDir: dir,
      mode: "update",
      config: { region: "eu-central-1", instanceType: "g5.xlarge", fleetSize: 6, alb5xxRatePercent: 2.5, minHealthyFleetPercent: 80 },
    });
    expect(r.resources.find((x) => x.type === "pulumi:providers:aws")!.properties["region"]).toBe("eu-central-1");
    expect(r.resources.find((x) => x.type === "aws:ec2/launchTemplate:LaunchTemplate")!.properties["instanceType"]).toBe("g5.xlarge");
    expect(r.resources.find((x) => x.type === "aws:autoscaling/group:Group")!.properties["desiredCapacity"]).toBe(6);
    expect(byName(r, ALARM, "inference-server-alb-5xx-rate").properties["threshold"]).toBe(2.5);
    expect(byName(r, CONFIG, "inference-server").properties["minimumHealthyHosts"]).toEqual({ type: "FLEET_PERCENT", value: 80 });
  });

  it("rejects a config that would block every deployment, naming the key", async () => {
    const err = await recordProgram({ programDir: dir, mode: "preview", config: { fleetSize: 4, minHealthyFleetPercent: 90 } }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RecordingError);
    expect((err as Error).message).toContain("minHealthyFleetPercent");
  });

  it("reads the ECS path's image, CPU/memory, desired count, deployment config and termination wait", async () => {
    const r = await recordProgram({
      programDir: dir,
      mode: "update",
      config: {
        ecsImage: "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:7",
        ecsCpu: 1024,
        ecsMemory: 4096,
        ecsDesiredCount: 3,
        ecsDeploymentConfig: "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
        ecsTerminationWaitMinutes: 240,
      },
    });
    const task = r.resources.find((x) => x.type === "aws:ecs/taskDefinition:TaskDefinition")!.properties;
    expect(task).toMatchObject({ cpu: "1024", memory: "4096", networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"] });
    expect((JSON.parse(task["containerDefinitions"] as string) as { image: string }[])[0]!.image).toBe(
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:7",
    );
    expect(byName(r, ECS_SERVICE, "inference-ecs").properties["desiredCount"]).toBe(3);
    const group = byName(r, GROUP, "inference-ecs").properties;
    expect(group["deploymentConfigName"]).toBe("CodeDeployDefault.ECSLinear10PercentEvery3Minutes");
    expect(group["blueGreenDeploymentConfig"]).toMatchObject({
      terminateBlueInstancesOnDeploymentSuccess: { terminationWaitTimeInMinutes: 240 },
    });
  });

  it.each([
    [{ enableEc2: false }, ["inference-lambda", "inference-ecs"]],
    [{ enableLambda: false }, ["inference-server", "inference-ecs"]],
    [{ enableEcs: false }, ["inference-server", "inference-lambda"]],
    [{ enableEc2: false, enableEcs: false }, ["inference-lambda"]],
  ])("leaves a path out on request (%o)", async (switches, groups) => {
    const r = await recordProgram({ programDir: dir, mode: "update", config: switches });
    expect(
      r.resources
        .filter((x) => x.type === GROUP)
        .map((x) => x.name)
        .sort(),
    ).toEqual([...groups].sort());
    expect(r.resources.filter((x) => x.type === ALARM)).toHaveLength(3 * groups.length);
    const load = r.resources
      .filter((x) => x.type === "aws:lb/loadBalancer:LoadBalancer")
      .map((x) => x.name)
      .sort();
    expect(load).toEqual([
      ...(groups.includes("inference-server") ? ["inference-alb"] : []),
      ...(groups.includes("inference-ecs") ? ["inference-ecs-alb"] : []),
    ]);
    if (!groups.includes("inference-ecs")) expect(r.resources.some((x) => x.type.startsWith("aws:ecs/"))).toBe(false);
    if (!groups.includes("inference-server")) expect(r.resources.some((x) => x.type === "aws:autoscaling/group:Group")).toBe(false);
    const out = r.stackOutputs;
    expect(out["server"] !== undefined).toBe(groups.includes("inference-server"));
    expect(out["ecs"] !== undefined).toBe(groups.includes("inference-ecs"));
    // Without a load balancer there is nothing served over HTTP to warn about.
    expect((out["warnings"] as string[]).length).toBe(load.length > 0 ? 2 : 0);
  });

  it("serves HTTPS (TLS 1.2+, HTTP redirected) when a certificate is configured, with no HTTP warning", async () => {
    const certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8899-aabbccddeeff";
    const r = await recordProgram({
      programDir: dir,
      mode: "update",
      config: { certificateArn, ingressCidr: "203.0.113.0/24, 2001:db8::/32", testIngressCidr: "198.51.100.7/32" },
    });
    for (const prefix of ["inference-alb", "inference-ecs-alb"]) {
      const https = byName(r, LISTENER, `${prefix}-https`).properties;
      expect(https).toMatchObject({ port: 443, protocol: "HTTPS", certificateArn, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
      const http = byName(r, LISTENER, prefix === "inference-alb" ? "inference-http" : "inference-ecs-http").properties;
      expect(http).toMatchObject({ port: 80, protocol: "HTTP" });
      expect((http["defaultActions"] as { type: string; redirect: unknown }[])[0]).toMatchObject({
        type: "redirect",
        redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
      });
      const ingress = byName(r, "aws:ec2/securityGroup:SecurityGroup", prefix).properties["ingress"] as Record<string, unknown>[];
      for (const port of [80, 443]) {
        expect(ingress).toContainEqual(
          expect.objectContaining({ fromPort: port, toPort: port, cidrBlocks: ["203.0.113.0/24"], ipv6CidrBlocks: ["2001:db8::/32"] }),
        );
      }
    }
    expect(byName(r, LISTENER, "inference-ecs-alb-test").properties).toMatchObject({ port: 8443, protocol: "HTTPS", certificateArn });
    const ecsIngress = byName(r, "aws:ec2/securityGroup:SecurityGroup", "inference-ecs-alb").properties["ingress"] as Record<
      string,
      unknown
    >[];
    expect(ecsIngress).toContainEqual(expect.objectContaining({ fromPort: 8443, cidrBlocks: ["198.51.100.7/32"] }));
    // CodeDeploy shifts the forwarding listener, never the redirect.
    const pair = (
      byName(r, GROUP, "inference-ecs").properties["loadBalancerInfo"] as { targetGroupPairInfo: { prodTrafficRoute: unknown } }
    ).targetGroupPairInfo;
    expect(pair.prodTrafficRoute).toEqual({ listenerArns: [r.outputs[byName(r, LISTENER, "inference-ecs-alb-https").urn]!.state["arn"]] });
    expect(r.stackOutputs["warnings"]).toEqual([]);
    expect(r.stackOutputs["endpoint"]).toMatch(/^https:\/\//);
  });

  it("blue/green EC2 on request: the group copies the Auto Scaling group and keeps the original fleet", async () => {
    const r = await recordProgram({ programDir: dir, mode: "update", config: { ec2BlueGreen: true, ec2TerminationWaitMinutes: 180 } });
    const group = byName(r, GROUP, "inference-server").properties;
    expect(group["deploymentStyle"]).toEqual({ deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" });
    expect(group["blueGreenDeploymentConfig"]).toMatchObject({
      greenFleetProvisioningOption: { action: "COPY_AUTO_SCALING_GROUP" },
      terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 180 },
    });
  });

  it.each([
    [{ enableEc2: false, enableLambda: false, enableEcs: false }, "enableEc2", /at least one path/],
    [{ ecsDeploymentConfig: "CodeDeployDefault.ECSAllAtOnce" }, "ecsDeploymentConfig", /canary or linear/],
    [{ ecsDeploymentConfig: "CodeDeployDefault.LambdaCanary10Percent5Minutes" }, "ecsDeploymentConfig", /canary or linear/],
    [{ lambdaDeploymentConfig: "CodeDeployDefault.LambdaAllAtOnce" }, "lambdaDeploymentConfig", /canary or linear/],
    [{ ecsCpu: 512, ecsMemory: 512 }, "ecsMemory", /1024 to 4096 MiB/],
    [{ ecsCpu: 300 }, "ecsCpu", /Fargate takes/],
    [{ ecsTerminationWaitMinutes: 30 }, "ecsTerminationWaitMinutes", /from 60 to 2880/],
    [{ ingressCidr: "10.0.0.0/8,everyone" }, "ingressCidr", /'everyone' is not a CIDR block/],
    [{ certificateArn: "my-cert" }, "certificateArn", /ACM certificate ARN/],
    [{ testListenerPort: 80 }, "testListenerPort", /production listener/],
  ])("rejects %o, naming %s and what to change", async (bad, key, reason) => {
    const err = await recordProgram({ programDir: dir, mode: "preview", config: bad }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordingError);
    expect((err as Error).message).toContain(`Invalid config '${key}'`);
    expect((err as Error).message).toMatch(reason);
  });
});
