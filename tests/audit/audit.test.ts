// The audit command without an emulator: argument and config errors, and the faults a real
// endpoint produces (down, HTTP 500, throttling, access denied), through a local fake server.
// Nothing here leaves 127.0.0.1.
import { describe, expect, it } from "vitest";
import { runAuditCli } from "../../packages/tools/src/audit/main";
import { runAudit } from "../../packages/tools/src/audit/audit";
import { parseAuditArgs } from "../../packages/tools/src/audit/args";
import { apiGroupInfo, COMPLIANT_GROUPS } from "../support/fixtures";
import { awsError, FAKE_ACCOUNT, type FakeReply } from "./fakeServer";
import { freePort } from "./endpoint";
import { auditCli as cli, AUDIT_NOW as NOW, FAST_RETRY as FAST, useFakeServers } from "./harness";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const fake = useFakeServers().codeDeploy;

/** The shared compliant Server group as GetDeploymentGroup answers it, in the fake account, alarmed by the one alarm the fake CloudWatch knows. */
const COMPLIANT_SERVER_GROUP = (application: string, group: string, extra: Record<string, unknown> = {}) => ({
  ...apiGroupInfo({
    ...COMPLIANT_GROUPS.Server,
    application,
    name: group,
    serviceRoleArn: `arn:aws:iam::${FAKE_ACCOUNT}:role/codedeploy`,
    alarms: ["errors"],
  }),
  ...extra,
});

describe("arguments and policy config", () => {
  it("refuses usage errors with exit 2", async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(["--region", "us-east-1", "--format", "xml"])).err).toMatch(/--format must be one of table, json, sarif/);
    expect((await cli(["--region", "us-east-1", "--bogus"])).code).toBe(2);
    expect((await cli(["--region", "us-east-1", "--endpoint-url", "not a url"])).code).toBe(2);
    expect((await cli(["--help"])).code).toBe(0);
  });

  it("reads repeated --application, = forms and AWS_ENDPOINT_URL", () => {
    const args = parseAuditArgs(["--region=eu-west-1", "--application", "a", "--application=b", "--format", "json"], {
      AWS_ENDPOINT_URL: "http://127.0.0.1:1",
    });
    expect(args).toMatchObject({ region: "eu-west-1", applications: ["a", "b"], format: "json", endpoint: "http://127.0.0.1:1" });
    expect(
      parseAuditArgs(["--region", "eu-west-2", "--endpoint-url", "http://127.0.0.1:2"], { AWS_ENDPOINT_URL: "http://127.0.0.1:1" })
        .endpoint,
    ).toBe("http://127.0.0.1:2");
  });

  it("refuses an invalid policy config with exit 2, naming the field, before any call", async () => {
    const server = await fake(() => ({ body: { applications: [] } }));
    const dir = mkdtempSync(join(tmpdir(), "audit-config-"));
    const write = (name: string, value: unknown) => {
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify(value));
      return file;
    };
    const base = ["--region", "us-east-1", "--endpoint-url", server.url, "--format", "json", "--policy-config"];
    const percent = await cli([...base, write("a.json", { "codedeploy-minimum-healthy-hosts": { minHealthyFleetPercent: 150 } })]);
    expect(percent.code).toBe(2);
    expect(percent.err).toMatch(/minHealthyFleetPercent/);
    const event = await cli([...base, write("b.json", { "codedeploy-auto-rollback-enabled": { requiredEvents: ["DEPLOYMENT_FAILUR"] } })]);
    expect(event.code).toBe(2);
    expect(event.err).toMatch(/requiredEvents\[0\]/);
    const policy = await cli([...base, write("c.json", { "codedeploy-auto-rollback": "mandatory" })]);
    expect(policy.err).toMatch(/"codedeploy-auto-rollback" is not a policy/);
    const level = await cli([...base, write("d.json", { all: "strict" })]);
    expect(level.err).toMatch(/"all"/);
    expect((await cli([...base, join(dir, "missing.json")])).code).toBe(2);
    expect(server.requests).toHaveLength(0);
    // A valid file is accepted, including Pulumi's "all" key.
    const ok = await cli([...base, write("e.json", { all: "advisory" })]);
    expect(ok.code).toBe(0);
  });
});

describe("faults: nothing that was not read is reported compliant", () => {
  it("endpoint down (closed port): error, exit 2, no resource counted", async () => {
    const port = await freePort();
    const result = await cli(["--region", "us-east-1", "--endpoint-url", `http://127.0.0.1:${port}`, "--format", "json"]);
    expect(result.code).toBe(2);
    expect(result.report?.summary).toMatchObject({ resources: 0, violations: 0 });
    // The first call is STS (whose credentials are these?); nothing can be audited without it.
    expect(result.report?.errors[0]?.message).toMatch(/could not be reached.*sts:GetCallerIdentity/);
    expect(result.err).toMatch(/could not be reached/);
  });

  it("endpoint gone after STS answered: CodeDeploy's error, exit 2", async () => {
    const port = await freePort();
    const sts = await fake(() => awsError("UnknownOperationException", "only STS here"));
    const result = await runAuditCli(["--region", "us-east-1", "--endpoint-url", sts.url, "--format", "json"], {
      env: {},
      stdout: () => {},
      stderr: () => {},
      overrides: { retry: FAST, now: NOW, endpoints: { codedeploy: `http://127.0.0.1:${port}` } },
    });
    expect(result).toBe(2);
  });

  it("HTTP 500: retried up to the attempt limit, then an error and exit 1", async () => {
    const server = await fake(() => ({ status: 500, body: { __type: "InternalFailure", message: "boom" } }));
    const result = await cli(["--region", "us-east-1", "--endpoint-url", server.url, "--format", "json"]);
    expect(server.requests.map((request) => request.operation)).toEqual(["ListApplications", "ListApplications", "ListApplications"]);
    expect(result.code).toBe(1);
    expect(result.report?.summary).toMatchObject({ resources: 0, errors: 1 });
    expect(result.report?.errors[0]?.message).toMatch(/HTTP 500/);
  });

  it("throttling: retried with backoff; an endpoint that keeps throttling is an error", async () => {
    const server = await fake(() => awsError("ThrottlingException", "Rate exceeded"));
    const result = await cli(["--region", "us-east-1", "--endpoint-url", server.url, "--format", "json"]);
    expect(server.requests).toHaveLength(3);
    expect(result.code).toBe(1);
    expect(result.report?.errors[0]?.message).toMatch(/throttling codedeploy:ListApplications/);
  });

  it("throttling that ends: the audit succeeds after retries", async () => {
    const server = await fake((_operation, _body, count) =>
      count <= 2 ? awsError("ThrottlingException", "Rate exceeded") : { body: { applications: [] } },
    );
    const result = await cli(["--region", "us-east-1", "--endpoint-url", server.url, "--format", "json"]);
    expect(server.requests).toHaveLength(3);
    expect(result.code).toBe(0);
  });

  it("throttled group read: the group is an error entry, not a pass", async () => {
    const server = await fake((operation) => {
      if (operation === "ListApplications") return { body: { applications: ["app"] } };
      if (operation === "ListDeploymentGroups") return { body: { deploymentGroups: ["ok", "slow"] } };
      if (operation === "BatchGetDeploymentGroups") return { raw: "<html>not implemented</html>", status: 500 };
      if (operation === "DescribeAlarms") return { body: { MetricAlarms: [{ AlarmName: "errors" }], CompositeAlarms: [] } };
      return operation === "GetDeploymentGroup" && JSON.stringify(server.requests.at(-1)?.body).includes("slow")
        ? awsError("ThrottlingException", "Rate exceeded")
        : { body: { deploymentGroupInfo: COMPLIANT_SERVER_GROUP("app", "ok") } };
    });
    const result = await cli(["--region", "us-east-1", "--endpoint-url", server.url, "--format", "json"]);
    expect(result.code).toBe(1);
    expect(result.report?.violations).toEqual([]);
    expect(result.report?.errors).toEqual([
      expect.objectContaining({ urn: "arn:aws:codedeploy:us-east-1:111122223333:deploymentgroup:app/slow", resourceName: "app/slow" }),
    ]);
  });

  it("AccessDenied names the IAM action to allow", async () => {
    const server = await fake(() =>
      awsError("AccessDeniedException", "User: arn:aws:iam::111122223333:user/x is not authorized to perform: codedeploy:ListApplications"),
    );
    const result = await cli(["--region", "us-east-1", "--endpoint-url", server.url, "--format", "json"]);
    expect(result.code).toBe(1);
    expect(result.report?.errors[0]?.message).toMatch(/allow the IAM action codedeploy:ListApplications/);
    expect(server.requests).toHaveLength(1);
  });

  it("AccessDenied on reading a group: the group is reported with codedeploy:GetDeploymentGroup", async () => {
    const denied = (action: string) => awsError("AccessDeniedException", `not authorized to perform: codedeploy:${action}`);
    const server = await fake((operation) => {
      if (operation === "ListApplications") return { body: { applications: ["app"] } };
      if (operation === "ListDeploymentGroups") return { body: { deploymentGroups: ["g"] } };
      return denied(operation);
    });
    const result = await cli(["--region", "us-east-1", "--endpoint-url", server.url, "--format", "json"]);
    expect(result.code).toBe(1);
    expect(result.report?.errors).toHaveLength(1);
    expect(result.report?.errors[0]).toMatchObject({ resourceName: "app/g" });
    expect(result.report?.errors[0]?.message).toMatch(/codedeploy:GetDeploymentGroup/);
  });
});

describe("fetching", () => {
  it("follows pagination, batches groups by 100, resolves custom configs and fails closed on the rest", async () => {
    const groups = Array.from({ length: 130 }, (_, index) => `g${index}`);
    const byName = (application: string, name: string) =>
      name === "g0"
        ? COMPLIANT_SERVER_GROUP(application, name, { deploymentConfigName: "half-fleet" })
        : name === "g1"
          ? COMPLIANT_SERVER_GROUP(application, name, { deploymentConfigName: "gone" })
          : name === "g2"
            ? COMPLIANT_SERVER_GROUP(application, name, { deploymentConfigName: "CodeDeployDefault.FutureConfig" })
            : COMPLIANT_SERVER_GROUP(application, name);
    const server = await fake((operation, body): FakeReply => {
      switch (operation) {
        case "ListApplications":
          return body["nextToken"] === "p2"
            ? { body: { applications: ["second"] } }
            : { body: { applications: ["first"], nextToken: "p2" } };
        case "ListDeploymentGroups":
          if (body["applicationName"] === "second") return { body: { deploymentGroups: [] } };
          return body["nextToken"] === "n2"
            ? { body: { deploymentGroups: groups.slice(60) } }
            : { body: { deploymentGroups: groups.slice(0, 60), nextToken: "n2" } };
        case "BatchGetDeploymentGroups":
          return {
            body: {
              deploymentGroupsInfo: (body["deploymentGroupNames"] as string[]).map((name) => byName(String(body["applicationName"]), name)),
            },
          };
        case "DescribeAlarms":
          return { body: { MetricAlarms: [{ AlarmName: "errors" }], CompositeAlarms: [] } };
        case "GetDeploymentConfig":
          return body["deploymentConfigName"] === "half-fleet"
            ? {
                body: {
                  deploymentConfigInfo: {
                    deploymentConfigName: "half-fleet",
                    computePlatform: "Server",
                    minimumHealthyHosts: { type: "FLEET_PERCENT", value: 50 },
                  },
                },
              }
            : awsError("DeploymentConfigDoesNotExistException", "No deployment config found");
        default:
          return awsError("UnknownOperationException", operation);
      }
    });
    const result = await runAudit({ region: "us-east-1", endpoint: server.url, retry: FAST, now: NOW });
    const operations = server.requests.map((request) => request.operation);
    expect(operations.filter((operation) => operation === "ListApplications")).toHaveLength(2);
    expect(operations.filter((operation) => operation === "ListDeploymentGroups")).toHaveLength(3);
    expect(
      server.requests
        .filter((request) => request.operation === "BatchGetDeploymentGroups")
        .map((request) => (request.body["deploymentGroupNames"] as string[]).length),
    ).toEqual([100, 30]);
    expect(operations).not.toContain("GetDeploymentGroup");
    expect(result.inventory.groups).toHaveLength(130);
    // half-fleet is fetched and checked; the missing custom config and the unknown built-in are errors.
    const violations = result.report.violations.map(
      (violation) => `${violation.policy} ${violation.resourceName} ${violation.enforcementLevel}`,
    );
    expect(violations).toContain("codedeploy-minimum-healthy-hosts first/g0 mandatory");
    expect(violations).toContain("codedeploy-minimum-healthy-hosts half-fleet mandatory");
    expect(result.errors.map((error) => error.resourceName).sort()).toEqual(["first/g2", "gone"]);
    expect(result.errors.find((error) => error.resourceName === "gone")?.message).toMatch(/used by first\/g1/);
    expect(
      result.report.violations.filter(
        (violation) =>
          violation.resourceName.startsWith("first/g") && !["first/g0", "first/g1", "first/g2"].includes(violation.resourceName),
      ),
    ).toEqual([]);
    expect(result.exitCode).toBe(1);
  });

  it("reads the application when a group does not state its platform, and refuses to guess when it cannot", async () => {
    const server = await fake((operation, body): FakeReply => {
      if (operation === "ListApplications") return { body: { applications: ["lambda-app", "other-app", "third-app"] } };
      if (operation === "ListDeploymentGroups") return { body: { deploymentGroups: ["g"] } };
      if (operation === "BatchGetDeploymentGroups") {
        const info = COMPLIANT_SERVER_GROUP(String(body["applicationName"]), "g", {
          deploymentConfigName: "CodeDeployDefault.AllAtOnce",
        }) as Record<string, unknown>;
        delete info["computePlatform"];
        return { body: { deploymentGroupsInfo: [info] } };
      }
      if (operation === "BatchGetApplications")
        return { body: { applicationsInfo: [{ applicationName: "lambda-app", computePlatform: "Lambda" }] } };
      if (operation === "GetApplication") return awsError("AccessDeniedException", "denied");
      if (operation === "DescribeAlarms") return { body: { MetricAlarms: [{ AlarmName: "errors" }] } };
      return awsError("UnknownOperationException", operation);
    });
    const result = await runAudit({
      region: "us-east-1",
      endpoint: server.url,
      applications: ["lambda-app", "other-app"],
      retry: FAST,
      now: NOW,
    });
    const gradual = result.report.violations.filter((violation) => violation.policy === "codedeploy-gradual-traffic-shifting");
    expect(gradual.map((violation) => violation.resourceName)).toEqual(["lambda-app/g"]);
    expect(result.errors.map((error) => error.resourceName).sort()).toEqual(["other-app", "other-app/g"]);
    expect(result.errors.find((error) => error.resourceName === "other-app")?.message).toMatch(/codedeploy:GetApplication/);
  });
});
