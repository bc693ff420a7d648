// The pack through @pulumi/policy's own handlers on payloads shaped as the real engine and the AWS
// classic provider shape them (../shared/engine-facts.md): inputs after Check for Analyze, outputs
// for AnalyzeStack (`{}` when the provider's configuration is unknown), the provider with each
// resource, typed unknown sentinels, whole-list secrets, nested `__defaults` lists, nulls, any order.
import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { buildPolicies } from "../../policy-pack/policies";
import { realEnginePayloads, seededShuffle } from "../../packages/tools/src/engine/realEngine";
import {
  makeUrn,
  secret,
  TYPED_UNKNOWN_SENTINELS,
  UNKNOWN_SENTINEL,
  type EngineProvider,
  type EngineResource,
  type WireProperties,
} from "../../packages/tools/src/engine/types";
import { diagnosticLines, packMessage, sdkHandlers } from "./sdkHarness";

const GROUP = "aws:codedeploy/deploymentGroup:DeploymentGroup";
const CONFIG = "aws:codedeploy/deploymentConfig:DeploymentConfig";
const APP = "aws:codedeploy/application:Application";
const HOSTS = "codedeploy-minimum-healthy-hosts";
const GRADUAL = "codedeploy-gradual-traffic-shifting";
const BLUE_GREEN = "codedeploy-blue-green-rollback-window";
const ALARMS = "codedeploy-alarm-rollback-configured";
const AUTO = "codedeploy-auto-rollback-enabled";

function awsProvider(name: string, properties: WireProperties): EngineProvider {
  return { urn: makeUrn("dev", "wiring", "pulumi:providers:aws", name), type: "pulumi:providers:aws", name, properties };
}
const EU = awsProvider("eu", { region: "eu-west-1", version: "7.12.0", skipCredentialsValidation: "false" });
const US = awsProvider("us", { region: "us-east-1", version: "7.12.0" });

function res(
  type: string,
  name: string,
  properties: WireProperties,
  options: { provider?: EngineProvider; deps?: Record<string, string[]> } = {},
): EngineResource {
  return {
    urn: makeUrn("dev", "wiring", type, name),
    type,
    name,
    properties,
    provider: options.provider ?? EU,
    dependencies: Object.values(options.deps ?? {}).flat(),
    propertyDependencies: options.deps,
  };
}

/** A Lambda canary group's inputs after the classic provider's Check (defaults filled, nested `__defaults`). */
function checkedLambdaGroup(overrides: WireProperties = {}): WireProperties {
  return {
    appName: "scorer",
    deploymentGroupName: "scorer-live",
    serviceRoleArn: "arn:aws:iam::123456789012:role/codedeploy",
    deploymentConfigName: "CodeDeployDefault.LambdaCanary10Percent5Minutes",
    outdatedInstancesStrategy: "UPDATE",
    deploymentStyle: { __defaults: [], deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" },
    autoRollbackConfiguration: { __defaults: [], enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
    alarmConfiguration: { __defaults: [], enabled: true, alarms: ["scorer-errors", "scorer-p99"] },
    ...overrides,
  };
}

const lambdaApp = (provider = EU) => res(APP, "scorer-app", { name: "scorer", computePlatform: "Lambda" }, { provider });
const lines = (result: { diagnostics: Parameters<typeof diagnosticLines>[0] }) => diagnosticLines(result.diagnostics);

describe("AnalyzeStack outputs that are `{}` (the provider's configuration is unknown during preview)", () => {
  it("are checked with the props Analyze saw for the same URN in this run", async () => {
    const { analyze, analyzeStack } = sdkHandlers(buildPolicies());
    const app = lambdaApp();
    // No config named: the classic provider's Check fills in its Server default.
    const group = res(GROUP, "scorer-dg", checkedLambdaGroup({ deploymentConfigName: "CodeDeployDefault.OneAtATime" }));
    for (const resource of [app, group]) expect((await analyze(resource)).diagnostics).toEqual([]);
    const result = await analyzeStack([
      { ...group, properties: {} },
      { ...app, properties: {} },
    ]);
    expect(lines(result)).toEqual([
      `${GRADUAL} mandatory ${group.urn}: Lambda deployment group "scorer-dg": names no Lambda deployment config: CodeDeployDefault.OneAtATime is what the AWS provider sends when a group names none, so CodeDeploy shifts all traffic to a new release at once; use a canary or linear config such as CodeDeployDefault.LambdaCanary10Percent5Minutes.`,
    ]);
  });

  it("without Analyze props, each stack policy says the resource cannot be checked in this preview, never a pass", async () => {
    const { analyzeStack } = sdkHandlers(buildPolicies());
    const group = res(GROUP, "scorer-dg", {});
    const config = res(CONFIG, "rollout", {});
    const why =
      "cannot be checked in this preview: the engine sent no properties for it (outputs are empty while its provider's configuration is unknown during preview), and the pack saw no inputs for it in Analyze during this run.";
    expect(lines(await analyzeStack([config, group, res(APP, "scorer-app", {})]))).toEqual([
      `${BLUE_GREEN} advisory ${group.urn}: Deployment group "scorer-dg": ${why}`,
      `${GRADUAL} advisory ${group.urn}: Deployment group "scorer-dg": ${why}`,
      `${HOSTS} advisory ${config.urn}: Deployment config "rollout": ${why}`,
      `${HOSTS} advisory ${group.urn}: Deployment group "scorer-dg": ${why}`,
    ]);
  });

  it("a group whose config (from its property dependency) came back `{}` takes that config as unknown", async () => {
    const { analyzeStack } = sdkHandlers(buildPolicies());
    const config = res(CONFIG, "rollout", {});
    const app = res(APP, "api", { name: "api", computePlatform: "Server" });
    const group = res(
      GROUP,
      "api-dg",
      checkedLambdaGroup({ appName: "api", deploymentConfigName: UNKNOWN_SENTINEL, deploymentStyle: { deploymentType: "IN_PLACE" } }),
      { deps: { deploymentConfigName: [config.urn] } },
    );
    const forGroup = (await analyzeStack([group, config, app])).diagnostics.filter((d) => d.urn === group.urn);
    expect(forGroup.map((d) => [d.policyName, d.enforcementLevel, packMessage(d)])).toEqual([
      [
        HOSTS,
        "advisory",
        'Deployment group "api-dg": can\'t be checked during preview: deployment config resource "rollout" cannot be checked in this preview: the engine sent no properties for it (outputs are empty while its provider\'s configuration is unknown during preview), and the pack saw no inputs for it in Analyze during this run.',
      ],
    ]);
  });

  it("outputs without the field that identifies the resource count as unreadable too", async () => {
    const { analyze, analyzeStack } = sdkHandlers(buildPolicies());
    const group = res(GROUP, "api-dg", { ...checkedLambdaGroup({ appName: "api", deploymentConfigName: "CodeDeployDefault.AllAtOnce" }) });
    const { appName: _dropped, ...withoutAppName } = group.properties;
    expect(lines(await analyzeStack([{ ...group, properties: withoutAppName }]))[0]).toContain(
      "cannot be checked in this preview: the engine sent its properties without appName, and the pack saw no inputs for it in Analyze during this run.",
    );
    await analyze(group);
    expect(lines(await analyzeStack([{ ...group, properties: withoutAppName }]))).toEqual([
      expect.stringMatching(new RegExp(`^${BLUE_GREEN} advisory .*leaves the termination of the original fleet unset`)),
      expect.stringMatching(new RegExp(`^${HOSTS} mandatory .*uses CodeDeployDefault\\.AllAtOnce`)),
    ]);
  });

  it("a run never sees another run's Analyze props", async () => {
    const { analyze, analyzeStack } = sdkHandlers(buildPolicies());
    const app = lambdaApp();
    const group = res(GROUP, "scorer-dg", checkedLambdaGroup({ deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce" }));
    const empty = [
      { ...group, properties: {} },
      { ...app, properties: {} },
    ];
    await analyze(app);
    await analyze(group);
    expect(lines(await analyzeStack(empty)).map((line) => line.split(" ").slice(0, 2).join(" "))).toEqual([`${GRADUAL} mandatory`]);
    // A second AnalyzeStack with no Analyze of its own: the first run's props are gone.
    expect(lines(await analyzeStack(empty)).every((line) => line.includes(" advisory ") && line.includes("cannot be checked"))).toBe(true);
    // The next run's Analyze starts afresh, with its own props.
    await analyze(app);
    await analyze({ ...group, properties: checkedLambdaGroup() });
    expect((await analyzeStack(empty)).diagnostics).toEqual([]);
  });

  it("as tools/engine builds a preview with an unconfigured provider: verdicts from the raw inputs Analyze got", async () => {
    const unconfigured = awsProvider("assumed", { region: "eu-west-1", assumeRole: JSON.stringify({ roleArn: UNKNOWN_SENTINEL }) });
    const program = [
      res(APP, "scorer-app", { name: "scorer", computePlatform: "Lambda" }, { provider: unconfigured }),
      res(GROUP, "scorer-dg", { ...checkedLambdaGroup(), deploymentConfigName: null }, { provider: unconfigured }),
    ];
    const payloads = realEnginePayloads(program, { mode: "preview", shuffleSeed: 7 });
    expect(payloads.analyzeStack.every((resource) => Object.keys(resource.properties).length === 0)).toBe(true);
    const { analyze, analyzeStack } = sdkHandlers(buildPolicies());
    for (const resource of payloads.analyze) await analyze(resource);
    expect(lines(await analyzeStack(payloads.analyzeStack))).toEqual([
      `${GRADUAL} mandatory ${program[1]!.urn}: Lambda deployment group "scorer-dg": names no deployment config, so CodeDeploy shifts all traffic to a new release at once; use a canary or linear config such as CodeDeployDefault.LambdaCanary10Percent5Minutes.`,
    ]);
  });
});

describe("scope through the SDK's `PolicyResource.provider`", () => {
  it("two same-name configs in two regions: the group uses the one of its provider's region", async () => {
    const { analyzeStack } = sdkHandlers(buildPolicies());
    const config = (provider: EngineProvider, name: string, value: number) =>
      res(
        CONFIG,
        name,
        { deploymentConfigName: "rollout", computePlatform: "Server", minimumHealthyHosts: { type: "FLEET_PERCENT", value } },
        { provider },
      );
    const app = (provider: EngineProvider, name: string) => res(APP, name, { name: "api", computePlatform: "Server" }, { provider });
    const group = (provider: EngineProvider, name: string) =>
      res(
        GROUP,
        name,
        checkedLambdaGroup({ appName: "api", deploymentConfigName: "rollout", deploymentStyle: { deploymentType: "IN_PLACE" } }),
        {
          provider,
        },
      );
    const stack = [
      config(EU, "rollout-eu", 75),
      config(US, "rollout-us", 50),
      app(EU, "api-eu"),
      app(US, "api-us"),
      group(EU, "eu-dg"),
      group(US, "us-dg"),
    ];
    const result = lines(await analyzeStack(stack));
    expect(result).toEqual([
      `${HOSTS} mandatory ${stack[1]!.urn}: Deployment config "rollout-us": this config keeps less of the fleet healthy (FLEET_PERCENT) than the required 66%; raise minimumHealthyHosts.value to 66..99.`,
      `${HOSTS} mandatory ${stack[5]!.urn}: Deployment group "us-dg": uses deployment config resource "rollout-us", which keeps less of the fleet healthy (FLEET_PERCENT) than the required 66%; raise minimumHealthyHosts.value to 66..99.`,
    ]);
  });

  it("a resource's own region (unknown during preview) makes both configs candidates: ambiguous, never the first", async () => {
    const { analyzeStack } = sdkHandlers(buildPolicies());
    const stack = [
      res(CONFIG, "rollout-b", { deploymentConfigName: "rollout", minimumHealthyHosts: { type: "HOST_COUNT", value: 0 } }),
      res(CONFIG, "rollout-a", {
        deploymentConfigName: "rollout",
        minimumHealthyHosts: { type: "HOST_COUNT", value: 2 },
        region: "eu-central-1",
      }),
      res(APP, "api", { name: "api", computePlatform: "Server", region: UNKNOWN_SENTINEL }),
      res(
        GROUP,
        "dg",
        checkedLambdaGroup({ appName: "api", deploymentConfigName: "rollout", region: UNKNOWN_SENTINEL, deploymentStyle: {} }),
      ),
    ];
    const forGroup = (await analyzeStack(stack)).diagnostics.filter((d) => d.urn === stack[3]!.urn);
    expect(forGroup.map((d) => [d.policyName, d.enforcementLevel, d.message])).toEqual([
      [
        HOSTS,
        "advisory",
        'Deployment group "dg": deploymentConfigName matches 2 deployment configs of the stack in its scope ("rollout-a", "rollout-b"), so which one it uses cannot be told.',
      ],
    ]);
  });
});

describe("values as the engine encodes them", () => {
  it.each([
    [
      "bool",
      AUTO,
      { autoRollbackConfiguration: { enabled: TYPED_UNKNOWN_SENTINELS.bool, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] } },
    ],
    ["array", AUTO, { autoRollbackConfiguration: { enabled: true, events: TYPED_UNKNOWN_SENTINELS.array } }],
    ["object", ALARMS, { alarmConfiguration: TYPED_UNKNOWN_SENTINELS.object }],
    [
      "bool in a block",
      ALARMS,
      { alarmConfiguration: { enabled: true, alarms: ["a"], ignorePollAlarmFailure: TYPED_UNKNOWN_SENTINELS.bool } },
    ],
  ] as const)("a typed %s unknown is 'can't be checked during preview' (Analyze)", async (_kind, policy, overrides) => {
    const { analyze } = sdkHandlers(buildPolicies());
    const result = await analyze(res(GROUP, "dg", checkedLambdaGroup(overrides as WireProperties)));
    expect(result.diagnostics.map((d) => [d.policyName, d.enforcementLevel])).toEqual([[policy, "advisory"]]);
    expect(result.diagnostics[0]!.message).toContain("can't be checked during preview");
  });

  it("typed number and object unknowns in configs and groups (AnalyzeStack)", async () => {
    const { analyzeStack } = sdkHandlers(buildPolicies());
    const config = res(CONFIG, "rollout", {
      deploymentConfigName: "rollout",
      minimumHealthyHosts: { type: "FLEET_PERCENT", value: TYPED_UNKNOWN_SENTINELS.number },
    });
    const app = res(APP, "api", { name: "api" });
    const group = res(
      GROUP,
      "dg",
      checkedLambdaGroup({ appName: "api", deploymentConfigName: "rollout", blueGreenDeploymentConfig: TYPED_UNKNOWN_SENTINELS.object }),
    );
    expect(lines(await analyzeStack([config, app, group]))).toEqual([
      `${BLUE_GREEN} advisory ${group.urn}: Deployment group "dg": can't be checked during preview: blueGreenDeploymentConfig is unknown until the update runs.`,
      `${HOSTS} advisory ${config.urn}: Deployment config "rollout": can't be checked during preview: minimumHealthyHosts.value is unknown until the update runs.`,
      `${HOSTS} advisory ${group.urn}: Deployment group "dg": can't be checked during preview: minimumHealthyHosts.value is unknown until the update runs.`,
    ]);
  });

  it("an unknown ECS service block (object sentinel) makes the group ECS; asset and archive unknowns elsewhere change nothing", async () => {
    const { analyzeStack } = sdkHandlers(buildPolicies());
    const group = res(
      GROUP,
      "svc-dg",
      checkedLambdaGroup({
        appName: "svc",
        deploymentConfigName: "CodeDeployDefault.ECSCanary10Percent5Minutes",
        ecsService: TYPED_UNKNOWN_SENTINELS.object,
        blueGreenDeploymentConfig: { terminateBlueInstancesOnDeploymentSuccess: { action: "KEEP_ALIVE" } },
        revision: TYPED_UNKNOWN_SENTINELS.asset,
        bundle: TYPED_UNKNOWN_SENTINELS.archive,
      }),
    );
    expect((await analyzeStack([group])).diagnostics).toEqual([]);
    const lambdaConfig = {
      ...group,
      properties: { ...group.properties, deploymentConfigName: "CodeDeployDefault.LambdaCanary10Percent5Minutes" },
    };
    expect(lines(await analyzeStack([lambdaConfig]))[0]).toContain(
      "its compute platform evidence conflicts (Lambda: deployment config CodeDeployDefault.LambdaCanary10Percent5Minutes; ECS: the ECS service it names)",
    );
  });

  it("whole-list secrets and secret blocks are read as their values and never quoted", async () => {
    const { analyze } = sdkHandlers(buildPolicies());
    const hidden = "prod-canary-alarm-7c1e";
    const ok = res(GROUP, "dg", checkedLambdaGroup({ alarmConfiguration: { enabled: true, alarms: secret([hidden, "scorer-p99"]) } }));
    expect((await analyze(ok)).diagnostics).toEqual([]);
    const secretBlock = res(
      GROUP,
      "dg",
      checkedLambdaGroup({ autoRollbackConfiguration: secret({ enabled: false, events: ["DEPLOYMENT_FAILURE"] }) }),
    );
    expect((await analyze(secretBlock)).diagnostics.map(packMessage)).toEqual([
      'Deployment group "dg": automatic rollback is disabled (enabled is false); set autoRollbackConfiguration.enabled to true; rollback events lack DEPLOYMENT_STOP_ON_ALARM; add them to autoRollbackConfiguration.events.',
    ]);
    const duplicates = res(GROUP, "dg", checkedLambdaGroup({ alarmConfiguration: { enabled: true, alarms: secret([hidden, hidden]) } }));
    expect((await analyze(duplicates)).diagnostics).toEqual([]); // one distinct alarm meets the default minimum of 1
    const message = await analyzeWithMinAlarms(duplicates, 2);
    expect(message).toBe(
      'Deployment group "dg": watches 1 alarm(s), fewer than the required 2; list CloudWatch alarms in alarmConfiguration.alarms; alarmConfiguration.alarms names the same alarm more than once, which the CodeDeploy API refuses (the AWS provider collapses duplicates), so each name was counted once.',
    );
    expect(message).not.toContain(hidden);
  });

  it("nested `__defaults` lists are not the user's fields: an ECS service block holding only one names no service", async () => {
    const { analyze, analyzeStack } = sdkHandlers(buildPolicies());
    const serverGroup = res(
      GROUP,
      "api-dg",
      checkedLambdaGroup({
        appName: "api",
        deploymentConfigName: "CodeDeployDefault.OneAtATime",
        ecsService: { __defaults: [] },
        deploymentStyle: {
          __defaults: ["deploymentOption", "deploymentType"],
          deploymentOption: "WITHOUT_TRAFFIC_CONTROL",
          deploymentType: "IN_PLACE",
        },
        blueGreenDeploymentConfig: { __defaults: [], terminateBlueInstancesOnDeploymentSuccess: { __defaults: [], action: "KEEP_ALIVE" } },
      }),
    );
    const config = res(CONFIG, "canary", {
      deploymentConfigName: "canary",
      computePlatform: "Lambda",
      trafficRoutingConfig: { __defaults: [], type: "TimeBasedCanary", timeBasedCanary: { __defaults: [], interval: 5, percentage: 10 } },
    });
    expect((await analyze(serverGroup)).diagnostics).toEqual([]);
    expect((await analyzeStack([serverGroup, config, res(APP, "api", { name: "api" })])).diagnostics).toEqual([]);
  });

  it("nulls are unset values, as CodeDeploy treats them", async () => {
    const { analyzeStack } = sdkHandlers(buildPolicies());
    const group = res(
      GROUP,
      "svc-dg",
      checkedLambdaGroup({
        appName: "svc",
        deploymentConfigName: null,
        ecsService: null,
        blueGreenDeploymentConfig: null,
        computePlatform: null,
      }),
    );
    const app = res(APP, "svc", { name: "svc", computePlatform: "Lambda" });
    expect(lines(await analyzeStack([group, app]))).toEqual([
      `${GRADUAL} mandatory ${group.urn}: Lambda deployment group "svc-dg": names no deployment config, so CodeDeploy shifts all traffic to a new release at once; use a canary or linear config such as CodeDeployDefault.LambdaCanary10Percent5Minutes.`,
    ]);
  });
});

async function analyzeWithMinAlarms(resource: EngineResource, minAlarms: number): Promise<string | undefined> {
  const policies = buildPolicies().map((policy) =>
    policy.name === ALARMS && "validateResource" in policy ? { ...policy, validateResource: wrapConfig(policy, { minAlarms }) } : policy,
  );
  const result = await sdkHandlers(policies).analyze(resource);
  const diagnostic = result.diagnostics.find((d) => d.policyName === ALARMS);
  return diagnostic && packMessage(diagnostic);
}

/** The policy with `getConfig` answering `config`, as `--policy-pack-config` would make the SDK answer. */
function wrapConfig(policy: ResourceValidationPolicy, config: Record<string, unknown>): ResourceValidationPolicy["validateResource"] {
  const validate = policy.validateResource as (args: ResourceValidationArgs, report: ReportViolation) => void;
  return (args, report) => validate({ ...args, getConfig: <T extends object>() => config as T }, report);
}

describe("any order of the stack's resources", () => {
  it("gives identical diagnostics, verdicts and messages", async () => {
    const eu = EU;
    const stack: EngineResource[] = [
      lambdaApp(),
      res(APP, "api-1", { name: "api", computePlatform: "Server" }),
      res(APP, "api-2", { name: "api", computePlatform: "Server" }),
      res(CONFIG, "rollout-1", { deploymentConfigName: "rollout", minimumHealthyHosts: { type: "FLEET_PERCENT", value: 80 } }),
      res(CONFIG, "rollout-2", { deploymentConfigName: "rollout", minimumHealthyHosts: { type: "FLEET_PERCENT", value: 10 } }),
      res(CONFIG, "canary", { deploymentConfigName: "canary", computePlatform: "Lambda", trafficRoutingConfig: { type: "AllAtOnce" } }),
      res(GROUP, "scorer-dg", checkedLambdaGroup({ deploymentConfigName: "CodeDeployDefault.OneAtATime" })),
      res(GROUP, "api-dg", checkedLambdaGroup({ appName: "api", deploymentConfigName: "rollout", deploymentStyle: {} })),
      res(GROUP, "canary-dg", checkedLambdaGroup({ appName: "elsewhere", deploymentConfigName: "canary" })),
      res(GROUP, "conflict-dg", checkedLambdaGroup({ appName: "api", deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce" }), {
        provider: eu,
      }),
    ];
    const { analyzeStack } = sdkHandlers(buildPolicies());
    const expected = lines(await analyzeStack(stack));
    expect(expected.length).toBeGreaterThan(4);
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      expect(lines(await analyzeStack(seededShuffle(stack, seed)))).toEqual(expected);
      expect(lines(await analyzeStack([...stack].reverse()))).toEqual(expected);
    }
  });
});
