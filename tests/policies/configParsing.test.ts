// The config pieces every policy shares (core/config.ts), through parsePolicyConfig as the pack runs it:
// the exemption and externalDeploymentConfigs schemas refuse exactly what the README says, name the
// field, fill defaults without sharing them, and the error text is the one the user sees.
import { describe, expect, it } from "vitest";
import {
  exemptionsSchema,
  externalDeploymentConfigsSchema,
  formatConfigErrors,
  isCalendarDate,
  parsePolicyConfig,
  type Exemption,
  type ExternalDeploymentConfig,
} from "../../policy-pack/core/config";
import { BUILT_IN_DEPLOYMENT_CONFIGS, defaultDeploymentConfig, isBuiltInName } from "../../policy-pack/core/catalog";

const schema = { properties: { exemptions: exemptionsSchema, externalDeploymentConfigs: externalDeploymentConfigsSchema } };
type Parsed = { exemptions: Exemption[]; externalDeploymentConfigs: ExternalDeploymentConfig[] };
const parse = (raw: unknown) => parsePolicyConfig<Parsed>(schema, raw);
/** Every error as `field: message`. */
const errorsOf = (raw: unknown) => {
  const parsed = parse(raw);
  return parsed.ok ? [] : parsed.errors.map((error) => `${error.field}: ${error.message}`);
};
const EXEMPTION = { resource: "legacy-*", reason: "batch job migrates in Q3", expires: "2026-09-30" };

describe("exemptions schema", () => {
  it("accepts a complete entry", () => {
    expect(parse({ exemptions: [EXEMPTION] })).toEqual({ ok: true, config: { exemptions: [EXEMPTION], externalDeploymentConfigs: [] } });
  });

  it("requires resource, reason and expires", () => {
    expect(errorsOf({ exemptions: [{}] })).toEqual([
      "exemptions[0].resource: is required",
      "exemptions[0].reason: is required",
      "exemptions[0].expires: is required",
    ]);
  });

  it("refuses empty text, a setting it does not know, a non-list and a non-object entry", () => {
    expect(errorsOf({ exemptions: [{ ...EXEMPTION, resource: "", reason: "" }] })).toEqual([
      "exemptions[0].resource: must not be empty",
      "exemptions[0].reason: must not be empty",
    ]);
    expect(errorsOf({ exemptions: [{ ...EXEMPTION, until: "2026-09-30" }] })).toEqual(["exemptions[0].until: is not a known setting"]);
    expect(errorsOf({ exemptions: "legacy-*" })).toEqual(['exemptions: must be an array, found string "legacy-*"']);
    expect(errorsOf({ exemptions: ["legacy-*"] })).toEqual(['exemptions[0]: must be an object, found string "legacy-*"']);
    expect(errorsOf({ exemptions: [{ ...EXEMPTION, resource: 7 }] })).toEqual([
      "exemptions[0].resource: must be a string, found integer 7",
    ]);
  });

  it("takes expiry dates as YYYY-MM-DD calendar dates only", () => {
    expect(errorsOf({ exemptions: [{ ...EXEMPTION, expires: "2026-9-30" }] })).toEqual([
      'exemptions[0].expires: must match ^\\d{4}-\\d{2}-\\d{2}$, found "2026-9-30"',
    ]);
    expect(errorsOf({ exemptions: [{ ...EXEMPTION, expires: "2026-09-30T00:00:00Z" }] })).toEqual([
      'exemptions[0].expires: must match ^\\d{4}-\\d{2}-\\d{2}$, found "2026-09-30T00:00:00Z"',
    ]);
    expect(errorsOf({ exemptions: [EXEMPTION, { ...EXEMPTION, expires: "2026-09-31" }] })).toEqual([
      'exemptions[1].expires: is not a calendar date: "2026-09-31"',
    ]);
  });
});

describe("externalDeploymentConfigs schema", () => {
  const external = { name: "shared-fleet-75", computePlatform: "Server", minimumHealthyHosts: { type: "FLEET_PERCENT", value: 75 } };

  it("accepts a declared config, a name alone, and every traffic routing type", () => {
    expect(errorsOf({ externalDeploymentConfigs: [external, { name: "only-a-name" }] })).toEqual([]);
    for (const trafficRoutingType of ["AllAtOnce", "TimeBasedCanary", "TimeBasedLinear", "TimeBasedFlexible"]) {
      expect(errorsOf({ externalDeploymentConfigs: [{ name: "c", computePlatform: "Lambda", trafficRoutingType }] })).toEqual([]);
    }
    for (const computePlatform of ["Server", "Lambda", "ECS"]) {
      expect(errorsOf({ externalDeploymentConfigs: [{ name: "c", computePlatform }] })).toEqual([]);
    }
    expect(errorsOf({ externalDeploymentConfigs: [{ name: "c", minimumHealthyHosts: { type: "HOST_COUNT", value: 0 } }] })).toEqual([]);
  });

  it("requires a name, and a type and value for minimumHealthyHosts", () => {
    expect(errorsOf({ externalDeploymentConfigs: [{ computePlatform: "Server" }] })).toEqual([
      "externalDeploymentConfigs[0].name: is required",
    ]);
    expect(errorsOf({ externalDeploymentConfigs: [{ name: "" }] })).toEqual(["externalDeploymentConfigs[0].name: must not be empty"]);
    expect(errorsOf({ externalDeploymentConfigs: [{ name: "c", minimumHealthyHosts: {} }] })).toEqual([
      "externalDeploymentConfigs[0].minimumHealthyHosts.type: is required",
      "externalDeploymentConfigs[0].minimumHealthyHosts.value: is required",
    ]);
  });

  it("refuses values outside the closed vocabularies, negative or fractional host values, and unknown settings", () => {
    expect(
      errorsOf({
        externalDeploymentConfigs: [
          {
            name: "c",
            computePlatform: "EC2",
            trafficRoutingType: "Canary",
            minimumHealthyHosts: { type: "PERCENT", value: -1, unit: "hosts" },
            zonal: true,
          },
        ],
      }),
    ).toEqual([
      'externalDeploymentConfigs[0].computePlatform: must be one of Server, Lambda, ECS; found "EC2"',
      'externalDeploymentConfigs[0].trafficRoutingType: must be one of AllAtOnce, TimeBasedCanary, TimeBasedLinear, TimeBasedFlexible; found "Canary"',
      'externalDeploymentConfigs[0].minimumHealthyHosts.type: must be one of HOST_COUNT, FLEET_PERCENT; found "PERCENT"',
      "externalDeploymentConfigs[0].minimumHealthyHosts.value: must be at least 0, found -1",
      "externalDeploymentConfigs[0].minimumHealthyHosts.unit: is not a known setting",
      "externalDeploymentConfigs[0].zonal: is not a known setting",
    ]);
    expect(errorsOf({ externalDeploymentConfigs: [{ name: "c", minimumHealthyHosts: { type: "HOST_COUNT", value: 1.5 } }] })).toEqual([
      "externalDeploymentConfigs[0].minimumHealthyHosts.value: must be an integer, found number 1.5",
    ]);
    expect(errorsOf({ externalDeploymentConfigs: [{ name: "c", computePlatform: 1 }] })).toEqual([
      "externalDeploymentConfigs[0].computePlatform: must be a string, found integer 1",
    ]);
  });

  it("every setting says what it is for (the Pulumi CLI shows it)", () => {
    expect(exemptionsSchema.description).toMatch(/\S/);
    for (const property of Object.values(exemptionsSchema.items!.properties!)) expect(property.description).toMatch(/\S/);
    expect(externalDeploymentConfigsSchema.description).toMatch(/\S/);
  });
});

describe("parsePolicyConfig", () => {
  it("fills the defaults with fresh copies, so one policy's config never leaks into another's", () => {
    const first = parse(undefined);
    const second = parse({});
    expect(first).toEqual({ ok: true, config: { exemptions: [], externalDeploymentConfigs: [] } });
    if (!first.ok || !second.ok) throw new Error("both parse");
    first.config.exemptions.push(EXEMPTION);
    expect(second.config.exemptions).toEqual([]);
    expect(exemptionsSchema.default).toEqual([]);
  });

  it("keeps what was given", () => {
    expect(parse({ exemptions: [EXEMPTION] })).toMatchObject({ ok: true, config: { exemptions: [EXEMPTION] } });
  });

  it("refuses a config that is not an object, naming the root", () => {
    expect(errorsOf("mandatory")).toEqual([': must be an object, found string "mandatory"']);
    expect(errorsOf(["exemptions"])).toEqual([': must be an object, found array ["exemptions"]']);
  });

  it("checks expiry dates only once the schema passes, so one error is reported once", () => {
    expect(errorsOf({ exemptions: [{ ...EXEMPTION, expires: "2026-02-30" }], other: 1 })).toEqual(["other: is not a known setting"]);
  });
});

describe("formatConfigErrors", () => {
  it("prefixes each error with the policy and the field, and joins them", () => {
    expect(
      formatConfigErrors("codedeploy-minimum-healthy-hosts", [
        { field: "minHealthyFleetPercent", message: "must be at most 99, found 150" },
        { field: "exemptions[0].reason", message: "is required" },
      ]),
    ).toBe(
      'codedeploy-minimum-healthy-hosts: config field "minHealthyFleetPercent" must be at most 99, found 150; ' +
        'codedeploy-minimum-healthy-hosts: config field "exemptions[0].reason" is required',
    );
  });

  it("names the whole config `(root)` when it is the config itself that is wrong", () => {
    expect(formatConfigErrors("codedeploy-auto-rollback-enabled", [{ field: "", message: 'must be an object, found string "on"' }])).toBe(
      'codedeploy-auto-rollback-enabled: config field "(root)" must be an object, found string "on"',
    );
  });
});

describe("isCalendarDate", () => {
  it("takes only YYYY-MM-DD dates that exist", () => {
    expect(["2028-02-29", "2026-01-01", "2026-12-31", "0001-01-01"].map(isCalendarDate)).toEqual([true, true, true, true]);
    expect(["2027-02-29", "2026-04-31", "2026-00-10", "2026-01-00", "2026-1-01"].map(isCalendarDate)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it("refuses what Date would parse but is not YYYY-MM-DD (an expanded year, a year-month)", () => {
    expect(isCalendarDate("+010000-01")).toBe(false);
    expect(isCalendarDate("2026-06")).toBe(false);
    expect(isCalendarDate(" 2026-06-01")).toBe(false);
    expect(isCalendarDate("2026-06-01 ")).toBe(false);
  });
});

describe("built-in deployment configs", () => {
  it("are what CodeDeploy uses for a group that names none, per platform", () => {
    expect(defaultDeploymentConfig("Server")).toEqual({
      name: "CodeDeployDefault.OneAtATime",
      computePlatform: "Server",
      minimumHealthyHosts: { type: "MOST_CONCURRENCY", value: 1 },
    });
    expect(defaultDeploymentConfig("Lambda")).toEqual({
      name: "CodeDeployDefault.LambdaAllAtOnce",
      computePlatform: "Lambda",
      trafficRoutingType: "AllAtOnce",
    });
    expect(defaultDeploymentConfig("ECS")).toEqual({
      name: "CodeDeployDefault.ECSAllAtOnce",
      computePlatform: "ECS",
      trafficRoutingType: "AllAtOnce",
    });
  });

  it("carry the reserved prefix, which alone makes a name built-in", () => {
    for (const config of BUILT_IN_DEPLOYMENT_CONFIGS) expect(isBuiltInName(config.name)).toBe(true);
    expect(isBuiltInName("CodeDeployDefault.SomethingNewer")).toBe(true);
    expect(isBuiltInName("my-CodeDeployDefault.OneAtATime")).toBe(false);
    expect(isBuiltInName("codedeploydefault.OneAtATime")).toBe(false);
  });
});
