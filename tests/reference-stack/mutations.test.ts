// Property-based mutation tests of the reference stack through the policy pack over gRPC. The stack
// is recorded once under mocks (preview and update); each run mutates the recorded EngineResources'
// wire properties (inputs for Analyze and the same change in the outputs for AnalyzeStack) and sends
// the whole stack through one long-lived pack. Each mutation must be reported by exactly the policy
// that owns it, on the resource(s) it breaks, and the unmutated stack never is.
//
// Also: generated SafeDeploymentGroup arguments produce groups (and alarms) that pass the pack.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GRADUAL_BUILT_IN_CONFIGS,
  MAX_ALARMS,
  safeAlarmArgs,
  safeDeploymentGroupArgs,
  validateSafeDeploymentGroupArgs,
  type AlarmSpec,
  type SafeDeploymentGroupArgs,
} from "../../reference-stack/safeDeploymentGroupArgs";
import { makeUrn, type EngineResource, type PolicyPackClient, type WireProperties, type WireValue } from "../../packages/tools/src/engine";
import { recordProgram, stackResources, type Recording } from "../../packages/tools/src/mocks";
import { startPack } from "../engine/helpers";
import { analyzeWithPack, byName, dropPropertyDependency, keysOf, P, REFERENCE_STACK_DIR, setPath, T } from "./packHarness";

type Mode = "preview" | "update";
type Target = "server" | "lambda" | "ecs" | "config";
type Policy = (typeof P)[keyof typeof P];

/** The level each policy reports a violation at under the default config. */
const LEVEL: Record<Policy, "mandatory" | "advisory"> = {
  [P.autoRollback]: "mandatory",
  [P.alarms]: "mandatory",
  [P.minimumHealthyHosts]: "mandatory",
  [P.trafficShifting]: "mandatory",
  [P.blueGreen]: "advisory",
  [P.outdatedInstances]: "advisory",
};

/** How the tests name the three resources mutations touch (group and config share the name inference-server). */
const LABEL: Record<Target, string> = {
  server: "group:inference-server",
  lambda: "group:inference-lambda",
  ecs: "group:inference-ecs",
  config: "config:inference-server",
};

interface Mutation {
  readonly label: string;
  readonly target: Target;
  /** Parts of the target it rewrites; two mutations that share one are not combined. */
  readonly slots: readonly string[];
  readonly props: (props: WireProperties) => WireProperties;
  /** Property whose reference to another resource becomes a literal (or disappears). */
  readonly dropsDependency?: string;
  /** Findings as `target policy`; `others` are the other mutations of the same run. */
  readonly expected: (others: readonly Mutation[]) => readonly (readonly [Target, Policy])[];
}

const events = (props: WireProperties): string[] =>
  ((props["autoRollbackConfiguration"] as { events?: string[] } | undefined)?.events ?? []).slice();

function groupMutations(g: "server" | "lambda" | "ecs"): fc.Arbitrary<Mutation>[] {
  const m = (label: string, slots: string[], props: Mutation["props"], owner: Policy | undefined, dropsDependency?: string): Mutation => ({
    label: `${g}: ${label}`,
    target: g,
    slots: slots.map((s) => `${g}.${s}`),
    props,
    dropsDependency,
    expected: () => (owner ? [[g, owner]] : []),
  });
  return [
    fc.constantFrom("DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM").map((event) =>
      m(
        `drop ${event}`,
        ["events"],
        (p) =>
          setPath(
            p,
            "autoRollbackConfiguration.events",
            events(p).filter((e) => e !== event),
          ),
        P.autoRollback,
      ),
    ),
    fc.constant(
      m("disable auto-rollback", ["rollbackEnabled"], (p) => setPath(p, "autoRollbackConfiguration.enabled", false), P.autoRollback),
    ),
    fc.constant(
      m(
        "remove autoRollbackConfiguration",
        ["events", "rollbackEnabled"],
        (p) => setPath(p, "autoRollbackConfiguration", undefined),
        P.autoRollback,
      ),
    ),
    fc.constant(m("disable alarms", ["alarmsEnabled"], (p) => setPath(p, "alarmConfiguration.enabled", false), P.alarms)),
    fc.constant(m("remove all alarms", ["alarmList"], (p) => setPath(p, "alarmConfiguration.alarms", []), P.alarms, "alarmConfiguration")),
    fc.constant(
      m(
        "remove alarmConfiguration",
        ["alarmsEnabled", "alarmList", "ignorePoll"],
        (p) => setPath(p, "alarmConfiguration", undefined),
        P.alarms,
        "alarmConfiguration",
      ),
    ),
    fc.constant(
      m("ignorePollAlarmFailure true", ["ignorePoll"], (p) => setPath(p, "alarmConfiguration.ignorePollAlarmFailure", true), P.alarms),
    ),
    // Benign: rolling back on a manual stop as well is allowed.
    fc.constant(
      m(
        "add DEPLOYMENT_STOP_ON_REQUEST",
        ["events"],
        (p) => setPath(p, "autoRollbackConfiguration.events", [...events(p), "DEPLOYMENT_STOP_ON_REQUEST"]),
        undefined,
      ),
    ),
  ];
}

const serverOnly: fc.Arbitrary<Mutation>[] = [
  fc.constantFrom("CodeDeployDefault.AllAtOnce", "CodeDeployDefault.HalfAtATime").map((name): Mutation => ({
    label: `server: deploymentConfigName ${name}`,
    target: "server",
    slots: ["server.config"],
    props: (p) => setPath(p, "deploymentConfigName", name),
    dropsDependency: "deploymentConfigName",
    expected: () => [["server", P.minimumHealthyHosts]],
  })),
  // Benign: the safest built-in config, named or left to CodeDeploy's default.
  fc
    .constantFrom<[string, string | undefined]>(
      ["deploymentConfigName CodeDeployDefault.OneAtATime", "CodeDeployDefault.OneAtATime"],
      ["no deploymentConfigName (CodeDeploy's default OneAtATime)", undefined],
    )
    .map(([label, name]): Mutation => ({
      label: `server: ${label}`,
      target: "server",
      slots: ["server.config"],
      props: (p) => setPath(p, "deploymentConfigName", name),
      dropsDependency: "deploymentConfigName",
      expected: () => [],
    })),
  fc.constant<Mutation>({
    label: "server: outdatedInstancesStrategy IGNORE",
    target: "server",
    slots: ["server.outdated"],
    props: (p) => setPath(p, "outdatedInstancesStrategy", "IGNORE"),
    expected: () => [["server", P.outdatedInstances]],
  }),
  fc
    .oneof(
      fc.integer({ min: 0, max: 59 }).map((wait) => ({ action: "TERMINATE", wait, short: true })),
      fc.constant({ action: undefined, wait: undefined, short: true }),
      fc.integer({ min: 60, max: 2880 }).map((wait) => ({ action: "TERMINATE", wait, short: false })),
      fc.constant({ action: "KEEP_ALIVE", wait: undefined as number | undefined, short: false }),
    )
    .map(({ action, wait, short }): Mutation => ({
      label: `server: blue/green, ${action === undefined ? "termination unset" : `${action}${wait === undefined ? "" : ` after ${wait} min`}`}`,
      target: "server",
      slots: ["server.style"],
      props: (p) =>
        setPath(setPath(p, "deploymentStyle.deploymentType", "BLUE_GREEN"), "blueGreenDeploymentConfig", {
          deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
          greenFleetProvisioningOption: { action: "COPY_AUTO_SCALING_GROUP" },
          ...(action === undefined
            ? {}
            : {
                terminateBlueInstancesOnDeploymentSuccess: {
                  action,
                  ...(wait === undefined ? {} : { terminationWaitTimeInMinutes: wait }),
                },
              }),
        }),
      expected: () => (short ? [["server", P.blueGreen]] : []),
    })),
];

/** Whether the server group still uses the stack's custom config in this run. */
const serverUsesCustomConfig = (others: readonly Mutation[]) => !others.some((o) => o.slots.includes("server.config"));

const configMutations: fc.Arbitrary<Mutation>[] = [
  fc
    .constantFrom<[string, number]>(["FLEET_PERCENT", 50], ["HOST_COUNT", 0], ["FLEET_PERCENT", 65], ["FLEET_PERCENT", 0])
    .map(([type, value]): Mutation => ({
      label: `config: minimumHealthyHosts ${type} ${value}`,
      target: "config",
      slots: ["config.minimumHealthyHosts"],
      props: (p) => setPath(p, "minimumHealthyHosts", { type, value }),
      expected: (others) => [
        ["config", P.minimumHealthyHosts],
        ...(serverUsesCustomConfig(others) ? [["server", P.minimumHealthyHosts] as const] : []),
      ],
    })),
  fc.constant<Mutation>({
    label: "config: zonal minimumHealthyHostsPerZone HOST_COUNT 0",
    target: "config",
    slots: ["config.zonal"],
    props: (p) => setPath(p, "zonalConfig.minimumHealthyHostsPerZone", { type: "HOST_COUNT", value: 0 }),
    // The group's check reads the fleet-wide setting only; the zonal one is the config's own finding.
    expected: () => [["config", P.minimumHealthyHosts]],
  }),
  // Benign: keeping more of the fleet healthy.
  fc.integer({ min: 66, max: 99 }).map((value): Mutation => ({
    label: `config: minimumHealthyHosts FLEET_PERCENT ${value}`,
    target: "config",
    slots: ["config.minimumHealthyHosts"],
    props: (p) => setPath(p, "minimumHealthyHosts", { type: "FLEET_PERCENT", value }),
    expected: () => [],
  })),
];

const lambdaOnly: fc.Arbitrary<Mutation>[] = [
  fc
    .constantFrom<[string, string | undefined, boolean]>(
      ["deploymentConfigName CodeDeployDefault.LambdaAllAtOnce", "CodeDeployDefault.LambdaAllAtOnce", true],
      ["no deploymentConfigName (CodeDeploy's default is all at once)", undefined, true],
      ["deploymentConfigName CodeDeployDefault.OneAtATime (a Server config)", "CodeDeployDefault.OneAtATime", true],
      [
        "deploymentConfigName CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
        "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
        false,
      ],
      ["deploymentConfigName CodeDeployDefault.LambdaCanary10Percent30Minutes", "CodeDeployDefault.LambdaCanary10Percent30Minutes", false],
    )
    .map(([label, name, bad]): Mutation => ({
      label: `lambda: ${label}`,
      target: "lambda",
      slots: ["lambda.config"],
      props: (p) => setPath(p, "deploymentConfigName", name),
      dropsDependency: "deploymentConfigName",
      expected: () => (bad ? [["lambda", P.trafficShifting]] : []),
    })),
];

/** The ECS group's own settings: its deployment config and its blue/green rollback window. */
const ecsOnly: fc.Arbitrary<Mutation>[] = [
  fc
    .constantFrom<[string, string | undefined, boolean]>(
      ["deploymentConfigName CodeDeployDefault.ECSAllAtOnce", "CodeDeployDefault.ECSAllAtOnce", true],
      ["no deploymentConfigName (CodeDeploy's default is all at once)", undefined, true],
      ["deploymentConfigName CodeDeployDefault.OneAtATime (what the AWS provider sends for none)", "CodeDeployDefault.OneAtATime", true],
      [
        "deploymentConfigName CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
        "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
        false,
      ],
      ["deploymentConfigName CodeDeployDefault.ECSCanary10Percent15Minutes", "CodeDeployDefault.ECSCanary10Percent15Minutes", false],
    )
    .map(([label, name, bad]): Mutation => ({
      label: `ecs: ${label}`,
      target: "ecs",
      slots: ["ecs.config"],
      props: (p) => setPath(p, "deploymentConfigName", name),
      dropsDependency: "deploymentConfigName",
      expected: () => (bad ? [["ecs", P.trafficShifting]] : []),
    })),
  fc
    .oneof<fc.Arbitrary<{ action: string | undefined; wait: number | undefined; short: boolean }>[]>(
      fc.integer({ min: 0, max: 59 }).map((wait) => ({ action: "TERMINATE", wait, short: true })),
      fc.constant({ action: "TERMINATE", wait: undefined, short: true }),
      fc.constant({ action: undefined, wait: undefined, short: true }),
      fc.integer({ min: 60, max: 2880 }).map((wait) => ({ action: "TERMINATE", wait, short: false })),
      fc.constant({ action: "KEEP_ALIVE", wait: undefined, short: false }),
    )
    .map(({ action, wait, short }): Mutation => ({
      label: `ecs: ${action === undefined ? "termination unset" : `${action}${wait === undefined ? "" : ` after ${wait} min`}`}`,
      target: "ecs",
      slots: ["ecs.window"],
      props: (p) =>
        setPath(
          p,
          "blueGreenDeploymentConfig.terminateBlueInstancesOnDeploymentSuccess",
          action === undefined ? undefined : { action, ...(wait === undefined ? {} : { terminationWaitTimeInMinutes: wait }) },
        ),
      expected: () => (short ? [["ecs", P.blueGreen]] : []),
    })),
];

const ALL: fc.Arbitrary<Mutation>[] = [
  ...groupMutations("server"),
  ...groupMutations("lambda"),
  ...groupMutations("ecs"),
  ...serverOnly,
  ...configMutations,
  ...lambdaOnly,
  ...ecsOnly,
];
const mutationArb = fc.oneof(...ALL);
/** 0 to 3 mutations that rewrite different parts of the stack. */
const mutationSetArb = fc
  .array(mutationArb, { minLength: 0, maxLength: 3 })
  .map((list) =>
    list.reduce<Mutation[]>((kept, m) => (kept.some((k) => k.slots.some((s) => m.slots.includes(s))) ? kept : [...kept, m]), []),
  );

// ---------------------------------------------------------------------------------------------

interface Base {
  readonly resources: readonly EngineResource[];
  readonly stack: readonly EngineResource[];
  readonly urns: Record<Target, string>;
  readonly names: ReadonlyMap<string, string>;
}

let pack: PolicyPackClient;
const bases = {} as Record<Mode, Base>;

function baseOf(recording: Recording): Base {
  const urns: Record<Target, string> = {
    server: byName(recording.resources, T.group, "inference-server").urn,
    lambda: byName(recording.resources, T.group, "inference-lambda").urn,
    ecs: byName(recording.resources, T.group, "inference-ecs").urn,
    config: byName(recording.resources, T.config, "inference-server").urn,
  };
  const names = new Map<string, string>(recording.resources.map((r) => [r.urn, `${r.type.split(":").pop()}:${r.name}`]));
  for (const target of Object.keys(urns) as Target[]) names.set(urns[target], LABEL[target]);
  return { resources: recording.resources, stack: stackResources(recording), urns, names };
}

/** The mutated stack: the same change in the inputs (Analyze) and in the outputs (AnalyzeStack). */
function mutate(base: Base, mutations: readonly Mutation[]): { resources: EngineResource[]; stack: EngineResource[] } {
  const apply = (resource: EngineResource): EngineResource => {
    let result = resource;
    for (const m of mutations) {
      if (base.urns[m.target] !== resource.urn) continue;
      result = { ...result, properties: m.props(result.properties) };
      if (m.dropsDependency) result = dropPropertyDependency(result, m.dropsDependency);
    }
    return result;
  };
  return { resources: base.resources.map(apply), stack: base.stack.map(apply) };
}

function expectedKeys(base: Base, mutations: readonly Mutation[]): string[] {
  const keys = mutations.flatMap((m) =>
    m
      .expected(mutations.filter((o) => o !== m))
      .map(([target, policy]) => `${LEVEL[policy]} ${policy} @ ${base.names.get(base.urns[target])}`),
  );
  return [...new Set(keys)].sort();
}

async function findingsOf(base: Base, mutations: readonly Mutation[]): Promise<string[]> {
  const { resources, stack } = mutate(base, mutations);
  return keysOf(await analyzeWithPack(pack, resources, stack), base.names);
}

beforeAll(async () => {
  const [preview, update, started] = await Promise.all([
    recordProgram({ programDir: REFERENCE_STACK_DIR, mode: "preview" }),
    recordProgram({ programDir: REFERENCE_STACK_DIR, mode: "update" }),
    startPack({}),
  ]);
  bases.preview = baseOf(preview);
  bases.update = baseOf(update);
  pack = started;
});
afterAll(async () => {
  await pack?.close();
});

describe("mutations of the reference stack's groups and configs", () => {
  it.each(["preview", "update"] as const)("the unmutated stack (%s) is never reported", async (mode) => {
    expect(await findingsOf(bases[mode], [])).toEqual([]);
  });

  it("every kind of mutation, alone, is reported by exactly its owner on the resource it breaks (update)", async () => {
    // A few values of each kind (deduplicated by label): covers every variant of the small enumerations.
    const singles = new Map<string, Mutation>();
    for (const arb of ALL) for (const m of fc.sample(arb, { numRuns: 12, seed: 42 })) singles.set(m.label, m);
    for (const m of singles.values()) {
      expect({ mutation: m.label, findings: await findingsOf(bases.update, [m]) }).toEqual({
        mutation: m.label,
        findings: expectedKeys(bases.update, [m]),
      });
    }
    // Every enumerated variant was drawn (e.g. both AllAtOnce and HalfAtATime, all five Lambda configs).
    for (const label of [
      "server: deploymentConfigName CodeDeployDefault.AllAtOnce",
      "server: deploymentConfigName CodeDeployDefault.HalfAtATime",
      "config: minimumHealthyHosts FLEET_PERCENT 50",
      "config: minimumHealthyHosts HOST_COUNT 0",
      "lambda: deploymentConfigName CodeDeployDefault.LambdaAllAtOnce",
      "lambda: no deploymentConfigName (CodeDeploy's default is all at once)",
      "server: outdatedInstancesStrategy IGNORE",
      "server: blue/green, termination unset",
      "lambda: drop DEPLOYMENT_STOP_ON_ALARM",
      "server: drop DEPLOYMENT_FAILURE",
      "ecs: deploymentConfigName CodeDeployDefault.ECSAllAtOnce",
      "ecs: no deploymentConfigName (CodeDeploy's default is all at once)",
      "ecs: deploymentConfigName CodeDeployDefault.OneAtATime (what the AWS provider sends for none)",
      "ecs: termination unset",
      "ecs: TERMINATE",
      "ecs: remove all alarms",
      "ecs: disable auto-rollback",
      "ecs: ignorePollAlarmFailure true",
    ]) {
      expect([...singles.keys()]).toContain(label);
    }
    expect([...singles.keys()].some((label) => /^server: blue\/green, TERMINATE after ([0-9]|[1-5][0-9]) min$/.test(label))).toBe(true);
    expect([...singles.keys()].some((label) => /^ecs: TERMINATE after ([0-9]|[1-5][0-9]) min$/.test(label))).toBe(true);
  });

  it("property: any set of mutations (preview or update) is reported by exactly the owners of its mutations", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<Mode>("preview", "update"), mutationSetArb, async (mode, mutations) => {
        const base = bases[mode];
        const got = await findingsOf(base, mutations);
        expect({ mutations: mutations.map((m) => m.label), findings: got }).toEqual({
          mutations: mutations.map((m) => m.label),
          findings: expectedKeys(base, mutations),
        });
      }),
      { numRuns: 60 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// SafeDeploymentGroup arguments → the group (and alarms) it creates, in a small stack of their own.

const alarmSpecArb = (key: string): fc.Arbitrary<AlarmSpec> =>
  fc.record({
    key: fc.constant(key),
    description: fc.string({ maxLength: 20 }),
    metric: fc.record({
      namespace: fc.constantFrom("AWS/Lambda", "AWS/ApplicationELB", "ModelServing/Inference"),
      metricName: fc.constantFrom("Errors", "Duration", "PredictionError"),
      stat: fc.constantFrom("Sum", "Average", "Maximum", "p99", "p95"),
    }),
    threshold: fc.double({ min: 0, max: 1e6, noNaN: true }),
    evaluationPeriods: fc.integer({ min: 1, max: 10 }),
  });
const alarmsArb = fc
  .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), { minLength: 1, maxLength: MAX_ALARMS })
  .chain((keys) => fc.tuple(...keys.map(alarmSpecArb)));

const CUSTOM_SERVER = "team-rolling";
const CUSTOM_LAMBDA = "team-canary";
const CUSTOM_ECS = "team-ecs-linear";
const argsArb: fc.Arbitrary<SafeDeploymentGroupArgs> = fc.oneof(
  fc
    .record(
      {
        applicationName: fc.constant("app"),
        computePlatform: fc.constant("Server" as const),
        serviceRoleArn: fc.constant("arn:aws:iam::123456789012:role/cd"),
        deploymentConfigName: fc.constantFrom("CodeDeployDefault.OneAtATime", CUSTOM_SERVER),
        alarms: alarmsArb,
        rollbackOnManualStop: fc.boolean(),
        autoscalingGroups: fc.array(fc.stringMatching(/^asg-[a-z0-9]{1,8}$/), { minLength: 1, maxLength: 3 }),
        targetGroupNames: fc.constant(["tg"]),
        blueGreen: fc.record({ terminationWaitMinutes: fc.integer({ min: 60, max: 2880 }) }, { requiredKeys: [] }),
        notificationTopicArn: fc.constant("arn:aws:sns:us-east-1:123456789012:deployments"),
      },
      { requiredKeys: ["applicationName", "computePlatform", "serviceRoleArn", "alarms", "autoscalingGroups"] },
    )
    // Blue/green reroutes traffic through a target group: without one, SafeDeploymentGroup refuses the arguments.
    .map((a) => (a.blueGreen && !a.targetGroupNames ? { ...a, targetGroupNames: ["tg"] } : a)),
  fc.record(
    {
      applicationName: fc.constant("app"),
      computePlatform: fc.constant("Lambda" as const),
      serviceRoleArn: fc.constant("arn:aws:iam::123456789012:role/cd"),
      deploymentConfigName: fc.constantFrom(
        "CodeDeployDefault.LambdaCanary10Percent5Minutes",
        "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
        CUSTOM_LAMBDA,
      ),
      alarms: alarmsArb,
      rollbackOnManualStop: fc.boolean(),
      notificationTopicArn: fc.constant("arn:aws:sns:us-east-1:123456789012:deployments"),
    },
    { requiredKeys: ["applicationName", "computePlatform", "serviceRoleArn", "alarms"] },
  ),
  fc.record(
    {
      applicationName: fc.constant("app"),
      computePlatform: fc.constant("ECS" as const),
      serviceRoleArn: fc.constant("arn:aws:iam::123456789012:role/cd"),
      deploymentConfigName: fc.constantFrom(...GRADUAL_BUILT_IN_CONFIGS.ECS, CUSTOM_ECS),
      alarms: alarmsArb,
      rollbackOnManualStop: fc.boolean(),
      ecsService: fc.constant({ clusterName: "models", serviceName: "inference" }),
      targetGroupPair: fc.record(
        {
          targetGroupNames: fc.constant(["blue", "green"]),
          productionListenerArns: fc.constant(["arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/1/prod"]),
          testListenerArns: fc.constant(["arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/1/test"]),
        },
        { requiredKeys: ["targetGroupNames", "productionListenerArns"] },
      ),
      blueGreen: fc.record({ terminationWaitMinutes: fc.integer({ min: 60, max: 2880 }) }, { requiredKeys: [] }),
      notificationTopicArn: fc.constant("arn:aws:sns:us-east-1:123456789012:deployments"),
    },
    { requiredKeys: ["applicationName", "computePlatform", "serviceRoleArn", "alarms", "ecsService", "targetGroupPair"] },
  ),
);

/** Plain JSON (what a Pulumi program registers for literal inputs) as wire properties. */
const wire = (value: unknown): WireProperties => JSON.parse(JSON.stringify(value)) as WireProperties;

function componentStack(args: SafeDeploymentGroupArgs, customConfig: WireValue): EngineResource[] {
  const urn = (type: string, name: string, parent?: string) => makeUrn("dev", "generated", type, name, parent);
  const componentType = "guardrails:codedeploy:SafeDeploymentGroup";
  const component: EngineResource = { urn: urn(componentType, "g"), type: componentType, name: "g", properties: {} };
  const application: EngineResource = {
    urn: urn(T.application, "app"),
    type: T.application,
    name: "app",
    properties: { name: "app", computePlatform: args.computePlatform },
  };
  const alarms: EngineResource[] = args.alarms.map((spec) => ({
    urn: urn(T.alarm, `g-${spec.key}`, componentType),
    type: T.alarm,
    name: `g-${spec.key}`,
    parent: component.urn,
    properties: { ...wire(safeAlarmArgs(spec, { notificationTopicArn: args.notificationTopicArn })), name: `g-${spec.key}` },
  }));
  const customName = typeof args.deploymentConfigName === "string" ? args.deploymentConfigName : undefined;
  const config: EngineResource[] =
    customName !== undefined && [CUSTOM_SERVER, CUSTOM_LAMBDA, CUSTOM_ECS].includes(customName)
      ? [
          {
            urn: urn(T.config, "custom"),
            type: T.config,
            name: "custom",
            properties: { ...(customConfig as WireProperties), deploymentConfigName: customName },
          },
        ]
      : [];
  const group: EngineResource = {
    urn: urn(T.group, "g", componentType),
    type: T.group,
    name: "g",
    parent: component.urn,
    properties: wire(
      safeDeploymentGroupArgs(
        "g",
        args,
        alarms.map((a) => a.name),
      ),
    ),
    dependencies: [application.urn, ...alarms.map((a) => a.urn), ...config.map((c) => c.urn)],
    propertyDependencies: {
      appName: [application.urn],
      alarmConfiguration: alarms.map((a) => a.urn),
      deploymentConfigName: config.map((c) => c.urn),
    },
  };
  return [component, application, ...alarms, ...config, group];
}

const customConfigArb = (platform: "Server" | "Lambda" | "ECS"): fc.Arbitrary<WireValue> =>
  platform === "Server"
    ? fc.oneof(
        fc
          .integer({ min: 66, max: 99 })
          .map((value) => ({ computePlatform: "Server", minimumHealthyHosts: { type: "FLEET_PERCENT", value } })),
        fc.integer({ min: 1, max: 20 }).map((value) => ({ computePlatform: "Server", minimumHealthyHosts: { type: "HOST_COUNT", value } })),
      )
    : fc.oneof(
        fc
          .record({ interval: fc.integer({ min: 1, max: 60 }), percentage: fc.integer({ min: 1, max: 99 }) })
          .map((c) => ({ computePlatform: platform, trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: c } })),
        fc
          .record({ interval: fc.integer({ min: 1, max: 60 }), percentage: fc.integer({ min: 1, max: 99 }) })
          .map((c) => ({ computePlatform: platform, trafficRoutingConfig: { type: "TimeBasedLinear", timeBasedLinear: c } })),
      );

describe("SafeDeploymentGroup arguments through the pack", () => {
  it("property: valid arguments give a group, alarms (and custom config) with no finding at all", async () => {
    await fc.assert(
      fc.asyncProperty(
        argsArb.chain((args) => fc.tuple(fc.constant(args), customConfigArb(args.computePlatform))),
        async ([args, customConfig]) => {
          expect(validateSafeDeploymentGroupArgs(args)).toEqual([]);
          const resources = componentStack(args, customConfig);
          const findings = await analyzeWithPack(pack, resources, resources);
          expect(findings.map((f) => `${f.enforcementLevel} ${f.policy}: ${f.message}`)).toEqual([]);
        },
      ),
      { numRuns: 15 },
    );
  });
});
