// The LocalStack tier: against LocalStack when one answers with CodeDeploy, else a moto_server
// started here. Probes what the endpoint round-trips, then requires the audit's verdicts to equal
// the pack's on generated groups for every policy whose inputs survive the round trip, and never a
// pass for a policy whose inputs the endpoint dropped.
import {
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentConfigCommand,
  CreateDeploymentGroupCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  BatchGetDeploymentGroupsCommand,
  type CreateDeploymentGroupCommandInput,
} from "@aws-sdk/client-codedeploy";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeApplication, nativeDeploymentGroup } from "../../policy-pack/adapters/awsNative";
import { deploymentGroupArn } from "../../policy-pack/adapters/codedeployApi";
import { BUILT_IN_DEPLOYMENT_CONFIGS, defaultDeploymentConfig } from "../../policy-pack/core/catalog";
import { POLICY_NAMES, type PolicyName } from "../../policy-pack/rules";
import { evaluateStack, type EvaluatedFinding } from "../../policy-pack/evaluate";
import { runAudit } from "../../packages/tools/src/audit/audit";
import { runAuditCli } from "../../packages/tools/src/audit/main";
import { makeUrn, type EngineResource } from "../../packages/tools/src/engine/types";
import type { Report } from "../../packages/tools/src/report";
import { deployToEndpoint } from "./deploy";
import { startAwsEndpoint, useFakeAwsCredentials, type AwsEndpoint } from "./endpoint";

useFakeAwsCredentials();
let endpoint: AwsEndpoint | undefined;
const REGION = "us-east-1";
const ACCOUNT = "123456789012";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/codedeploy`;
const NOW = new Date("2026-01-15T00:00:00Z");
const FAST = { maxAttempts: 2, backoffMs: () => 1 };
const run = `r${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
let client: CodeDeployClient;

/** The group settings the generators vary, one top-level API field each. */
const GROUP_FIELDS = [
  "autoRollbackConfiguration",
  "alarmConfiguration",
  "deploymentConfigName",
  "deploymentStyle",
  "blueGreenDeploymentConfiguration",
  "outdatedInstancesStrategy",
  "ecsServices",
  "computePlatform",
] as const;
type GroupField = (typeof GROUP_FIELDS)[number];
/** The fields each policy's verdict (and message) depends on. */
const POLICY_FIELDS: Record<PolicyName, readonly GroupField[]> = {
  "codedeploy-auto-rollback-enabled": ["autoRollbackConfiguration"],
  "codedeploy-alarm-rollback-configured": ["alarmConfiguration", "autoRollbackConfiguration"],
  "codedeploy-minimum-healthy-hosts": ["computePlatform", "ecsServices", "deploymentConfigName"],
  "codedeploy-gradual-traffic-shifting": ["computePlatform", "ecsServices", "deploymentConfigName"],
  "codedeploy-blue-green-rollback-window": ["computePlatform", "ecsServices", "deploymentStyle", "blueGreenDeploymentConfiguration"],
  "codedeploy-outdated-instances-update": ["computePlatform", "ecsServices", "outdatedInstancesStrategy"],
};

interface Probe {
  readonly roundTrips: ReadonlySet<GroupField>;
  /** Platforms for which the endpoint answers an unset deploymentConfigName with a name CodeDeploy would not use. */
  readonly defaultConfigAltered: ReadonlySet<string>;
  readonly calls: Record<string, boolean>;
}
let probe: Probe;

/** `sent` is contained in `got` (extra keys in `got` are fine; an empty object is not a value). */
function contains(sent: unknown, got: unknown): boolean {
  if (Array.isArray(sent))
    return Array.isArray(got) && sent.length === got.length && sent.every((item, index) => contains(item, got[index]));
  if (sent !== null && typeof sent === "object") {
    return (
      got !== null &&
      typeof got === "object" &&
      Object.entries(sent).every(([key, value]) => contains(value, (got as Record<string, unknown>)[key]))
    );
  }
  return sent === got;
}

async function works(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch {
    return false;
  }
}

async function runProbe(): Promise<Probe> {
  const app = `${run}-probe`;
  const full: Omit<CreateDeploymentGroupCommandInput, "applicationName" | "deploymentGroupName" | "serviceRoleArn"> = {
    deploymentConfigName: "CodeDeployDefault.HalfAtATime",
    autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_REQUEST"] },
    alarmConfiguration: { enabled: true, ignorePollAlarmFailure: true, alarms: [{ name: "probe-alarm" }] },
    deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
    blueGreenDeploymentConfiguration: {
      terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 17 },
      deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
    },
    outdatedInstancesStrategy: "IGNORE",
  };
  await client.send(new CreateApplicationCommand({ applicationName: app, computePlatform: "Server" }));
  await client.send(new CreateDeploymentGroupCommand({ applicationName: app, deploymentGroupName: "full", serviceRoleArn: ROLE, ...full }));
  const got = (await client.send(new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: "full" })))
    .deploymentGroupInfo as Record<string, unknown>;
  const roundTrips = new Set<GroupField>();
  for (const field of GROUP_FIELDS)
    if (field in full && contains((full as Record<string, unknown>)[field], got[field])) roundTrips.add(field);
  // ECS service and the compute platform of each kind of application.
  const platforms: boolean[] = [];
  const defaultConfigAltered = new Set<string>();
  for (const platform of ["Server", "Lambda", "ECS"] as const) {
    const name = `${app}-${platform}`;
    await client.send(new CreateApplicationCommand({ applicationName: name, computePlatform: platform }));
    const ecsServices = platform === "ECS" ? [{ clusterName: "probe-cluster", serviceName: "probe-service" }] : undefined;
    await client.send(
      new CreateDeploymentGroupCommand({ applicationName: name, deploymentGroupName: "g", serviceRoleArn: ROLE, ecsServices }),
    );
    const info = (await client.send(new GetDeploymentGroupCommand({ applicationName: name, deploymentGroupName: "g" })))
      .deploymentGroupInfo;
    platforms.push(info?.computePlatform === platform);
    const filled = info?.deploymentConfigName;
    if (filled !== undefined && filled !== defaultDeploymentConfig(platform).name)
      defaultConfigAltered.add(`${platform} (answers ${filled})`.split(" ")[0]!);
    if (ecsServices && contains(ecsServices, info?.ecsServices)) roundTrips.add("ecsServices");
  }
  if (platforms.every(Boolean)) roundTrips.add("computePlatform");
  const calls = {
    BatchGetDeploymentGroups: await works(() =>
      client.send(new BatchGetDeploymentGroupsCommand({ applicationName: app, deploymentGroupNames: ["full"] })),
    ),
    CreateDeploymentConfig: await works(() =>
      client.send(
        new CreateDeploymentConfigCommand({
          deploymentConfigName: `${run}-probe-config`,
          minimumHealthyHosts: { type: "HOST_COUNT", value: 1 },
        }),
      ),
    ),
    GetDeploymentConfig: await works(() =>
      client.send(new GetDeploymentConfigCommand({ deploymentConfigName: "CodeDeployDefault.OneAtATime" })),
    ),
  };
  console.log(
    `[audit tier] ${endpoint?.kind} at ${endpoint?.url} round-trips: ${[...roundTrips].join(", ")}; drops: ${GROUP_FIELDS.filter((field) => !roundTrips.has(field)).join(", ") || "nothing"}; unset deploymentConfigName answered with a wrong default for: ${[...defaultConfigAltered].join(", ") || "none"}; calls: ${Object.entries(
      calls,
    )
      .map(([call, ok]) => `${call} ${ok ? "supported" : "NOT supported"}`)
      .join(", ")}`,
  );
  return { roundTrips, calls, defaultConfigAltered };
}

beforeAll(async () => {
  // Throws under CI=true when no endpoint can be had; elsewhere undefined, and every test skips.
  endpoint = await startAwsEndpoint();
  if (!endpoint) return;
  client = new CodeDeployClient({ region: REGION, endpoint: endpoint.url, maxAttempts: 1 });
  probe = await runProbe();
});
afterAll(async () => {
  client?.destroy();
  await endpoint?.stop();
});

// ---- generators: small, only built-in configs (moto has no custom configs) ----
const platformArb = fc.constantFrom("Server", "Lambda", "ECS");
const eventsArb = fc.subarray(["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"]);
const groupArb = platformArb.chain((platform) =>
  fc.record(
    {
      platform: fc.constant(platform),
      autoRollbackConfiguration: fc.option(fc.record({ enabled: fc.boolean(), events: eventsArb }), { nil: undefined }),
      alarmConfiguration: fc.option(
        fc.record({
          enabled: fc.boolean(),
          ignorePollAlarmFailure: fc.boolean(),
          alarms: fc.array(
            fc.constantFrom("a1", "a2", "a3").map((name) => ({ name })),
            { maxLength: 3 },
          ),
        }),
        { nil: undefined },
      ),
      deploymentConfigName: fc.option(
        fc.constantFrom(
          ...BUILT_IN_DEPLOYMENT_CONFIGS.filter((config) => config.computePlatform === platform).map((config) => config.name),
        ),
        { nil: undefined },
      ),
      blueGreen: fc.boolean(),
      termination: fc.option(
        fc.record({ action: fc.constantFrom("TERMINATE", "KEEP_ALIVE"), terminationWaitTimeInMinutes: fc.constantFrom(0, 5, 60, 120) }),
        { nil: undefined },
      ),
      outdatedInstancesStrategy: fc.option(fc.constantFrom("UPDATE", "IGNORE"), { nil: undefined }),
    },
    { requiredKeys: ["platform", "blueGreen"] },
  ),
);
type GeneratedGroup = typeof groupArb extends fc.Arbitrary<infer T> ? T : never;

/** The generated group in the API's (= AWS Native's) shape. */
function groupProps(group: GeneratedGroup, application: string, name: string): Record<string, unknown> {
  const blueGreen = group.platform === "ECS" || group.blueGreen;
  return {
    applicationName: application,
    deploymentGroupName: name,
    serviceRoleArn: ROLE,
    ...(group.deploymentConfigName ? { deploymentConfigName: group.deploymentConfigName } : {}),
    ...(group.autoRollbackConfiguration ? { autoRollbackConfiguration: group.autoRollbackConfiguration } : {}),
    ...(group.alarmConfiguration ? { alarmConfiguration: group.alarmConfiguration } : {}),
    ...(group.platform !== "Lambda" && blueGreen
      ? { deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" } }
      : {}),
    ...(group.platform !== "Lambda" && blueGreen && group.termination
      ? { blueGreenDeploymentConfiguration: { terminateBlueInstancesOnDeploymentSuccess: group.termination } }
      : {}),
    ...(group.platform === "Server" && group.outdatedInstancesStrategy
      ? { outdatedInstancesStrategy: group.outdatedInstancesStrategy }
      : {}),
    ...(group.platform === "ECS" ? { ecsServices: [{ clusterName: "cluster", serviceName: `${name}-svc` }] } : {}),
  };
}

type Verdict = "pass" | `${string}:${string}`;
function verdicts(findings: readonly EvaluatedFinding[], urn: string): Map<PolicyName, { verdict: Verdict; message?: string }> {
  const result = new Map<PolicyName, { verdict: Verdict; message?: string }>();
  for (const policy of POLICY_NAMES) {
    const finding = findings.find((item) => item.policy === policy && item.resource.urn === urn);
    result.set(
      policy,
      finding ? { verdict: `${finding.reason}:${finding.enforcementLevel}`, message: finding.message } : { verdict: "pass" },
    );
  }
  return result;
}

const leftOut = new Map<string, number>();

describe("audit against the endpoint", () => {
  it("probe: reports what the endpoint round-trips (moto 5.2.1 drops alarmConfiguration)", (context) => {
    if (!endpoint) return context.skip();
    expect(probe.roundTrips.has("autoRollbackConfiguration")).toBe(true);
    if (endpoint?.kind === "moto") {
      // Verified, not assumed: if a moto upgrade starts returning these, this test says so.
      expect(probe.roundTrips.has("alarmConfiguration")).toBe(false);
      expect(probe.calls).toEqual({ BatchGetDeploymentGroups: false, CreateDeploymentConfig: false, GetDeploymentConfig: false });
    }
  });

  it("property: the audit's verdicts equal the pack's wherever the endpoint round-trips the inputs, and are never a pass where it does not", async (context) => {
    if (!endpoint) return context.skip();
    let counter = 0;
    await fc.assert(
      fc.asyncProperty(groupArb, async (group) => {
        const application = `${run}-pbt-${counter++}`;
        const name = "g";
        const props = groupProps(group, application, name);
        await client.send(new CreateApplicationCommand({ applicationName: application, computePlatform: group.platform }));
        await client.send(new CreateDeploymentGroupCommand(props as never));
        const result = await runAudit({
          region: REGION,
          endpoint: endpoint!.url,
          applications: [application],
          retry: FAST,
          now: NOW,
          policyConfig: {},
        });
        const urn = deploymentGroupArn({ region: REGION, accountId: ACCOUNT }, application, name);
        // The pack on the same configuration as AWS Native props, named as the audit names it.
        const packModels = [
          nativeApplication({
            type: "aws-native:codedeploy:Application",
            urn: `urn:app:${application}`,
            name: application,
            props: { applicationName: application, computePlatform: group.platform },
          }),
          nativeDeploymentGroup({ type: "aws-native:codedeploy:DeploymentGroup", urn, name: `${application}/${name}`, props }),
        ];
        const pack = verdicts(evaluateStack(packModels, {}, NOW), urn);
        const audit = verdicts(result.findings, urn);
        const unread = result.errors.some((error) => error.urn === urn);
        for (const policy of POLICY_NAMES) {
          // Sent but not returned: the audit cannot see it.
          const dropped = POLICY_FIELDS[policy].filter(
            (field) => !probe.roundTrips.has(field) && (field in props || field === "computePlatform"),
          );
          // Not sent, but the endpoint answers with a default CodeDeploy would not use (moto: OneAtATime for Lambda/ECS).
          const altered =
            POLICY_FIELDS[policy].includes("deploymentConfigName") &&
            !("deploymentConfigName" in props) &&
            probe.defaultConfigAltered.has(group.platform);
          const packVerdict = pack.get(policy)!;
          const auditVerdict = audit.get(policy)!;
          if (altered && dropped.length === 0) {
            leftOut.set(
              `${policy} <- unset deploymentConfigName (${group.platform})`,
              (leftOut.get(`${policy} <- unset deploymentConfigName (${group.platform})`) ?? 0) + 1,
            );
            // Never laxer than the pack: a pass only where the pack passes too.
            if (auditVerdict.verdict === "pass") expect({ policy, verdict: packVerdict.verdict }).toEqual({ policy, verdict: "pass" });
          } else if (dropped.length === 0) {
            expect({ policy, ...auditVerdict }).toEqual({ policy, ...packVerdict });
          } else {
            for (const field of dropped) leftOut.set(`${policy} <- ${field}`, (leftOut.get(`${policy} <- ${field}`) ?? 0) + 1);
            // Fail closed: unverifiable is never a pass.
            if (!unread) expect({ policy, verdict: auditVerdict.verdict }).not.toEqual({ policy, verdict: "pass" });
          }
        }
      }),
      { numRuns: 25 },
    );
    console.log(
      `[audit tier] compared only round-tripped inputs; left out (policy <- dropped field: runs): ${[...leftOut].map(([key, count]) => `${key}: ${count}`).join("; ") || "nothing"}`,
    );
  });

  it("a custom deployment config the endpoint cannot serve is an error naming it, and the exit status is 1", async (context) => {
    if (!endpoint) return context.skip();
    const application = `${run}-custom`;
    await client.send(new CreateApplicationCommand({ applicationName: application, computePlatform: "Server" }));
    const props = groupProps(
      {
        platform: "Server",
        blueGreen: false,
        autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
      },
      application,
      "g",
    );
    await client.send(new CreateDeploymentGroupCommand({ ...props, deploymentConfigName: "team-fleet-75" } as never));
    const result = await runAudit({ region: REGION, endpoint: endpoint.url, applications: [application], retry: FAST, now: NOW });
    if (probe.calls["GetDeploymentConfig"]) return; // a full emulator serves it; nothing to fail closed on
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.objectContaining({ resourceName: "team-fleet-75" })]);
    expect(result.errors[0]?.message).toMatch(/codedeploy:GetDeploymentConfig.*used by .*-custom\/g/);
    const minimum = result.findings.find((finding) => finding.policy === "codedeploy-minimum-healthy-hosts");
    expect(minimum?.reason).not.toBeUndefined();
  });

  it("deployToEndpoint creates role, alarms, application and groups from AWS classic inputs, and the CLI audits them", async (context) => {
    if (!endpoint) return context.skip();
    const project = "reference";
    const stack = "dev";
    const urn = (type: string, name: string) => makeUrn(stack, project, type, name);
    const app = `${run}-ref-scorer`;
    const roleUrn = urn("aws:iam/role:Role", "codedeploy-role");
    const appUrn = urn("aws:codedeploy/application:Application", "scorer");
    const alarmUrn = urn("aws:cloudwatch/metricAlarm:MetricAlarm", "errors");
    const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const resources: EngineResource[] = [
      {
        urn: urn("aws:codedeploy/deploymentGroup:DeploymentGroup", "scorer-prod"),
        type: "aws:codedeploy/deploymentGroup:DeploymentGroup",
        name: "scorer-prod",
        properties: {
          appName: UNKNOWN,
          deploymentGroupName: "prod",
          serviceRoleArn: UNKNOWN,
          deploymentConfigName: "CodeDeployDefault.HalfAtATime",
          autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
          alarmConfiguration: { enabled: true, alarms: [UNKNOWN] },
          deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
          blueGreenDeploymentConfig: {
            terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 120 },
            deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
          },
          outdatedInstancesStrategy: "UPDATE",
          autoscalingGroups: ["asg-1"],
          ec2TagFilters: [{ key: "app", type: "KEY_AND_VALUE", value: "scorer" }],
        },
        propertyDependencies: { appName: [appUrn], serviceRoleArn: [roleUrn], alarmConfiguration: [alarmUrn] },
      },
      {
        urn: urn("aws:codedeploy/deploymentGroup:DeploymentGroup", "scorer-canary"),
        type: "aws:codedeploy/deploymentGroup:DeploymentGroup",
        name: "scorer-canary",
        properties: { appName: app, deploymentGroupName: "canary", serviceRoleArn: UNKNOWN, outdatedInstancesStrategy: "IGNORE" },
        propertyDependencies: { serviceRoleArn: [roleUrn] },
      },
      { urn: appUrn, type: "aws:codedeploy/application:Application", name: "scorer", properties: { name: app, computePlatform: "Server" } },
      {
        urn: roleUrn,
        type: "aws:iam/role:Role",
        name: "codedeploy-role",
        properties: {
          name: `${run}-codedeploy`,
          assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "codedeploy.amazonaws.com" }, Action: "sts:AssumeRole" }],
          }),
        },
      },
      {
        urn: alarmUrn,
        type: "aws:cloudwatch/metricAlarm:MetricAlarm",
        name: "errors",
        properties: {
          name: `${run}-errors`,
          comparisonOperator: "GreaterThanThreshold",
          evaluationPeriods: 1,
          metricName: "5XXError",
          namespace: "AWS/ApplicationELB",
          period: 60,
          statistic: "Sum",
          threshold: 5,
          dimensions: { LoadBalancer: "app/x/y" },
        },
      },
      { urn: urn("pulumi:providers:aws", "default"), type: "pulumi:providers:aws", name: "default", properties: {} },
    ];
    const deployed = await deployToEndpoint(resources, {
      endpoint: endpoint.url,
      region: REGION,
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    expect(deployed.failed).toEqual([]);
    expect(deployed.groups.sort()).toEqual([`${app}/canary`, `${app}/prod`]);
    expect(deployed.skipped.map((item) => item.type)).toEqual(["pulumi:providers:aws"]);
    const prod = (await client.send(new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: "prod" })))
      .deploymentGroupInfo;
    expect(prod?.serviceRoleArn).toBe(deployed.created.find((item) => item.type === "aws:iam/role:Role")?.arn);
    expect(prod?.blueGreenDeploymentConfiguration?.terminateBlueInstancesOnDeploymentSuccess?.terminationWaitTimeInMinutes).toBe(120);

    let out = "";
    let err = "";
    const code = await runAuditCli(["--region", REGION, "--endpoint-url", endpoint.url, "--application", app, "--format", "json"], {
      env: {},
      stdout: (text) => (out += text),
      stderr: (text) => (err += text),
      overrides: { retry: FAST, now: NOW },
    });
    const report = JSON.parse(out) as Report;
    expect(code).toBe(1);
    const found = report.violations.map((violation) => `${violation.policy} ${violation.resourceName}`);
    expect(found).toContain(`codedeploy-auto-rollback-enabled ${app}/canary`);
    expect(found).toContain(`codedeploy-outdated-instances-update ${app}/canary`);
    expect(found).toContain(`codedeploy-minimum-healthy-hosts ${app}/prod`); // HalfAtATime keeps 50 % < 66 %
    expect(found).not.toContain(`codedeploy-auto-rollback-enabled ${app}/prod`);
    if (!probe.roundTrips.has("alarmConfiguration")) expect(found).toContain(`codedeploy-alarm-rollback-configured ${app}/prod`);
    expect(
      report.violations.every((violation) => violation.urn.startsWith(`arn:aws:codedeploy:${REGION}:${ACCOUNT}:deploymentgroup:${app}/`)),
    ).toBe(true);
    // Progress on stderr (plain lines: stderr is not a terminal here), ending with the totals.
    expect(err).toMatch(/audit: done: 1\/1 account-region\(s\), 1\/1 account\(s\), 2 deployment group\(s\) read/);
  });
});
