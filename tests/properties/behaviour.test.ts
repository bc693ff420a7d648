// (b) unknowns, (c) remediation, (d) monotonicity in rollback events, (e) monotonicity in config.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyGroupPatch, toGroupModel, type PulumiResource } from "../../policy-pack/adapters";
import { POLICY_RUNNERS } from "../../policy-pack/rules";
import { oracle, verdictKey } from "../oracle/oracle";
import {
  classic,
  ecsGroupProps,
  evaluate,
  lambdaGroupProps,
  native,
  nativeServerGroupProps,
  NOW,
  serverGroupProps,
} from "../policies/fixtures";
import { EVENTS, paths, policyConfig, render, renderConfig, stackSpec, withUnknowns, type PolicyConfigSpec } from "./generators";

const RUNS = Number(process.env.FC_RUNS ?? 400);
const rank = { pass: 0, advisory: 1, mandatory: 2 } as const;

function levels(resources: readonly PulumiResource[], config: Record<string, unknown> = {}): Map<string, number> {
  const result = new Map<string, number>();
  for (const f of evaluate(resources, config, NOW)) result.set(verdictKey(f.policy, f.resource.urn), rank[f.enforcementLevel]);
  return result;
}
function notWorse(after: Map<string, number>, before: Map<string, number>): string[] {
  return [...after].filter(([key, level]) => level > (before.get(key) ?? 0)).map(([key]) => key);
}

// Compliant stacks, one per platform and provider, each group using a config or app of its stack.
const lambdaApp = classic.app("fn-app", { name: "embeddings-fn", computePlatform: "Lambda" });
const lambdaConfig = classic.config("fn-rollout", {
  deploymentConfigName: "fn-rollout",
  computePlatform: "Lambda",
  trafficRoutingConfig: { type: "TimeBasedLinear", timeBasedLinear: { interval: 1, percentage: 10 } },
});
const serverConfig = classic.config("api-rollout", {
  deploymentConfigName: "api-rollout",
  computePlatform: "Server",
  minimumHealthyHosts: { type: "FLEET_PERCENT", value: 75 },
  zonalConfig: { monitorDurationInSeconds: 600, minimumHealthyHostsPerZone: { type: "HOST_COUNT", value: 1 } },
});
const COMPLIANT: Record<string, PulumiResource[]> = {
  "classic Server + custom config": [
    serverConfig,
    classic.group("api-dg", serverGroupProps({ deploymentConfigName: "api-rollout" }), { deploymentConfigName: [serverConfig.urn] }),
  ],
  "classic Lambda + custom config": [
    lambdaApp,
    lambdaConfig,
    classic.group("fn-dg", lambdaGroupProps({ deploymentConfigName: "fn-rollout" }), {
      appName: [lambdaApp.urn],
      deploymentConfigName: [lambdaConfig.urn],
    }),
  ],
  "classic ECS blue/green": [classic.group("svc-dg", ecsGroupProps())],
  "native Server": [native.group("api-dg", nativeServerGroupProps({ deploymentConfigName: "CodeDeployDefault.OneAtATime" }))],
  "native ECS": [
    native.group("svc-dg", {
      applicationName: "ranker",
      ecsServices: [{ clusterName: "c", serviceName: "s" }],
      deploymentConfigName: "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
      autoRollbackConfiguration: {
        enabled: true,
        events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"],
      },
      alarmConfiguration: { enabled: true, alarms: [{ name: "a" }, { name: "b" }] },
      blueGreenDeploymentConfiguration: { terminateBlueInstancesOnDeploymentSuccess: { action: "KEEP_ALIVE" } },
    }),
  ],
};

describe("(b) unknowns", () => {
  it.each(Object.keys(COMPLIANT))("%s: any subset of group and config fields made unknown never gives a mandatory violation", (label) => {
    const stack = COMPLIANT[label]!;
    expect([...levels(stack).values()].filter((l) => l > 0)).toEqual([]);
    // Application fields stay known: see the report (an unknown application platform falls back to Server).
    const candidates = paths(stack, (r) => !r.type.includes("pplication"));
    fc.assert(
      fc.property(fc.subarray(candidates), fc.constantFrom("sentinel" as const, "proxy" as const), (unknownPaths, style) => {
        const mandatory = evaluate(withUnknowns(stack, unknownPaths, style), {}, NOW).filter((f) => f.enforcementLevel === "mandatory");
        expect(mandatory.map((f) => `${f.policy} ${f.resource.name}: ${f.message}`)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  // A violation in one field, and the path of that field: only it, its ancestors (and, for the blue/green
  // wait, the action that makes the wait matter: KEEP_ALIVE would pass) must stay known.
  const SEEDS: {
    label: string;
    policy: string;
    group: PulumiResource;
    field: string;
    alsoDecides?: string[];
    others?: PulumiResource[];
  }[] = [
    {
      label: "rollback disabled",
      policy: "codedeploy-auto-rollback-enabled",
      group: classic.group(
        "g",
        serverGroupProps({ autoRollbackConfiguration: { enabled: false, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] } }),
      ),
      field: "autoRollbackConfiguration.enabled",
    },
    {
      label: "no rollback events",
      policy: "codedeploy-auto-rollback-enabled",
      group: native.group("g", nativeServerGroupProps({ autoRollbackConfiguration: { enabled: true, events: [] } })),
      field: "autoRollbackConfiguration.events",
    },
    {
      label: "alarm monitoring off",
      policy: "codedeploy-alarm-rollback-configured",
      group: classic.group("g", serverGroupProps({ alarmConfiguration: { enabled: false, alarms: ["a"] } })),
      field: "alarmConfiguration.enabled",
    },
    {
      label: "ignorePollAlarmFailure",
      policy: "codedeploy-alarm-rollback-configured",
      group: native.group(
        "g",
        nativeServerGroupProps({ alarmConfiguration: { enabled: true, alarms: [{ name: "a" }], ignorePollAlarmFailure: true } }),
      ),
      field: "alarmConfiguration.ignorePollAlarmFailure",
    },
    {
      label: "11 alarms",
      policy: "codedeploy-alarm-rollback-configured",
      group: classic.group(
        "g",
        serverGroupProps({ alarmConfiguration: { enabled: true, alarms: Array.from({ length: 11 }, (_, i) => `a${i}`) } }),
      ),
      field: "alarmConfiguration.alarms",
    },
    {
      label: "HalfAtATime",
      policy: "codedeploy-minimum-healthy-hosts",
      group: classic.group("g", serverGroupProps({ deploymentConfigName: "CodeDeployDefault.HalfAtATime" })),
      field: "deploymentConfigName",
    },
    {
      label: "LambdaAllAtOnce",
      policy: "codedeploy-gradual-traffic-shifting",
      group: classic.group("g", lambdaGroupProps({ deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce" })),
      field: "deploymentConfigName",
    },
    {
      label: "ECS default all-at-once",
      policy: "codedeploy-gradual-traffic-shifting",
      group: classic.group("g", ecsGroupProps({ deploymentConfigName: undefined })),
      field: "deploymentConfigName",
    },
    {
      label: "blue fleet terminated after 5 min",
      policy: "codedeploy-blue-green-rollback-window",
      group: classic.group(
        "g",
        ecsGroupProps({
          blueGreenDeploymentConfig: {
            terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 5 },
          },
        }),
      ),
      field: "blueGreenDeploymentConfig.terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes",
      alsoDecides: ["g.blueGreenDeploymentConfig.terminateBlueInstancesOnDeploymentSuccess.action"],
    },
    {
      label: "outdated IGNORE",
      policy: "codedeploy-outdated-instances-update",
      group: classic.group("g", serverGroupProps({ outdatedInstancesStrategy: "IGNORE" })),
      field: "outdatedInstancesStrategy",
      // A computed application or config name is unknown platform evidence (docs/resolution.md): the group may be Lambda.
      alsoDecides: ["g.appName", "g.deploymentConfigName"],
    },
  ];

  it.each(SEEDS.map((s) => [s.label, s] as const))("%s: the violation stays when other fields become unknown", (_label, seed) => {
    const guarded = `g.${seed.field}`;
    const candidates = paths([seed.group]).filter(
      (p) =>
        !(guarded === p || guarded.startsWith(`${p}.`)) &&
        !(p.startsWith(`${guarded}.`) && seed.field !== "alarmConfiguration.alarms") &&
        !(seed.alsoDecides ?? []).includes(p),
    );
    fc.assert(
      fc.property(fc.subarray(candidates), fc.constantFrom("sentinel" as const, "proxy" as const), (unknownPaths, style) => {
        const stack = withUnknowns([seed.group, ...(seed.others ?? [])], unknownPaths, style);
        const finding = evaluate(stack, {}, NOW).find((f) => f.policy === seed.policy && f.resource.name === "g");
        expect(finding?.reason).toBe("violation");
      }),
      { numRuns: RUNS },
    );
  });
});

describe("(c) remediation converges and is idempotent", () => {
  const REMEDIABLE = POLICY_RUNNERS.filter((runner) => runner.remediable);

  function remediateAll(resource: PulumiResource, settings: Record<string, Record<string, unknown>>): PulumiResource {
    let current = resource;
    for (const runner of REMEDIABLE) {
      const patch = runner.configure(settings[runner.metadata.name] ?? {}, NOW).remediateGroup(toGroupModel(current)!);
      if (patch) current = { ...current, props: applyGroupPatch(current.props, patch) };
    }
    return current;
  }

  it("after remediation the remediable policies pass (unless there is nothing to fix with), and a second run changes nothing", () => {
    fc.assert(
      fc.property(stackSpec(), policyConfig, fc.nat(), (spec, configSpec, pick) => {
        const resources = render(spec);
        const config = renderConfig({ ...configSpec, levels: [] });
        const groups = resources.filter((r) => r.type.includes("eploymentGroup"));
        const group = groups[pick % groups.length]!;
        const fixed = remediateAll(group, config);
        const twice = remediateAll(fixed, config);
        expect(twice.props).toEqual(fixed.props);
        const after = oracle(
          resources.map((r) => (r === group ? fixed : r)),
          config,
          NOW,
        );
        const alarm = group.props.alarmConfiguration as { alarms?: unknown[] } | undefined;
        // Alarms are a set: duplicate names count once.
        const alarmCount = new Set(
          (alarm?.alarms ?? []).map((a) => (typeof a === "object" && a !== null ? (a as { name?: unknown }).name : a)),
        ).size;
        const minAlarms = (config["codedeploy-alarm-rollback-configured"]!.minAlarms as number | undefined) ?? 1;
        const canFixAlarms = alarmCount > 0 && alarmCount >= minAlarms && alarmCount <= 10;
        expect(after.get(verdictKey("codedeploy-auto-rollback-enabled", group.urn))).toBe("pass");
        expect(after.get(verdictKey("codedeploy-outdated-instances-update", group.urn))).toBe("pass");
        if (canFixAlarms) expect(after.get(verdictKey("codedeploy-alarm-rollback-configured", group.urn))).toBe("pass");
      }),
      { numRuns: RUNS },
    );
  });
});

describe("monotonicity", () => {
  it("(d) adding a required rollback event to a group never adds a violation", () => {
    fc.assert(
      fc.property(stackSpec(), fc.constantFrom(...EVENTS), fc.nat(), (spec, event, pick) => {
        const withBlocks = spec.groups.map((g) => ({ ...g, autoRollback: g.autoRollback ?? { enabled: true } }));
        const target = pick % withBlocks.length;
        const before = render({ ...spec, groups: withBlocks });
        const events = withBlocks[target]!.autoRollback.events ?? [];
        fc.pre(!events.includes(event));
        const added = withBlocks.map((g, i) =>
          i === target ? { ...g, autoRollback: { ...g.autoRollback, events: [...events, event] } } : g,
        );
        const after = render({ ...spec, groups: added });
        const config = { "codedeploy-auto-rollback-enabled": { requiredEvents: [...EVENTS] } };
        expect(notWorse(levels(after, config), levels(before, config))).toEqual([]);
        expect(notWorse(levels(after), levels(before))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it("(e) lowering thresholds (and requiring fewer events) never adds a violation", () => {
    const lower = (c: PolicyConfigSpec, by: { alarms: number; hosts: number; percent: number; wait: number; drop: number }) => ({
      ...c,
      minAlarms: Math.max(0, (c.minAlarms ?? 1) - by.alarms),
      minHealthyHostCount: Math.max(0, (c.minHealthyHostCount ?? 1) - by.hosts),
      minHealthyFleetPercent: Math.max(0, (c.minHealthyFleetPercent ?? 66) - by.percent),
      minTerminationWaitMinutes: Math.max(0, (c.minTerminationWaitMinutes ?? 60) - by.wait),
      requiredEvents: (c.requiredEvents ?? ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]).slice(by.drop),
    });
    fc.assert(
      fc.property(
        stackSpec(),
        policyConfig,
        fc.record({
          alarms: fc.nat({ max: 2 }),
          hosts: fc.nat({ max: 2 }),
          percent: fc.nat({ max: 70 }),
          wait: fc.nat({ max: 60 }),
          drop: fc.nat({ max: 2 }),
        }),
        (spec, configSpec, by) => {
          const resources = render(spec);
          const before = levels(resources, renderConfig(configSpec));
          const after = levels(resources, renderConfig(lower(configSpec, by) as PolicyConfigSpec));
          expect(notWorse(after, before)).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
