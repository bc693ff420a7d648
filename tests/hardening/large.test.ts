// Large inputs within the gRPC limits (the SDK's server takes messages up to 400 MB): an
// AnalyzeStack of 50,000 resources (a realistic mix, CodeDeploy resources among many others) and a
// resource with a 4 MB property value. The pack's peak memory (VmHWM) stays bounded and the verdicts
// on the CodeDeploy resources are right.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { EngineResource } from "../../packages/tools/src/engine";
import {
  CLASSIC,
  POLICIES,
  PROVIDER,
  compliantClassicGroupProps,
  compliantClassicStack,
  resource,
  secret,
  usePack,
  withValue,
} from "../engine/helpers";

const MEMORY_BOUND_KB = 2 * 1024 * 1024;

function peakKb(pid: number): number {
  const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? Number.NaN);
}

const pack = usePack();

describe("large inputs", () => {
  it("AnalyzeStack of 50,000 resources: one verdict per faulty group, none for the compliant ones, bounded memory", async () => {
    const resources: EngineResource[] = [];
    const faulty: string[] = [];
    const compliant: string[] = [];
    const allAtOnce: string[] = [];
    // 500 CodeDeploy stacks (application + config + group), half of them without auto-rollback.
    for (let index = 0; index < 500; index++) {
      const names = { name: `svc-${index}` };
      // Every tenth group names CodeDeployDefault.AllAtOnce: a minimum-healthy-hosts (stack) violation.
      const props = {
        ...compliantClassicGroupProps(),
        appName: `app-${index}`,
        deploymentConfigName: index % 10 === 5 ? "CodeDeployDefault.AllAtOnce" : `cfg-${index}`,
      };
      const base = compliantClassicStack(index % 2 === 0 ? props : withValue(props, "autoRollbackConfiguration.enabled", false));
      const application = {
        ...base.application,
        urn: `${base.application.urn}-${index}`,
        name: `${names.name}-app`,
        properties: { name: `app-${index}`, computePlatform: "Server" },
      };
      const config = {
        ...base.config,
        urn: `${base.config.urn}-${index}`,
        name: `${names.name}-cfg`,
        properties: { ...base.config.properties, deploymentConfigName: `cfg-${index}` },
      };
      const group = {
        ...base.group,
        urn: `${base.group.urn}-${index}`,
        name: `${names.name}-group`,
        propertyDependencies: { appName: [application.urn], ...(index % 10 === 5 ? {} : { deploymentConfigName: [config.urn] }) },
      };
      if (index % 10 === 5) allAtOnce.push(group.urn);
      resources.push(application, config, group);
      (index % 2 === 0 ? compliant : faulty).push(group.urn);
    }
    // The rest: the kinds of resources an ML service stack is made of.
    const kinds = [
      ["aws:s3/bucket:Bucket", { bucket: "models", tags: { team: "ml" }, versioning: { enabled: true } }],
      [
        "aws:lambda/function:Function",
        {
          runtime: "python3.12",
          handler: "app.handler",
          memorySize: 1024,
          environment: { variables: { MODEL: "v7", TOKEN: secret("t0ken") } },
        },
      ],
      ["aws:iam/role:Role", { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }) }],
      [
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        { metricName: "5XXError", threshold: 1, comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 1 },
      ],
      ["aws:ec2/instance:Instance", { instanceType: "g5.xlarge", ami: "ami-123", tags: { Name: "worker" } }],
    ] as const;
    for (let index = resources.length; index < 50_000; index++) {
      const [type, properties] = kinds[index % kinds.length]!;
      resources.push(resource(type, `r-${index}`, properties, { provider: PROVIDER }));
    }
    expect(resources).toHaveLength(50_000);

    const started = Date.now();
    const { diagnostics } = await pack.analyzeStack(resources);
    const elapsed = Date.now() - started;
    // AnalyzeStack reports the stack policies: exactly the AllAtOnce groups, in resource order.
    // Auto-rollback is a resource policy (Analyze): checked on a sample of groups below.
    expect(diagnostics.map((diagnostic) => `${diagnostic.policyName} ${diagnostic.urn}`)).toEqual(
      allAtOnce.map((urn) => `${POLICIES.minimumHealthyHosts} ${urn}`),
    );
    const byUrn = new Map(resources.map((item) => [item.urn, item]));
    for (const urn of [...faulty.slice(0, 20), ...compliant.slice(0, 20)].filter((item) => !allAtOnce.includes(item))) {
      const result = await pack.analyze(byUrn.get(urn)!);
      expect(result.diagnostics.map((diagnostic) => diagnostic.policyName)).toEqual(faulty.includes(urn) ? [POLICIES.autoRollback] : []);
    }
    const peak = peakKb(pack.pid);
    console.log(`AnalyzeStack of 50,000 resources: ${elapsed} ms; pack VmHWM ${Math.round(peak / 1024)} MB`);
    expect(peak).toBeLessThan(MEMORY_BOUND_KB);
  });

  it("a resource with a 4 MB property value (in the group, in a secret, in the stack) is checked correctly", async () => {
    const big = "m".repeat(4 * 1024 * 1024);
    const props = {
      ...withValue(compliantClassicGroupProps(), "autoRollbackConfiguration.enabled", false),
      description: big,
      tags: secret({ blob: big }),
    };
    // Behind the stack's provider, so the stack's config is in its scope (docs/resolution.md).
    const group = resource(CLASSIC.group, "huge", props, { provider: PROVIDER });
    const analyzed = await pack.analyze(group);
    expect(analyzed.diagnostics.map((diagnostic) => diagnostic.policyName)).toEqual([POLICIES.autoRollback]);
    expect(analyzed.diagnostics[0]!.message.length).toBeLessThan(2_000);
    // A 4 MB alarm name: still one alarm, and the name never reaches the message.
    const alarmGroup = resource(CLASSIC.group, "huge-alarm", withValue(compliantClassicGroupProps(), "alarmConfiguration.alarms", [big]));
    expect((await pack.analyze(alarmGroup)).diagnostics).toEqual([]);
    const malformed = resource(CLASSIC.group, "huge-malformed", withValue(compliantClassicGroupProps(), "alarmConfiguration.enabled", big));
    const [diagnostic] = (await pack.analyze(malformed)).diagnostics;
    expect(diagnostic?.message).toContain("alarmConfiguration.enabled is malformed");
    expect(diagnostic!.message.length).toBeLessThan(2_000);
    const stack = await pack.analyzeStack([...Object.values(compliantClassicStack()), group]);
    expect(stack.diagnostics).toEqual([]);
    await pack.remediate(group);
    expect(peakKb(pack.pid)).toBeLessThan(MEMORY_BOUND_KB);
  });
});
