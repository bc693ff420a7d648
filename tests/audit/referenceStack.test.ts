// Issue 5, the reference stack on the endpoint: the CodeDeploy applications, config and groups, the
// CloudWatch alarms and the IAM roles the reference stack registers under mocks (update mode) are
// created on the audit tier's endpoint (LocalStack with CodeDeploy, else moto on loopback) through
// the SDK, then audited with runAudit. The pack passes this stack (tests/reference-stack/pack.test.ts),
// so wherever the endpoint round-trips what was sent, the audit must pass it too; wherever it does
// not (moto 5.2.1 drops alarmConfiguration and serves no deployment configs), the audit must report
// a violation or an error, never a pass. What could not be compared is printed.
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { CodeDeployClient, GetDeploymentGroupCommand, type DeploymentGroupInfo } from "@aws-sdk/client-codedeploy";
import { IAMClient, ListAttachedRolePoliciesCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deploymentGroupArn } from "../../policy-pack/adapters/codedeployApi";
import { runAudit, type AuditResult } from "../../packages/tools/src/audit/audit";
import type { EngineResource } from "../../packages/tools/src/engine/types";
import { recordProgram, stackResources, type Recording } from "../../packages/tools/src/mocks";
import { byName, P, REFERENCE_STACK_DIR, T } from "../reference-stack/packHarness";
import { deployToEndpoint, groupInputFromClassic, plain, type DeployResult } from "./deploy";
import { startAwsEndpoint, useFakeAwsCredentials, type AwsEndpoint } from "./endpoint";

useFakeAwsCredentials();
const REGION = "us-east-1";
const ACCOUNT = "123456789012";
const NOW = new Date("2026-01-15T00:00:00Z");
const FAST = { maxAttempts: 2, backoffMs: () => 1 };
// A service name of its own: a shared LocalStack keeps what earlier runs created.
const SERVICE = `inf${Date.now().toString(36).slice(-6)}`;
const CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" };
/** The AWS managed policy each platform's CodeDeploy service role carries (the ECS one is not under service-role/). */
const MANAGED_POLICY = {
  Server: "arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole",
  Lambda: "arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda",
  ECS: "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS",
} as const;

let endpoint: AwsEndpoint | undefined;
let recording: Recording;
/**
 * The update-mode resources with what the mocked provider computed merged over the inputs: an
 * autonamed resource's inputs carry no `name` (the provider picks it), while the groups' inputs name
 * the applications and alarms by those provider-chosen names, so the inputs alone would create them
 * under other names than the groups reference.
 */
let deployed: readonly EngineResource[];
let result: DeployResult;
let audit: AuditResult;
const leftOut: string[] = [];

interface Group {
  readonly key: "server" | "lambda" | "ecs";
  readonly resource: EngineResource;
  readonly application: string;
  readonly name: string;
  readonly platform: "Server" | "Lambda" | "ECS";
  readonly arn: string;
  /** What was sent to CreateDeploymentGroup and what GetDeploymentGroup answers. */
  readonly sent: Record<string, unknown>;
  info: DeploymentGroupInfo;
}
const groups: Group[] = [];

/** `sent` is contained in `got` (extra keys in `got` are fine; an empty object is not a value). */
function contains(sent: unknown, got: unknown): boolean {
  if (Array.isArray(sent)) return Array.isArray(got) && sent.length === got.length && sent.every((item, i) => contains(item, got[i]));
  if (sent !== null && typeof sent === "object") {
    return (
      got !== null &&
      typeof got === "object" &&
      Object.entries(sent).every(([k, v]) => v === undefined || contains(v, (got as Record<string, unknown>)[k]))
    );
  }
  return sent === got;
}

const roundTrips = (group: Group, field: string) =>
  field in group.sent && contains(group.sent[field], (group.info as Record<string, unknown>)[field]);
const findingsOn = (urn: string) =>
  audit.findings
    .filter((f) => f.resource.urn === urn)
    .map((f) => `${f.policy}:${f.reason}:${f.enforcementLevel}`)
    .sort();

beforeAll(async () => {
  // Lets moto attach the AWS managed CodeDeploy policies the service roles use (off by default).
  const previous = process.env["MOTO_IAM_LOAD_MANAGED_POLICIES"];
  process.env["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true";
  try {
    // Throws under CI=true when no endpoint can be had; elsewhere undefined, and every test skips.
    [recording, endpoint] = await Promise.all([
      recordProgram({ programDir: REFERENCE_STACK_DIR, mode: "update", config: { serviceName: SERVICE } }),
      startAwsEndpoint(),
    ]);
  } finally {
    if (previous === undefined) delete process.env["MOTO_IAM_LOAD_MANAGED_POLICIES"];
    else process.env["MOTO_IAM_LOAD_MANAGED_POLICIES"] = previous;
  }
  if (!endpoint) return;
  deployed = stackResources(recording);
  result = await deployToEndpoint(deployed, { endpoint: endpoint.url, region: REGION, credentials: CREDENTIALS });

  const client = new CodeDeployClient({ region: REGION, endpoint: endpoint.url, maxAttempts: 1 });
  try {
    for (const [key, platform] of [
      ["server", "Server"],
      ["lambda", "Lambda"],
      ["ecs", "ECS"],
    ] as const) {
      const resource = byName(deployed, T.group, `${SERVICE}-${key}`);
      const application = byName(deployed, T.application, `${SERVICE}-${key}`).properties["name"] as string;
      const props = plain(resource.properties) as Parameters<typeof groupInputFromClassic>[0];
      const text = (key: string) => props[key] as string;
      const name = text("deploymentGroupName");
      // What deployToEndpoint sent: the group's own (update-mode, known) values.
      const sent = groupInputFromClassic(props, {
        application,
        serviceRoleArn: text("serviceRoleArn"),
        deploymentConfigName: text("deploymentConfigName"),
        alarms: (props["alarmConfiguration"] as { alarms: string[] }).alarms,
      }) as Record<string, unknown>;
      const info =
        (await client.send(new GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: name })))
          .deploymentGroupInfo ?? {};
      groups.push({
        key,
        resource,
        application,
        name,
        platform,
        arn: deploymentGroupArn({ region: REGION, accountId: ACCOUNT }, application, name),
        sent,
        info,
      });
    }
  } finally {
    client.destroy();
  }
  audit = await runAudit({
    region: REGION,
    endpoint: endpoint.url,
    applications: groups.map((g) => g.application),
    retry: FAST,
    now: NOW,
    policyConfig: {},
  });
});

afterAll(async () => {
  await endpoint?.stop();
  if (leftOut.length > 0)
    console.log(`[audit tier] reference stack on ${endpoint?.kind}: left out of the comparison:\n  - ${leftOut.join("\n  - ")}`);
});

describe("the reference stack deployed on the endpoint and audited", () => {
  it("creates the service roles (with their managed policies), the nine alarms, the three applications and groups", async (context) => {
    if (!endpoint) return context.skip();
    const failed = result.failed.map((f) => `${f.type} ${byUrn(f.urn)}: ${f.message}`);
    const configFailed = result.failed.filter((f) => f.type === T.config);
    // The only thing an endpoint may refuse is the custom deployment config (moto does not implement it).
    expect(result.failed.filter((f) => f.type !== T.config).map((f) => `${f.type}: ${f.message}`)).toEqual([]);
    if (endpoint.kind === "moto") expect(configFailed).toHaveLength(1);
    for (const f of failed) leftOut.push(`not created (${f})`);
    const skipped = [...new Set(result.skipped.map((s) => s.type))].filter((t) => t.startsWith("aws:"));
    leftOut.push(
      `not deployed (deployToEndpoint creates only IAM roles, attachments, alarms and CodeDeploy resources): ${skipped.join(", ")}`,
    );

    expect(result.groups.sort()).toEqual(groups.map((g) => `${g.application}/${g.name}`).sort());
    expect(groups.map((g) => g.name).sort()).toEqual([`${SERVICE}-ecs`, `${SERVICE}-lambda`, `${SERVICE}-server`]);

    const iam = new IAMClient({ region: REGION, endpoint: endpoint.url, credentials: CREDENTIALS, maxAttempts: 1 });
    const cloudwatch = new CloudWatchClient({ region: REGION, endpoint: endpoint.url, credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      for (const group of groups) {
        // The service role the group names is the one created here, with its platform's managed policy.
        const role = deployed.find((r) => r.type === T.role && r.properties["arn"] === group.info.serviceRoleArn);
        expect(role?.name, `${group.key} service role`).toBe(`${SERVICE}-codedeploy-${group.key}`);
        expect(result.created.find((c) => c.urn === role!.urn)?.arn).toBe(group.info.serviceRoleArn);
        const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role!.properties["name"] as string }));
        expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([MANAGED_POLICY[group.platform]]);
        // Every alarm the group watches exists on the endpoint.
        const alarmNames = (group.sent["alarmConfiguration"] as { alarms: { name: string }[] }).alarms.map((a) => a.name);
        expect(alarmNames).toHaveLength(3);
        const described = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: alarmNames }));
        expect(described.MetricAlarms?.map((a) => a.AlarmName).sort()).toEqual([...alarmNames].sort());
      }
    } finally {
      iam.destroy();
      cloudwatch.destroy();
    }
  });

  it("rollback settings, platform, deployment style and outdated-instances strategy round-trip, and the audit passes them", (context) => {
    if (!endpoint) return context.skip();
    for (const group of groups) {
      const sent = group.sent as { autoRollbackConfiguration: unknown };
      expect(group.info.autoRollbackConfiguration).toEqual(sent.autoRollbackConfiguration);
      expect(group.info.autoRollbackConfiguration).toEqual({ enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] });
      expect(group.info.computePlatform).toBe(group.platform);
      expect(group.info.deploymentConfigName).toBe(group.sent["deploymentConfigName"]);
      expect(group.info.serviceRoleArn).toBe(group.sent["serviceRoleArn"]);
      for (const field of ["deploymentStyle", "outdatedInstancesStrategy"] as const)
        if (field in group.sent) expect(roundTrips(group, field), `${group.key} ${field}`).toBe(true);

      const model = audit.models.find((m) => m.resource.urn === group.arn);
      expect(model, `${group.key} was read`).toBeDefined();
      const found = findingsOn(group.arn);
      expect(found.filter((f) => f.startsWith(`${P.autoRollback}:`))).toEqual([]);
      expect(found.filter((f) => f.startsWith(`${P.outdatedInstances}:`))).toEqual([]);
      expect(found.filter((f) => f.startsWith(`${P.blueGreen}:`))).toEqual([]);
      expect(found.filter((f) => f.startsWith(`${P.trafficShifting}:`))).toEqual([]);
      if (group.platform === "Lambda") expect(found.filter((f) => f.startsWith(`${P.minimumHealthyHosts}:`))).toEqual([]);
    }
  });

  it("the ECS group's service, target group pair, listeners and rollback window round-trip, and the audit passes them as the pack does", (context) => {
    if (!endpoint) return context.skip();
    const ecs = groups.find((g) => g.key === "ecs")!;
    const props = plain(ecs.resource.properties) as {
      ecsService: { clusterName: string; serviceName: string };
      loadBalancerInfo: { targetGroupPairInfo: { targetGroups: { name: string }[] } };
    };
    // What was sent is the stack's own ECS settings, not an empty shell.
    expect(ecs.sent["ecsServices"]).toEqual([props.ecsService]);
    expect(props.ecsService.serviceName).toMatch(new RegExp(`^${SERVICE}-ecs-[0-9a-f]{7}$`));
    expect((ecs.sent["loadBalancerInfo"] as { targetGroupPairInfoList: unknown[] }).targetGroupPairInfoList).toEqual([
      {
        targetGroups: props.loadBalancerInfo.targetGroupPairInfo.targetGroups,
        prodTrafficRoute: { listenerArns: [expect.stringMatching(/:listener\/app\//)] },
        testTrafficRoute: { listenerArns: [expect.stringMatching(/:listener\/app\//)] },
      },
    ]);
    expect(ecs.sent["blueGreenDeploymentConfiguration"]).toEqual({
      deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
      terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 120 },
    });
    const found = findingsOn(ecs.arn);
    for (const field of ["ecsServices", "loadBalancerInfo", "blueGreenDeploymentConfiguration", "deploymentStyle"] as const) {
      if (roundTrips(ecs, field)) continue;
      leftOut.push(
        `ecs group: ${field} (sent ${JSON.stringify(ecs.sent[field])}, answered ${JSON.stringify((ecs.info as Record<string, unknown>)[field] ?? null)})`,
      );
    }
    if (endpoint.kind === "moto") {
      for (const field of ["ecsServices", "loadBalancerInfo", "blueGreenDeploymentConfiguration"] as const)
        expect(roundTrips(ecs, field), `moto round-trips ${field}`).toBe(true);
    }
    // The pack passes the ECS group (tests/reference-stack/pack.test.ts): where the settings round-trip, so does the audit.
    expect(ecs.info.computePlatform).toBe("ECS");
    expect(ecs.info.deploymentConfigName).toBe("CodeDeployDefault.ECSCanary10Percent5Minutes");
    expect(audit.models.some((m) => m.resource.urn === ecs.arn)).toBe(true);
    expect(found.filter((f) => f.startsWith(`${P.trafficShifting}:`))).toEqual([]);
    if (roundTrips(ecs, "blueGreenDeploymentConfiguration")) expect(found.filter((f) => f.startsWith(`${P.blueGreen}:`))).toEqual([]);
    else expect(found.filter((f) => f.startsWith(`${P.blueGreen}:`))).not.toEqual([]);
    // Server-only policies leave an ECS group alone.
    expect(found.filter((f) => f.startsWith(`${P.minimumHealthyHosts}:`) || f.startsWith(`${P.outdatedInstances}:`))).toEqual([]);
  });

  it("alarmConfiguration: a pass only if the endpoint returns it; dropped (moto), it is a mandatory violation on every group", (context) => {
    if (!endpoint) return context.skip();
    for (const group of groups) {
      const alarms = findingsOn(group.arn).filter((f) => f.startsWith(`${P.alarms}:`));
      if (roundTrips(group, "alarmConfiguration")) {
        expect(alarms).toEqual([]);
      } else {
        expect(alarms).toEqual([`${P.alarms}:violation:mandatory`]);
        leftOut.push(
          `${group.key} group: alarmConfiguration (sent ${JSON.stringify(group.sent["alarmConfiguration"])}, answered ${JSON.stringify(group.info.alarmConfiguration ?? null)}); audited as a violation, not compared`,
        );
      }
      if (endpoint.kind === "moto") expect(roundTrips(group, "alarmConfiguration")).toBe(false);
    }
  });

  it("the server group's custom deployment config: a pass only if the endpoint serves it; otherwise an error naming it, and never a pass", (context) => {
    if (!endpoint) return context.skip();
    const server = groups.find((g) => g.key === "server")!;
    const configName = byName(deployed, T.config, `${SERVICE}-server`).properties["deploymentConfigName"] as string;
    expect(server.info.deploymentConfigName).toBe(configName);
    const minimum = findingsOn(server.arn).filter((f) => f.startsWith(`${P.minimumHealthyHosts}:`));
    const served = audit.inventory.configs.some((c) => c["deploymentConfigName"] === configName);
    if (served) {
      expect(minimum).toEqual([]);
      expect(audit.errors).toEqual([]);
    } else {
      expect(minimum).toHaveLength(1);
      expect(minimum[0]).toMatch(new RegExp(`^${P.minimumHealthyHosts}:(unresolved|violation|malformed):`));
      expect(audit.errors).toHaveLength(1);
      expect(audit.errors[0]?.resourceName).toBe(configName);
      expect(audit.errors[0]?.message).toMatch(new RegExp(`codedeploy:GetDeploymentConfig.*used by ${server.application}/${server.name}`));
      leftOut.push(
        `server group: deployment config ${configName} (FLEET_PERCENT 66, zonal HOST_COUNT 1) could not be read; reported as an error and an unresolved finding, not compared`,
      );
    }
    if (endpoint.kind === "moto") expect(served).toBe(false);
  });

  it("reports nothing but the endpoint's gaps, and exits non-zero when there are any", (context) => {
    if (!endpoint) return context.skip();
    const gaps = groups.some((g) => !roundTrips(g, "alarmConfiguration")) || audit.errors.length > 0;
    const unexplained = audit.findings.filter((f) => {
      const group = groups.find((g) => g.arn === f.resource.urn);
      if (!group) return true;
      if (f.policy === P.alarms) return roundTrips(group, "alarmConfiguration");
      if (f.policy === P.minimumHealthyHosts) return group.platform !== "Server" || audit.errors.length === 0;
      return true;
    });
    expect(unexplained.map((f) => `${f.policy} ${f.resource.name}: ${f.message}`)).toEqual([]);
    expect(audit.exitCode).toBe(gaps ? 1 : 0);
    expect(audit.unreachable).toBe(false);
  });
});

function byUrn(urn: string): string {
  return deployed.find((r) => r.urn === urn)?.name ?? urn;
}
