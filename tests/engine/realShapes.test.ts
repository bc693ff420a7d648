// The pack over gRPC with the payloads a real `pulumi preview` / `pulumi up` sends (checked inputs
// in Analyze, outputs in AnalyzeStack, typed unknowns, whole-list secrets, any resource order), and
// the verdicts docs/resolution.md specifies. Each scenario uses its own stack name, so the URNs the
// pack remembers from one scenario's Analyze never meet another scenario's AnalyzeStack.
import { describe, expect, it } from "vitest";
import { UNKNOWN_SENTINEL, type EngineProvider, type EngineResource, type WireProperties } from "../../packages/tools/src/engine";
import {
  CLASSIC,
  POLICIES,
  PROVIDER,
  about,
  byPolicy,
  compliantClassicGroupProps,
  diagnosticKey,
  mandatory,
  realRun,
  secret,
  stackResource,
  startPack,
  usePack,
  withValue,
} from "./helpers";

const pack = usePack();

const STACK_POLICIES = [POLICIES.minimumHealthyHosts, POLICIES.trafficShifting, POLICIES.blueGreen];

const ROLLBACK = { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] };

/** A Lambda (or ECS) group's program inputs: rollback and alarms set, blue/green with traffic control. */
function trafficGroupProps(appName: string, extra: WireProperties = {}): WireProperties {
  return {
    appName,
    deploymentGroupName: `${appName}-live`,
    serviceRoleArn: "arn:aws:iam::123456789012:role/codedeploy",
    autoRollbackConfiguration: ROLLBACK,
    alarmConfiguration: { enabled: true, alarms: [`${appName}-errors`] },
    deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
    ...extra,
  };
}

/** The program's own classic Server stack (application, custom config, group), inputs as registered. */
function serverStack(stack: string, provider: EngineProvider = PROVIDER): EngineResource[] {
  const application = stackResource(stack, CLASSIC.application, "inference-app", { name: "inference" }, { provider });
  const config = stackResource(
    stack,
    CLASSIC.config,
    "safe-rolling",
    { deploymentConfigName: "safe-rolling", minimumHealthyHosts: { type: "FLEET_PERCENT", value: 75 } },
    { provider },
  );
  const group = stackResource(stack, CLASSIC.group, "inference-group", compliantClassicGroupProps(), {
    provider,
    dependencies: [application.urn, config.urn],
    propertyDependencies: { appName: [application.urn], deploymentConfigName: [config.urn] },
  });
  return [application, config, group];
}

describe("compliant stacks in real shapes pass", () => {
  for (const mode of ["preview", "update"] as const) {
    it(`the classic Server stack, ${mode}: no diagnostics`, async () => {
      const result = await realRun(pack, serverStack(`ok-server-${mode}`), { mode, shuffleSeed: 11 });
      expect(result.all).toEqual([]);
    });

    it(`a Lambda canary group whose application is outside the stack, ${mode}: no mandatory, no traffic-shifting finding`, async () => {
      const group = stackResource(
        `lambda-outside-${mode}`,
        CLASSIC.group,
        "scorer-group",
        trafficGroupProps("scorer-external", { deploymentConfigName: "CodeDeployDefault.LambdaCanary10Percent5Minutes" }),
      );
      const result = await realRun(pack, [group], { mode, externalApplicationPlatforms: { "scorer-external": "Lambda" } });
      expect(mandatory(result.all)).toEqual([]);
      expect(byPolicy(result.all, POLICIES.trafficShifting)).toEqual([]);
      expect(byPolicy(result.all, POLICIES.minimumHealthyHosts)).toEqual([]);
    });
  }

  it("a Lambda canary group with its application in the stack, after an update (its computePlatform output known)", async () => {
    const application = stackResource("lambda-in-update", CLASSIC.application, "scorer-app", { name: "scorer", computePlatform: "Lambda" });
    const config = stackResource("lambda-in-update", CLASSIC.config, "canary", {
      deploymentConfigName: "scorer-canary",
      computePlatform: "Lambda",
      trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: { interval: 5, percentage: 10 } },
    });
    const group = stackResource(
      "lambda-in-update",
      CLASSIC.group,
      "scorer-group",
      trafficGroupProps("scorer", { deploymentConfigName: "scorer-canary" }),
      { propertyDependencies: { appName: [application.urn], deploymentConfigName: [config.urn] } },
    );
    for (const mode of ["preview", "update"] as const) {
      const result = await realRun(pack, [group, config, application], { mode, shuffleSeed: 5 });
      expect(mandatory(result.all), mode).toEqual([]);
      expect(byPolicy(result.all, POLICIES.trafficShifting), mode).toEqual([]);
    }
  });

  it("typed unknowns, whole-list secrets and nested __defaults in a compliant stack: never a mandatory violation", async () => {
    const [application, config, group] = serverStack("ok-shapes");
    const props: WireProperties = {
      ...group!.properties,
      serviceRoleArn: UNKNOWN_SENTINEL,
      alarmConfiguration: { enabled: UNKNOWN_SENTINEL, alarms: ["inference-5xx", secret("inference-p99")], ignorePollAlarmFailure: false },
      autoRollbackConfiguration: { enabled: true, events: UNKNOWN_SENTINEL },
      deploymentStyle: { deploymentType: "IN_PLACE" },
      autoscalingGroups: [UNKNOWN_SENTINEL],
    };
    const result = await realRun(pack, [application!, config!, { ...group!, properties: props }], { mode: "preview", shuffleSeed: 3 });
    expect(mandatory(result.all)).toEqual([]);
  });
});

describe("the provider's Check default on Lambda and ECS groups", () => {
  it("a Lambda group that names no config (Check sends CodeDeployDefault.OneAtATime) shifts all at once: mandatory, saying so", async () => {
    const application = stackResource("lambda-default", CLASSIC.application, "scorer-app", { name: "scorer", computePlatform: "Lambda" });
    const group = stackResource("lambda-default", CLASSIC.group, "scorer-group", trafficGroupProps("scorer"), {
      propertyDependencies: { appName: [application.urn] },
    });
    for (const mode of ["preview", "update"] as const) {
      const result = await realRun(pack, [application, group], { mode, shuffleSeed: 2 });
      const onGroup = mandatory(about(result.all, group.urn));
      expect(
        onGroup.map((diagnostic) => diagnostic.policyName),
        mode,
      ).toEqual([POLICIES.trafficShifting]);
      expect(onGroup[0]!.message).toContain("CodeDeployDefault.OneAtATime");
      expect(onGroup[0]!.message).toMatch(/names no (Lambda |ECS )?deployment config/);
      expect(onGroup[0]!.message).toMatch(/AWS provider/);
      // Not taken for a Server group: no minimum-healthy-hosts verdict on a Lambda group.
      expect(byPolicy(about(result.all, group.urn), POLICIES.minimumHealthyHosts)).toEqual([]);
    }
  });

  it("an ECS group that names no config: mandatory gradual-traffic-shifting, mentioning the provider's default", async () => {
    const group = stackResource(
      "ecs-default",
      CLASSIC.group,
      "ranker-group",
      trafficGroupProps("ranker", {
        ecsService: { clusterName: "ml", serviceName: "ranker" },
        blueGreenDeploymentConfig: {
          terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 120 },
        },
      }),
    );
    const result = await realRun(pack, [group], { mode: "preview" });
    const onGroup = mandatory(about(result.all, group.urn));
    expect(onGroup.map((diagnostic) => diagnostic.policyName)).toEqual([POLICIES.trafficShifting]);
    expect(onGroup[0]!.message).toContain("CodeDeployDefault.OneAtATime");
    expect(onGroup[0]!.message).toMatch(/names no (Lambda |ECS )?deployment config/);
  });
});

describe("compute platform from every piece of evidence", () => {
  it("an application that says Server with a config that says Lambda: one mandatory conflict, CodeDeploy refuses it", async () => {
    const application = stackResource("conflict", CLASSIC.application, "mixed-app", { name: "mixed", computePlatform: "Server" });
    const group = stackResource(
      "conflict",
      CLASSIC.group,
      "mixed-group",
      trafficGroupProps("mixed", { deploymentConfigName: "CodeDeployDefault.LambdaCanary10Percent5Minutes" }),
      { propertyDependencies: { appName: [application.urn] } },
    );
    const result = await realRun(pack, [application, group], { mode: "preview" });
    const onGroup = about(result.stack, group.urn);
    expect(mandatory(onGroup).map((diagnostic) => diagnostic.policyName)).toEqual([POLICIES.trafficShifting]);
    expect(mandatory(onGroup)[0]!.message).toMatch(/refuse/i);
    // The other platform-dependent policies do not judge that group further.
    expect(byPolicy(onGroup, POLICIES.minimumHealthyHosts)).toEqual([]);
  });

  it("an application whose platform is unknown during preview, with no other evidence: at most advisory", async () => {
    const application = stackResource("undecided", CLASSIC.application, "odd-app", { name: "odd", computePlatform: UNKNOWN_SENTINEL });
    const group = stackResource("undecided", CLASSIC.group, "odd-group", trafficGroupProps("odd"), {
      propertyDependencies: { appName: [application.urn] },
    });
    const result = await realRun(pack, [application, group], { mode: "preview" });
    expect(mandatory(about(result.all, group.urn))).toEqual([]);
  });
});

describe("names are scoped", () => {
  /** Two configs named `safe`: a compliant one in us-east-1 (its own region), one keeping no host in eu-west-1 (the provider's). */
  function twoRegions(stack: string): {
    resources: EngineResource[];
    west: EngineResource;
    east: EngineResource;
    westGroup: EngineResource;
    eastGroup: EngineResource;
  } {
    const application = stackResource(stack, CLASSIC.application, "inference-app", { name: "inference" });
    const west = stackResource(stack, CLASSIC.config, "safe-west", {
      deploymentConfigName: "safe",
      minimumHealthyHosts: { type: "HOST_COUNT", value: 0 },
    });
    const east = stackResource(stack, CLASSIC.config, "safe-east", {
      deploymentConfigName: "safe",
      region: "us-east-1",
      minimumHealthyHosts: { type: "FLEET_PERCENT", value: 75 },
    });
    const groupProps = withValue(compliantClassicGroupProps(), "deploymentConfigName", "safe");
    const westGroup = stackResource(stack, CLASSIC.group, "west-group", groupProps, {
      propertyDependencies: { appName: [application.urn] },
    });
    const eastApplication = stackResource(stack, CLASSIC.application, "inference-app-east", { name: "inference", region: "us-east-1" });
    const eastGroup = stackResource(
      stack,
      CLASSIC.group,
      "east-group",
      { ...groupProps, region: "us-east-1" },
      {
        propertyDependencies: { appName: [eastApplication.urn] },
      },
    );
    return { resources: [application, eastApplication, west, east, westGroup, eastGroup], west, east, westGroup, eastGroup };
  }

  it("two same-name configs in two regions: each group gets its own region's config", async () => {
    const { resources, west, east, westGroup, eastGroup } = twoRegions("regions");
    const result = await realRun(pack, resources, { mode: "preview", shuffleSeed: 1 });
    expect(mandatory(about(result.stack, west.urn)).map((diagnostic) => diagnostic.policyName)).toEqual([POLICIES.minimumHealthyHosts]);
    expect(about(result.stack, east.urn)).toEqual([]);
    expect(mandatory(about(result.stack, westGroup.urn)).map((diagnostic) => diagnostic.policyName)).toEqual([
      POLICIES.minimumHealthyHosts,
    ]);
    expect(about(result.all, eastGroup.urn)).toEqual([]);
  });

  it("two same-name configs in one scope: advisory naming both, never the first one", async () => {
    const stack = "ambiguous";
    const application = stackResource(stack, CLASSIC.application, "inference-app", { name: "inference" });
    const good = stackResource(stack, CLASSIC.config, "rolling-good", {
      deploymentConfigName: "rolling",
      minimumHealthyHosts: { type: "FLEET_PERCENT", value: 75 },
    });
    const bad = stackResource(stack, CLASSIC.config, "rolling-bad", {
      deploymentConfigName: "rolling",
      minimumHealthyHosts: { type: "HOST_COUNT", value: 0 },
    });
    const group = stackResource(
      stack,
      CLASSIC.group,
      "rolling-group",
      withValue(compliantClassicGroupProps(), "deploymentConfigName", "rolling"),
      {
        propertyDependencies: { appName: [application.urn] },
      },
    );
    for (const order of [
      [application, good, bad, group],
      [application, bad, good, group],
    ]) {
      const result = await realRun(pack, order, { mode: "preview" });
      const onGroup = byPolicy(about(result.stack, group.urn), POLICIES.minimumHealthyHosts);
      expect(onGroup).toHaveLength(1);
      expect(onGroup[0]!.enforcementLevel).toBe("advisory");
      expect(onGroup[0]!.message).toContain("rolling-good");
      expect(onGroup[0]!.message).toContain("rolling-bad");
    }
  });

  it("the same stack in several shuffled orders gives identical diagnostics", async () => {
    const { resources } = twoRegions("shuffled");
    const lambdaApplication = stackResource("shuffled", CLASSIC.application, "scorer-app", { name: "scorer", computePlatform: "Lambda" });
    const lambdaGroup = stackResource("shuffled", CLASSIC.group, "scorer-group", trafficGroupProps("scorer"), {
      propertyDependencies: { appName: [lambdaApplication.urn] },
    });
    const all = [...resources, ...serverStack("shuffled").slice(1), lambdaApplication, lambdaGroup];
    const runs: string[][] = [];
    for (const shuffleSeed of [1, 2, 3, 4, 5]) {
      const result = await realRun(pack, all, { mode: "preview", shuffleSeed });
      runs.push(result.stack.map(diagnosticKey).sort());
    }
    expect(runs[0]!.length).toBeGreaterThan(0);
    for (const run of runs.slice(1)) expect(run).toEqual(runs[0]);
  });
});

describe("a provider whose configuration is unknown during preview (every output {})", () => {
  const assumed: EngineProvider = {
    urn: "urn:pulumi:dev::ml-service::pulumi:providers:aws::assumed",
    type: "pulumi:providers:aws",
    name: "assumed",
    // A role created in the same stack: the SDK cannot encode the list around an unknown, so all of it is unknown.
    properties: { region: "eu-west-1", assumeRoles: UNKNOWN_SENTINEL },
  };

  function lambdaAllAtOnce(stack: string): { application: EngineResource; group: EngineResource } {
    const application = stackResource(
      stack,
      CLASSIC.application,
      "scorer-app",
      { name: "scorer", computePlatform: "Lambda" },
      { provider: assumed },
    );
    const group = stackResource(
      stack,
      CLASSIC.group,
      "scorer-group",
      trafficGroupProps("scorer", { deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce" }),
      { provider: assumed, propertyDependencies: { appName: [application.urn] } },
    );
    return { application, group };
  }

  it("the pack uses what it saw in Analyze: the right verdicts on both stacks", async () => {
    const { application, group } = lambdaAllAtOnce("unknown-provider");
    const server = serverStack("unknown-provider", assumed);
    const result = await realRun(pack, [application, group, ...server], { mode: "preview", shuffleSeed: 9 });
    expect(mandatory(about(result.stack, group.urn)).map((diagnostic) => diagnostic.policyName)).toEqual([POLICIES.trafficShifting]);
    for (const resource of server) expect(mandatory(about(result.all, resource.urn))).toEqual([]);
  });

  it("without a prior Analyze: an advisory 'cannot be checked in this preview' from each stack policy, never a pass or a mandatory", async () => {
    const fresh = await startPack();
    try {
      const { application, group } = lambdaAllAtOnce("unknown-provider-no-analyze");
      const result = await realRun(fresh, [application, group], { mode: "preview", analyze: false });
      const onGroup = about(result.stack, group.urn);
      expect(mandatory(onGroup)).toEqual([]);
      const unchecked = onGroup.filter(
        (diagnostic) => diagnostic.enforcementLevel === "advisory" && /cannot be checked in this preview/.test(diagnostic.message),
      );
      expect(new Set(unchecked.map((diagnostic) => diagnostic.policyName))).toEqual(new Set(STACK_POLICIES));
    } finally {
      await fresh.close();
    }
  });
});

describe("alarms are a set", () => {
  it("duplicate alarm names count once against minAlarms, and the finding says duplicates were found", async () => {
    const fresh = await startPack({ [POLICIES.alarms]: { minAlarms: 2 } });
    try {
      const group = stackResource(
        "duplicate-alarms",
        CLASSIC.group,
        "dup-group",
        withValue(compliantClassicGroupProps(), "alarmConfiguration.alarms", ["inference-5xx", "inference-5xx"]),
      );
      const result = await realRun(fresh, [group], { mode: "preview" });
      const found = mandatory(byPolicy(result.analyze, POLICIES.alarms));
      expect(found).toHaveLength(1);
      expect(found[0]!.message).toMatch(/duplicate/i);
      // Two distinct names meet minAlarms 2.
      const distinct = stackResource("duplicate-alarms", CLASSIC.group, "two-group", compliantClassicGroupProps());
      expect(byPolicy((await realRun(fresh, [distinct], { mode: "preview" })).all, POLICIES.alarms)).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});
