// A value marked secret never shows: distinctive secret strings at every string-valued field the
// pack reads (and elsewhere, and as whole secret blocks) never appear in a diagnostic over gRPC
// (Analyze, AnalyzeStack, Remediate), nor in the shared report (table, JSON, SARIF) built from those
// diagnostics even with masking off, nor in the audit's output for the same free-text fields.
//
// Extending to `check` (being written): run its CLI entry on a program or state file holding the
// same secret values (tools/check/run.ts gathers them as `secretValues`), capture stdout/stderr in
// every format, and reuse `leaks()` below on the output — with masking off as well as on, so the
// test shows the pack itself never echoes them and masking is only defence in depth.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateStack } from "../../policy-pack/evaluate";
import { toModel } from "../../policy-pack/adapters";
import type { CodeDeployModel } from "../../policy-pack/core/model";
import { runAuditCli } from "../../packages/tools/src/audit/main";
import type { CodeDeploySender } from "../../packages/tools/src/audit/client";
import {
  SECRET_SIG,
  SPECIAL_SIG_KEY,
  type EngineResource,
  type PolicyPackClient,
  type WireProperties,
  type WireValue,
} from "../../packages/tools/src/engine";
import {
  buildReport,
  OUTPUT_FORMATS,
  renderReport,
  reportFromFindings,
  severityOf,
  type ReportViolation,
} from "../../packages/tools/src/report";
import { CLASSIC, NATIVE, resource, secret, startPack } from "../engine/helpers";
import { getAt } from "./fuzz/cases";
import { toPulumiResource } from "./fuzz/oracle";
import { setAt, validStack, type Flavor } from "./fuzz/stacks";

const MARK = "S3CR3T";
let counter = 0;
const secrets: string[] = [];
function secretString(label: string): string {
  const value = `${MARK}-${label}-${(counter++).toString(36)}-q7x`;
  secrets.push(value);
  return value;
}

function leaks(text: string): string[] {
  return text.includes(MARK) ? secrets.filter((value) => text.includes(value)).concat(text.includes(MARK) ? [MARK] : []) : [];
}

/** String-valued fields the pack reads, per resource, in each provider's names. */
const STRING_FIELDS: Record<"group" | "config" | "application", Record<"classic" | "native", string[]>> = {
  group: {
    classic: [
      "appName",
      "deploymentGroupName",
      "deploymentConfigName",
      "computePlatform",
      "autoRollbackConfiguration.events[0]",
      "autoRollbackConfiguration.events[1]",
      "alarmConfiguration.alarms[0]",
      "deploymentStyle.deploymentType",
      "blueGreenDeploymentConfig.terminateBlueInstancesOnDeploymentSuccess.action",
      "outdatedInstancesStrategy",
      "serviceRoleArn",
    ],
    native: [
      "applicationName",
      "deploymentGroupName",
      "deploymentConfigName",
      "autoRollbackConfiguration.events[0]",
      "alarmConfiguration.alarms[0].name",
      "deploymentStyle.deploymentType",
      "blueGreenDeploymentConfiguration.terminateBlueInstancesOnDeploymentSuccess.action",
      "outdatedInstancesStrategy",
      "serviceRoleArn",
    ],
  },
  config: {
    classic: [
      "deploymentConfigName",
      "computePlatform",
      "minimumHealthyHosts.type",
      "trafficRoutingConfig.type",
      "zonalConfig.minimumHealthyHostsPerZone.type",
    ],
    native: ["deploymentConfigName", "computePlatform", "minimumHealthyHosts.type", "trafficRoutingConfig.type"],
  },
  application: { classic: ["name", "computePlatform"], native: ["applicationName", "computePlatform"] },
};

/** Sets `path` (creating parents) in a copy. */
function put(props: WireProperties, path: string, value: WireValue): WireProperties {
  const parts = path.split(".");
  let copy = props;
  for (let index = 1; index < parts.length; index++) {
    const parent = parts.slice(0, index).join(".");
    if (getAt(copy, parent) === undefined) copy = setAt(copy, parent, /\[\d+\]$/.test(parts[index]!) ? {} : {});
  }
  const arrayItem = /^(.*)\[(\d+)\]$/.exec(path);
  if (arrayItem && !Array.isArray(getAt(copy, arrayItem[1]!))) copy = setAt(copy, arrayItem[1]!, []);
  return setAt(copy, path, value);
}

interface SecretCase {
  readonly label: string;
  readonly stack: EngineResource[];
  readonly target: EngineResource;
}

function cases(): SecretCase[] {
  const result: SecretCase[] = [];
  const flavors: Flavor[] = ["classicServer", "classicLambda", "nativeServer", "nativeEcs"];
  for (const flavor of flavors) {
    const provider = flavor.startsWith("native") ? "native" : "classic";
    const types = provider === "native" ? NATIVE : CLASSIC;
    for (const role of ["group", "config", "application"] as const) {
      const valid = validStack(flavor, `${flavor}-${role}`);
      if (role === "config" && !valid.config) continue;
      const fields = STRING_FIELDS[role][provider];
      // One field at a time (so each reaches the message it could leak into), then all at once,
      // then the same values as plain strings inside one secret block.
      const variants: { label: string; mutate: (props: WireProperties) => WireProperties }[] = [
        ...fields.map((field) => ({ label: field, mutate: (props: WireProperties) => put(props, field, secret(secretString(field))) })),
        { label: "all", mutate: (props) => fields.reduce((acc, field) => put(acc, field, secret(secretString(field))), props) },
        {
          label: "secret blocks",
          mutate: (props) => {
            const plain = fields.reduce((acc, field) => put(acc, field, secretString(`block-${field}`)), props);
            const wrapped: WireProperties = {};
            for (const [key, value] of Object.entries(plain)) wrapped[key] = secret(value);
            return { ...wrapped, tags: secret({ owner: secretString("tag") }), [secretString("key-is-not-secret")]: 1 };
          },
        },
      ];
      for (const [index, variant] of variants.entries()) {
        const suffix = `${flavor}-${role}-${index}`;
        const application = resource(
          types.application,
          `app-${suffix}`,
          role === "application" ? variant.mutate(valid.application) : valid.application,
        );
        const config = valid.config
          ? resource(types.config, `config-${suffix}`, role === "config" ? variant.mutate(valid.config) : valid.config)
          : undefined;
        const group = resource(types.group, `group-${suffix}`, role === "group" ? variant.mutate(valid.group) : valid.group, {
          propertyDependencies: {
            appName: [application.urn],
            applicationName: [application.urn],
            ...(config ? { deploymentConfigName: [config.urn] } : {}),
          },
        });
        const target = role === "group" ? group : role === "config" ? config! : application;
        result.push({ label: `${flavor} ${role} ${variant.label}`, stack: [application, ...(config ? [config] : []), group], target });
      }
    }
  }
  return result;
}

/** Every string of remediated props that is not inside a secret wrapper. */
function plainStrings(value: WireValue, inSecret = false, out: string[] = []): string[] {
  if (typeof value === "string") {
    if (!inSecret) out.push(value);
  } else if (Array.isArray(value)) value.forEach((item) => plainStrings(item, inSecret, out));
  else if (value && typeof value === "object") {
    const isSecret = value[SPECIAL_SIG_KEY] === SECRET_SIG;
    for (const [key, item] of Object.entries(value)) {
      if (!inSecret && !isSecret) out.push(key);
      plainStrings(item, inSecret || isSecret, out);
    }
  }
  return out;
}

let pack: PolicyPackClient;
const CASES = cases();

beforeAll(async () => {
  // Remediation on, so Remediate runs (and rewrites secret blocks) for the three remediable policies.
  pack = await startPack({
    "codedeploy-auto-rollback-enabled": "remediate",
    "codedeploy-alarm-rollback-configured": "remediate",
    "codedeploy-outdated-instances-update": "remediate",
  });
});

afterAll(async () => {
  await pack?.close();
});

describe("secrets over gRPC", () => {
  it(`no diagnostic of Analyze, AnalyzeStack or Remediate echoes a secret (${CASES.length} cases), and remediated props keep them secret`, async () => {
    const violations: ReportViolation[] = [];
    let withDiagnostics = 0;
    for (const item of CASES) {
      const analyzed = await pack.analyze(item.target);
      const stacked = await pack.analyzeStack(item.stack);
      const remediated = await pack.remediate(item.target);
      const diagnostics = [...analyzed.diagnostics, ...stacked.diagnostics];
      if (diagnostics.length > 0) withDiagnostics++;
      for (const diagnostic of diagnostics) {
        expect(leaks(diagnostic.message), `${item.label}: ${diagnostic.message}`).toEqual([]);
        violations.push({
          policy: diagnostic.policyName,
          enforcementLevel: diagnostic.enforcementLevel === "advisory" ? "advisory" : "mandatory",
          severity: severityOf(diagnostic.policyName),
          urn: diagnostic.urn || item.target.urn,
          resourceType: item.target.type,
          resourceName: item.target.name,
          message: diagnostic.message,
        });
      }
      for (const remediation of remediated.remediations) {
        expect(leaks(remediation.diagnostic), item.label).toEqual([]);
        const exposed = plainStrings((remediation.properties ?? {}) as WireValue).filter(
          (text) => text.includes(MARK) && !text.includes("key-is-not-secret"),
        );
        expect(exposed, `${item.label}: remediation of ${remediation.policyName} unwrapped a secret`).toEqual([]);
      }
    }
    // The cases do reach messages: a good part of them are violations.
    expect(withDiagnostics).toBeGreaterThan(CASES.length / 4);

    // The shared report, in every format, masking off: nothing to mask because nothing leaked.
    const report = buildReport(violations, CASES.length);
    for (const format of OUTPUT_FORMATS) expect(leaks(renderReport(report, format)), format).toEqual([]);
  });

  it("the report's masking is defence in depth: a forged leaking message is masked in every format", () => {
    const value = secretString("forged");
    const report = buildReport(
      [
        {
          policy: "codedeploy-alarm-rollback-configured",
          enforcementLevel: "mandatory",
          severity: "high",
          urn: "u",
          resourceType: "t",
          resourceName: "n",
          message: `alarm ${value}`,
        },
      ],
      1,
    );
    for (const format of OUTPUT_FORMATS) {
      expect(renderReport(report, format)).toContain(value);
      expect(renderReport(report, format, { secretValues: [value] })).not.toContain(value);
    }
  });
});

describe("secrets on the direct path (evaluateStack, as audit runs it)", () => {
  it("no finding echoes a secret, and the report in every format stays clean", () => {
    const models = CASES.flatMap((item) => item.stack.map((entry) => toModel(toPulumiResource(entry)))).filter(
      (model): model is CodeDeployModel => model !== undefined,
    );
    const findings = evaluateStack(models, {}, new Date("2026-01-15T00:00:00Z"));
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) expect(leaks(finding.message), finding.message).toEqual([]);
    const report = reportFromFindings(findings, models.length);
    for (const format of OUTPUT_FORMATS) expect(leaks(renderReport(report, format)), format).toEqual([]);
  });
});

describe("audit output", () => {
  it("free-text values of live groups and configs (alarm names, event names, enum fields) never appear in any format", async () => {
    // The CodeDeploy API marks nothing secret; identifiers (application, group and config names)
    // name the resources in the report by design, so they are not secret material here.
    const group = {
      applicationName: "inference",
      deploymentGroupName: "prod",
      serviceRoleArn: "arn:aws:iam::111122223333:role/codedeploy",
      deploymentConfigName: "custom-rolling",
      computePlatform: "Server",
      autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", secretString("event")] },
      alarmConfiguration: {
        enabled: false,
        ignorePollAlarmFailure: true,
        alarms: [{ name: secretString("alarm") }, { name: secretString("alarm") }],
      },
      deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: secretString("option") },
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: { action: secretString("action"), terminationWaitTimeInMinutes: 5 },
      },
      outdatedInstancesStrategy: secretString("strategy"),
      triggerConfigurations: [{ triggerName: secretString("trigger"), triggerTargetArn: secretString("sns") }],
    };
    const config = {
      deploymentConfigName: "custom-rolling",
      computePlatform: "Server",
      minimumHealthyHosts: { type: secretString("type"), value: 1 },
      zonalConfig: { minimumHealthyHostsPerZone: { type: secretString("zonal-type"), value: 0 } },
    };
    const client: CodeDeploySender = {
      send: (command: { constructor: { name: string } }) => {
        switch (command.constructor.name) {
          case "ListApplicationsCommand":
            return Promise.resolve({ applications: ["inference"] });
          case "ListDeploymentGroupsCommand":
            return Promise.resolve({ deploymentGroups: ["prod"] });
          case "BatchGetDeploymentGroupsCommand":
            return Promise.resolve({ deploymentGroupsInfo: [group] });
          case "GetDeploymentConfigCommand":
            return Promise.resolve({ deploymentConfigInfo: config });
          default:
            return Promise.reject(new Error(`unexpected ${command.constructor.name}`));
        }
      },
    };
    for (const format of OUTPUT_FORMATS) {
      let out = "";
      let err = "";
      const code = await runAuditCli(["--region", "eu-west-1", "--format", format], {
        env: {},
        stdout: (text) => (out += text),
        stderr: (text) => (err += text),
        overrides: { client, now: new Date("2026-01-15T00:00:00Z"), retry: { maxAttempts: 1, backoffMs: () => 0 } },
      });
      expect(code).toBe(1);
      expect(out).toMatch(/alarm|rollback/i);
      expect(leaks(out + err), `${format}:\n${out}\n${err}`).toEqual([]);
    }
  });
});
