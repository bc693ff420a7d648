// codedeploy-minimum-healthy-hosts, message by message: the branches mutation testing showed no test
// noticing (a type unknown during preview with a known value, the thresholds' edges, MOST_CONCURRENCY and
// other types in a custom config, a type without a value, the host count a built-in's fix asks for, the
// zonal per-zone minimum, a group whose platform is undecided). Expected verdicts and messages come from
// README's policy table, docs/resolution.md and codedeploy-facts.md: HOST_COUNT >= minHealthyHostCount
// (default 1), FLEET_PERCENT minHealthyFleetPercent..99 (default 66; CodeDeploy refuses 100).
import { describe, expect, it } from "vitest";
import { check, classic, SENTINEL, serverGroupProps } from "./fixtures";

const POLICY = "codedeploy-minimum-healthy-hosts";

function customConfig(minimumHealthyHosts: unknown, extra: Record<string, unknown> = {}) {
  return classic.config("rollout", { deploymentConfigName: "rollout", computePlatform: "Server", minimumHealthyHosts, ...extra });
}
const configCheck = (minimumHealthyHosts: unknown, settings: Record<string, unknown> = {}) =>
  check(POLICY, customConfig(minimumHealthyHosts), [], { [POLICY]: settings });

describe("a config whose minimumHealthyHosts.type is unknown during preview", () => {
  const TYPE_UNKNOWN =
    'Deployment config "rollout": can\'t be checked during preview: minimumHealthyHosts.type is unknown until the update runs.';

  it("passes when the value passes both as HOST_COUNT and as FLEET_PERCENT", () => {
    for (const value of [66, 70, 99]) expect(configCheck({ type: SENTINEL, value })).toMatchObject({ verdict: "pass", message: "" });
    // Both thresholds met exactly: 70 hosts is enough when 70 are required, and 70 % is in 70..99.
    expect(configCheck({ type: SENTINEL, value: 70 }, { minHealthyHostCount: 70, minHealthyFleetPercent: 70 }).verdict).toBe("pass");
  });

  it("is a violation when the value fails both ways, whatever the type turns out to be", () => {
    expect(configCheck({ type: SENTINEL, value: 0 })).toMatchObject({
      verdict: "mandatory",
      message:
        'Deployment config "rollout": this config keeps a minimumHealthyHosts.value too few as HOST_COUNT (at least 1) and outside FLEET_PERCENT 66..99, whatever its type turns out to be; raise minimumHealthyHosts.value.',
    });
    expect(configCheck({ type: SENTINEL, value: 30 }, { minHealthyHostCount: 40, minHealthyFleetPercent: 50 }).message).toBe(
      'Deployment config "rollout": this config keeps a minimumHealthyHosts.value too few as HOST_COUNT (at least 40) and outside FLEET_PERCENT 50..99, whatever its type turns out to be; raise minimumHealthyHosts.value.',
    );
    // 100 % is refused by CodeDeploy, and 100 hosts are too few when 150 are required.
    expect(configCheck({ type: SENTINEL, value: 100 }, { minHealthyHostCount: 150 }).verdict).toBe("mandatory");
  });

  it("is advisory when the value fails one way only, naming the type as what is unknown", () => {
    // 1 is enough as HOST_COUNT but under 66 % as FLEET_PERCENT.
    expect(configCheck({ type: SENTINEL, value: 1 })).toMatchObject({ verdict: "advisory", message: TYPE_UNKNOWN });
    // 100 is enough hosts, but CodeDeploy refuses FLEET_PERCENT 100.
    expect(configCheck({ type: SENTINEL, value: 100 })).toMatchObject({ verdict: "advisory", message: TYPE_UNKNOWN });
    // 70 % is in range, but 70 hosts are fewer than the 80 required.
    expect(configCheck({ type: SENTINEL, value: 70 }, { minHealthyHostCount: 80 })).toMatchObject({
      verdict: "advisory",
      message: TYPE_UNKNOWN,
    });
  });

  it("is advisory when the value is unknown too", () => {
    expect(configCheck({ type: SENTINEL, value: SENTINEL })).toMatchObject({ verdict: "advisory", message: TYPE_UNKNOWN });
  });

  it("is a violation when there is no value at all", () => {
    expect(configCheck({ type: SENTINEL })).toMatchObject({
      verdict: "mandatory",
      message: 'Deployment config "rollout": this config sets minimumHealthyHosts without a value; set minimumHealthyHosts.value.',
    });
  });
});

describe("a custom config's minimumHealthyHosts.type", () => {
  it("MOST_CONCURRENCY is only CodeDeploy's own OneAtATime: a violation that says so", () => {
    expect(configCheck({ type: "MOST_CONCURRENCY", value: 1 })).toMatchObject({
      verdict: "mandatory",
      message:
        'Deployment config "rollout": this config has minimumHealthyHosts.type MOST_CONCURRENCY, which only CodeDeploy\'s own OneAtATime uses and users cannot set; use HOST_COUNT or FLEET_PERCENT.',
    });
  });

  it("a type CodeDeploy does not define is a violation that does not echo it", () => {
    const result = configCheck({ type: "HALF_OF_THEM", value: 1 });
    expect(result).toMatchObject({
      verdict: "mandatory",
      message:
        'Deployment config "rollout": this config has a minimumHealthyHosts.type CodeDeploy does not define; use HOST_COUNT or FLEET_PERCENT.',
    });
  });

  it("a known type without a value is a violation naming the type", () => {
    expect(configCheck({ type: "HOST_COUNT" }).message).toBe(
      'Deployment config "rollout": this config sets minimumHealthyHosts.type HOST_COUNT without a value; set minimumHealthyHosts.value.',
    );
    expect(configCheck({ type: "FLEET_PERCENT" }).message).toBe(
      'Deployment config "rollout": this config sets minimumHealthyHosts.type FLEET_PERCENT without a value; set minimumHealthyHosts.value.',
    );
  });

  it("HOST_COUNT under the configured count asks for that count, without quoting the value", () => {
    expect(configCheck({ type: "HOST_COUNT", value: 2 }, { minHealthyHostCount: 3 }).message).toBe(
      'Deployment config "rollout": this config keeps fewer healthy hosts (HOST_COUNT) than the required 3; raise minimumHealthyHosts.value to at least 3.',
    );
    expect(configCheck({ type: "HOST_COUNT", value: 3 }, { minHealthyHostCount: 3 }).verdict).toBe("pass");
  });

  it("FLEET_PERCENT under the configured percentage asks for the allowed range", () => {
    expect(configCheck({ type: "FLEET_PERCENT", value: 79 }, { minHealthyFleetPercent: 80 }).message).toBe(
      'Deployment config "rollout": this config keeps less of the fleet healthy (FLEET_PERCENT) than the required 80%; raise minimumHealthyHosts.value to 80..99.',
    );
    expect(configCheck({ type: "FLEET_PERCENT", value: 80 }, { minHealthyFleetPercent: 80 }).verdict).toBe("pass");
  });

  it("FLEET_PERCENT 100 names what CodeDeploy refuses", () => {
    expect(configCheck({ type: "FLEET_PERCENT", value: 100 }).message).toBe(
      'Deployment config "rollout": this config asks for a FLEET_PERCENT above 99, which CodeDeploy refuses (no deployment could ever start); use at most 99.',
    );
  });
});

describe("the zonal per-zone minimum", () => {
  const zonal = (perZone: unknown) =>
    check(POLICY, customConfig({ type: "FLEET_PERCENT", value: 75 }, { zonalConfig: { minimumHealthyHostsPerZone: perZone } }));

  it("is checked like the config's own minimum, under its own path", () => {
    expect(zonal({ type: "HOST_COUNT", value: 0 }).message).toBe(
      'Deployment config "rollout": its zonal config keeps fewer healthy hosts (HOST_COUNT) than the required 1; raise zonalConfig.minimumHealthyHostsPerZone.value to at least 1.',
    );
    expect(zonal({ type: SENTINEL, value: 0 }).message).toBe(
      'Deployment config "rollout": its zonal config keeps a zonalConfig.minimumHealthyHostsPerZone.value too few as HOST_COUNT (at least 1) and outside FLEET_PERCENT 66..99, whatever its type turns out to be; raise zonalConfig.minimumHealthyHostsPerZone.value.',
    );
    expect(zonal({ type: "FLEET_PERCENT", value: SENTINEL }).message).toBe(
      'Deployment config "rollout": can\'t be checked during preview: zonalConfig.minimumHealthyHostsPerZone.value is unknown until the update runs.',
    );
  });

  it("lists both when the config's own minimum and the per-zone one fail", () => {
    const config = customConfig(
      { type: "FLEET_PERCENT", value: 50 },
      { zonalConfig: { minimumHealthyHostsPerZone: { type: "FLEET_PERCENT", value: 100 } } },
    );
    expect(check(POLICY, config).message).toBe(
      'Deployment config "rollout": this config keeps less of the fleet healthy (FLEET_PERCENT) than the required 66%; raise minimumHealthyHosts.value to 66..99; its zonal config asks for a FLEET_PERCENT above 99, which CodeDeploy refuses (no deployment could ever start); use at most 99.',
    );
  });
});

describe("a built-in config on a group: its public value is quoted and the fix names the allowed settings", () => {
  const half = () => classic.group("api-dg", serverGroupProps({ deploymentConfigName: "CodeDeployDefault.HalfAtATime" }));

  it("asks for the configured host count", () => {
    expect(check(POLICY, half(), [], { [POLICY]: { minHealthyHostCount: 3 } }).message).toBe(
      'Deployment group "api-dg": uses CodeDeployDefault.HalfAtATime, which keeps less of the fleet healthy (FLEET_PERCENT 50) than the required 66%; use CodeDeployDefault.OneAtATime or a custom config with FLEET_PERCENT 66..99 or HOST_COUNT >= 3.',
    );
  });

  it("asks for at least one host even when minHealthyHostCount is 0", () => {
    expect(check(POLICY, half(), [], { [POLICY]: { minHealthyHostCount: 0 } }).message).toContain("or HOST_COUNT >= 1.");
  });

  it("passes OneAtATime (MOST_CONCURRENCY, which only built-ins use) whatever host count is asked for", () => {
    const named = classic.group("api-dg", serverGroupProps({ deploymentConfigName: "CodeDeployDefault.OneAtATime" }));
    expect(check(POLICY, named, [], { [POLICY]: { minHealthyHostCount: 5 } }).verdict).toBe("pass");
    expect(check(POLICY, classic.group("api-dg", serverGroupProps()), [], { [POLICY]: { minHealthyHostCount: 5 } }).verdict).toBe("pass");
  });
});

describe("a group whose platform is undecided", () => {
  it("reports malformed platform evidence as a violation rather than waiting for the platform", () => {
    // The group's own computePlatform is no platform CodeDeploy defines; the application name is computed.
    const group = classic.group("api-dg", serverGroupProps({ appName: SENTINEL, computePlatform: "Mainframe" }));
    expect(check(POLICY, group)).toMatchObject({
      verdict: "mandatory",
      finding: { reason: "malformed" },
      message:
        'Deployment group "api-dg": computePlatform is malformed (expected Server, Lambda or ECS, found another string), so it cannot be checked; fix its value.',
    });
  });

  it("passes when it passes as an EC2/on-premises group", () => {
    expect(check(POLICY, classic.group("api-dg", serverGroupProps({ appName: SENTINEL }))).verdict).toBe("pass");
  });

  it("says the platform cannot be told when one of its doubts is an ambiguous reference, even beside an unknown one", () => {
    const apps = [
      classic.app("app-server", { name: "inference-api", computePlatform: "Server" }),
      classic.app("app-lambda", { name: "inference-api", computePlatform: "Lambda" }),
    ];
    const group = classic.group("api-dg", serverGroupProps({ appName: "inference-api", deploymentConfigName: SENTINEL }));
    expect(check(POLICY, group, apps)).toMatchObject({
      verdict: "advisory",
      finding: { reason: "unresolved" },
      message:
        'Deployment group "api-dg": its compute platform cannot be told (its application name matches 2 applications of the stack in its scope ("app-lambda", "app-server"); deploymentConfigName is unknown during preview and does not come from a deployment config in this stack), and as an EC2/on-premises group it would not pass.',
    });
  });
});

describe("a custom Server config's own fields", () => {
  it("no minimumHealthyHosts at all is a violation saying what to set", () => {
    expect(check(POLICY, classic.config("rollout", { deploymentConfigName: "rollout", computePlatform: "Server" })).message).toBe(
      'Deployment config "rollout": this config sets no minimumHealthyHosts, so nothing keeps hosts in service during a deployment; set minimumHealthyHosts { type: "HOST_COUNT" or "FLEET_PERCENT", value }.',
    );
  });

  it("an unknown or undefined computePlatform is named as such", () => {
    const withPlatform = (computePlatform: unknown) =>
      classic.config("rollout", {
        deploymentConfigName: "rollout",
        computePlatform,
        minimumHealthyHosts: { type: "HOST_COUNT", value: 0 },
      });
    expect(check(POLICY, withPlatform(SENTINEL)).message).toBe(
      'Deployment config "rollout": can\'t be checked during preview: computePlatform is unknown until the update runs.',
    );
    expect(check(POLICY, withPlatform("Mainframe")).message).toBe(
      'Deployment config "rollout": has a computePlatform CodeDeploy does not define; use Server, Lambda or ECS.',
    );
  });
});
