// The organization-wide audit's faults, through a local fake AWS endpoint (what moto cannot
// produce): a role that cannot be assumed, a region that answers 500, throttling, missing alarms
// and alarm lookups that fail, a batch call the endpoint lacks, no credentials at all. Also the
// flags, the progress line, ASFF. Nothing here leaves 127.0.0.1.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAuditArgs } from "../../packages/tools/src/audit/args";
import { runAudit } from "../../packages/tools/src/audit/audit";
import { Progress } from "../../packages/tools/src/audit/progress";
import { findingId, productArn, toAsff, type AsffFinding } from "../../packages/tools/src/report/asff";
import { apiGroupInfo, COMPLIANT_GROUPS } from "../support/fixtures";
import { auditCli as cli, AUDIT_NOW as NOW, FAST_RETRY as FAST, useFakeServers } from "./harness";
import { FAKE_ACCOUNT, assumeRoleReply, awsError, callerIdentityReply, queryError, type FakeReply, type FakeRequest } from "./fakeServer";

const fake = useFakeServers().aws;

/** The account a request was made as: moto-style, assumed-role keys here are `ASIA<account>`. */
function accountOf(request: FakeRequest): string {
  return request.accessKeyId.startsWith("ASIA") ? request.accessKeyId.slice(4) : FAKE_ACCOUNT;
}

/** The shared compliant Server group as the API answers it, alarmed by the estate's alarm. */
const group = (application: string, name: string, extra: Record<string, unknown> = {}) => ({
  ...apiGroupInfo({
    ...COMPLIANT_GROUPS.Server,
    application,
    name,
    // Another account's role: the ARNs in the report must still name the audited account (from STS).
    serviceRoleArn: "arn:aws:iam::999999999999:role/codedeploy",
    alarms: ["errors"],
  }),
  ...extra,
});

/** A CodeDeploy + CloudWatch + STS estate: one application "app" with group "g" everywhere, alarm "errors" everywhere. */
function estate(
  overrides: (operation: string, request: FakeRequest, body: Record<string, unknown>) => FakeReply | undefined = () => undefined,
) {
  return (operation: string, body: Record<string, unknown>, _count: number, request: FakeRequest): FakeReply => {
    const override = overrides(operation, request, body);
    if (override) return override;
    switch (operation) {
      case "AssumeRole": {
        const account = /iam::(\d{12}):role\/([^/]+)$/.exec(String(body["RoleArn"]));
        return assumeRoleReply(account?.[1] ?? "", account?.[2] ?? "");
      }
      case "GetCallerIdentity":
        return callerIdentityReply(accountOf(request));
      case "ListApplications":
        return { body: { applications: ["app"] } };
      case "ListDeploymentGroups":
        return { body: { deploymentGroups: ["g"] } };
      case "BatchGetDeploymentGroups":
        return { body: { deploymentGroupsInfo: [group("app", "g")] } };
      case "DescribeAlarms":
        return { body: { MetricAlarms: [{ AlarmName: "errors" }] } };
      default:
        return awsError("UnknownOperationException", operation);
    }
  };
}

describe("accounts", () => {
  it("a role that cannot be assumed is an error naming the account and sts:AssumeRole; the other accounts are audited", async () => {
    const server = await fake(
      estate((operation, _request, body) =>
        operation === "AssumeRole" && String(body["RoleArn"]).includes("222222222222")
          ? queryError("AccessDenied", "User is not authorized to perform: sts:AssumeRole")
          : undefined,
      ),
      { sts: "handler" },
    );
    const result = await cli([
      "--region",
      "eu-west-1",
      "--accounts",
      "222222222222,333333333333",
      "--role-name",
      "Auditor",
      "--external-id",
      "shared-secret-id",
      "--endpoint-url",
      server.url,
      "--format",
      "json",
    ]);
    expect(result.code).toBe(1);
    expect(result.report?.errors).toEqual([
      expect.objectContaining({
        account: "222222222222",
      }),
    ]);
    expect(result.report?.errors[0]?.message).toMatch(/sts:AssumeRole.*arn:aws:iam::222222222222:role\/Auditor/);
    // The external id is passed through, and never echoed.
    const assumes = server.requests.filter((request) => request.operation === "AssumeRole");
    expect(assumes.map((request) => request.body["ExternalId"])).toEqual(["shared-secret-id", "shared-secret-id"]);
    expect(result.out + result.err).not.toContain("shared-secret-id");
    // Account 333333333333 was read with its own (assumed) credentials and named by STS.
    const listedAs = server.requests.filter((request) => request.operation === "ListApplications").map(accountOf);
    expect(listedAs).toEqual(["333333333333"]);
    expect(result.report?.summary.resources).toBe(1);
    expect(result.report?.summary.byAccount).toEqual({
      "222222222222": { violations: 0, mandatory: 0, advisory: 0, errors: 1 },
    });
  });

  it("--organization lists every page of ACTIVE accounts, audits the management account with its own credentials", async () => {
    const server = await fake(
      estate((operation, _request, body) => {
        if (operation !== "ListAccounts") return undefined;
        return body["NextToken"] === "p2"
          ? {
              body: {
                Accounts: [
                  { Id: "444444444444", State: "ACTIVE" },
                  { Id: "555555555555", State: "SUSPENDED" },
                ],
              },
            }
          : {
              body: {
                Accounts: [
                  { Id: FAKE_ACCOUNT, Status: "ACTIVE" },
                  { Id: "333333333333", State: "ACTIVE" },
                ],
                NextToken: "p2",
              },
            };
      }),
      { sts: "handler" },
    );
    const result = await cli(["--region", "us-east-1", "--organization", "--endpoint-url", server.url, "--format", "json"]);
    expect(result.code).toBe(0);
    const assumed = server.requests.filter((request) => request.operation === "AssumeRole").map((request) => request.body["RoleArn"]);
    expect(assumed.sort()).toEqual([
      "arn:aws:iam::333333333333:role/OrganizationAccountAccessRole",
      "arn:aws:iam::444444444444:role/OrganizationAccountAccessRole",
    ]);
    expect(Object.keys(result.report?.summary.byAccount ?? {})).toEqual([]);
    expect(
      server.requests
        .filter((request) => request.operation === "ListApplications")
        .map(accountOf)
        .sort(),
    ).toEqual([FAKE_ACCOUNT, "333333333333", "444444444444"]);
  });

  it("no credentials at all: exit 2 with the SDK's own reason", async () => {
    const saved = { ...process.env };
    for (const key of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]) delete process.env[key];
    process.env["AWS_CONFIG_FILE"] = "/nonexistent/aws-config";
    process.env["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws-credentials";
    process.env["AWS_EC2_METADATA_DISABLED"] = "true";
    try {
      const server = await fake(estate());
      const result = await cli(["--region", "us-east-1", "--endpoint-url", server.url, "--format", "json"]);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(/no AWS credentials: Could not load credentials from any providers/);
      expect(result.err).not.toMatch(/were refused/);
      expect(server.allRequests).toEqual([]);
    } finally {
      process.env = saved;
    }
  });
});

describe("regions", () => {
  it("a region that answers 500 is an error naming account and region; the other region is still audited", async () => {
    const server = await fake(
      estate((_operation, request) =>
        request.region === "eu-west-1" && _operation !== "GetCallerIdentity"
          ? { status: 500, body: { __type: "InternalFailure" } }
          : undefined,
      ),
    );
    const result = await cli(["--regions", "us-east-1,eu-west-1", "--endpoint-url", server.url, "--format", "json"]);
    expect(result.code).toBe(1);
    expect(result.report?.errors).toEqual([expect.objectContaining({ account: FAKE_ACCOUNT, region: "eu-west-1" })]);
    expect(result.report?.errors[0]?.message).toMatch(/HTTP 500/);
    expect(result.report?.summary.resources).toBe(1);
    expect(result.report?.summary.byRegion).toEqual({ "eu-west-1": { violations: 0, mandatory: 0, advisory: 0, errors: 1 } });
  });

  it("--regions all audits the enabled regions DescribeRegions names, not the ones not opted in", async () => {
    const server = await fake(
      estate((operation) =>
        operation === "DescribeRegions"
          ? {
              contentType: "text/xml",
              raw: `<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>x</requestId><regionInfo>${[
                ["eu-west-1", "opt-in-not-required"],
                ["ap-east-1", "not-opted-in"],
                ["me-south-1", "opted-in"],
              ]
                .map(([name, status]) => `<item><regionName>${name}</regionName><optInStatus>${status}</optInStatus></item>`)
                .join("")}</regionInfo></DescribeRegionsResponse>`,
            }
          : undefined,
      ),
    );
    const result = await cli(["--region", "us-east-1", "--regions", "all", "--endpoint-url", server.url, "--format", "json"]);
    expect(result.code).toBe(0);
    expect(
      server.requests
        .filter((request) => request.operation === "ListApplications")
        .map((request) => request.region)
        .sort(),
    ).toEqual(["eu-west-1", "me-south-1"]);
    // DescribeRegions was asked in the home region.
    expect(server.requests.find((request) => request.operation === "DescribeRegions")?.region).toBe("us-east-1");
  });
});

describe("reads", () => {
  it("throttling slows the run but does not fail it; a batch call the endpoint lacks is tried once per endpoint", async () => {
    const applications = Array.from({ length: 12 }, (_, index) => `app${index}`);
    let throttled = 0;
    const server = await fake(
      estate((operation, _request, body) => {
        if (operation === "ListApplications") return { body: { applications } };
        if (operation === "ListDeploymentGroups" && throttled < 6) {
          throttled++;
          return awsError("ThrottlingException", "Rate exceeded");
        }
        if (operation === "BatchGetDeploymentGroups") return { status: 500, raw: "<html>not implemented</html>" };
        if (operation === "GetDeploymentGroup")
          return { body: { deploymentGroupInfo: group(String(body["applicationName"]), String(body["deploymentGroupName"])) } };
        return undefined;
      }),
    );
    const result = await runAudit({
      region: "us-east-1",
      regions: ["us-east-1", "eu-west-1"],
      endpoint: server.url,
      retry: { maxAttempts: 4, backoffMs: () => 1 },
      concurrency: 8,
      now: NOW,
    });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.inventory.groups).toHaveLength(24);
    // One probe for the whole run, tried once (an HTML answer is not retried), not one per application or region.
    expect(server.requests.filter((request) => request.operation === "BatchGetDeploymentGroups")).toHaveLength(1);
    expect(server.requests.filter((request) => request.operation === "GetDeploymentGroup")).toHaveLength(24);
    expect(result.requests.byOperation["codedeploy:ListDeploymentGroups"]).toBe(24 + 6);
  });

  it("an --application that does not exist is an error naming it, not a pass", async () => {
    const server = await fake(estate());
    const result = await cli([
      "--region",
      "us-east-1",
      "--endpoint-url",
      server.url,
      "--application",
      "app",
      "--application",
      "ghost",
      "--format",
      "json",
    ]);
    expect(result.code).toBe(1);
    expect(result.report?.errors).toEqual([expect.objectContaining({ resourceName: "ghost" })]);
    expect(result.report?.errors[0]?.message).toMatch(/application "ghost" .*does not exist/);
    expect(
      server.requests.filter((request) => request.operation === "ListDeploymentGroups").map((request) => request.body["applicationName"]),
    ).toEqual(["app"]);
  });
});

describe("alarms that exist", () => {
  it("counts only alarms CloudWatch has, under codedeploy-alarm-rollback-configured, without naming them", async () => {
    const alarms = ["secret-alarm-a", "secret-alarm-b", "secret-alarm-c"];
    const server = await fake(
      estate((operation) => {
        if (operation === "ListDeploymentGroups") return { body: { deploymentGroups: ["one-missing", "all-missing", "fine"] } };
        if (operation === "BatchGetDeploymentGroups")
          return {
            body: {
              deploymentGroupsInfo: [
                group("app", "one-missing", {
                  alarmConfiguration: { enabled: true, alarms: alarms.slice(0, 2).map((name) => ({ name })) },
                }),
                group("app", "all-missing", { alarmConfiguration: { enabled: true, alarms: [{ name: "secret-alarm-c" }] } }),
                group("app", "fine", { alarmConfiguration: { enabled: true, alarms: [{ name: "secret-alarm-a" }] } }),
              ],
            },
          };
        if (operation === "DescribeAlarms") return { body: { MetricAlarms: [{ AlarmName: "secret-alarm-a" }], CompositeAlarms: [] } };
        return undefined;
      }),
    );
    const result = await cli(["--region", "us-east-1", "--endpoint-url", server.url, "--format", "json"]);
    const describe = server.requests.filter((request) => request.operation === "DescribeAlarms");
    expect(describe).toHaveLength(1);
    expect(describe[0]?.body["AlarmNames"]).toEqual(alarms);
    expect(describe[0]?.body["AlarmTypes"]).toEqual(["MetricAlarm", "CompositeAlarm"]);
    const alarmViolations = (result.report?.violations ?? []).filter(
      (violation) => violation.policy === "codedeploy-alarm-rollback-configured",
    );
    expect(alarmViolations.map((violation) => violation.resourceName)).toEqual(["app/all-missing", "app/one-missing"]);
    const [allMissing, oneMissing] = alarmViolations;
    expect(oneMissing?.message).toMatch(
      /1 of its alarm name\(s\) match no CloudWatch alarm in its account and region.*only its 1 existing alarm\(s\) count/,
    );
    expect(oneMissing?.message).not.toMatch(/fewer than the required/);
    expect(allMissing?.message).toMatch(/1 of its alarm name\(s\) match no CloudWatch alarm/);
    expect(allMissing?.message).toMatch(/watches 0 alarm\(s\), fewer than the required 1/);
    expect(result.out + result.err).not.toMatch(/secret-alarm/);
    expect(result.code).toBe(1);
  });

  it("an alarm lookup that fails is an error naming cloudwatch:DescribeAlarms (never the alarm names), and not a pass", async () => {
    const server = await fake(
      estate((operation) =>
        operation === "DescribeAlarms"
          ? awsError("AccessDeniedException", "not authorized to perform: cloudwatch:DescribeAlarms")
          : undefined,
      ),
    );
    const result = await cli(["--region", "us-east-1", "--endpoint-url", server.url, "--format", "json"]);
    expect(result.code).toBe(1);
    expect(result.report?.errors).toEqual([
      expect.objectContaining({
        account: FAKE_ACCOUNT,
        region: "us-east-1",
      }),
    ]);
    expect(result.report?.errors[0]?.message).toMatch(/allow the IAM action cloudwatch:DescribeAlarms/);
    expect(result.report?.errors[0]?.message).not.toContain('errors"');
  });

  it("more than 100 alarm names are asked 100 at a time", async () => {
    const names = Array.from({ length: 230 }, (_, index) => `alarm-${index}`);
    const server = await fake(
      estate((operation, _request, body) => {
        if (operation === "ListDeploymentGroups") return { body: { deploymentGroups: names.map((_, index) => `g${index}`) } };
        if (operation === "BatchGetDeploymentGroups")
          return {
            body: {
              deploymentGroupsInfo: (body["deploymentGroupNames"] as string[]).map((name) =>
                group("app", name, { alarmConfiguration: { enabled: true, alarms: [{ name: `alarm-${name.slice(1)}` }] } }),
              ),
            },
          };
        if (operation === "DescribeAlarms")
          return { body: { MetricAlarms: (body["AlarmNames"] as string[]).map((name) => ({ AlarmName: name })) } };
        return undefined;
      }),
    );
    const result = await runAudit({ region: "us-east-1", endpoint: server.url, retry: FAST, now: NOW });
    expect(result.exitCode).toBe(0);
    expect(
      server.requests
        .filter((request) => request.operation === "DescribeAlarms")
        .map((request) => (request.body["AlarmNames"] as string[]).length)
        .sort((a, b) => b - a),
    ).toEqual([100, 100, 30]);
  });
});

describe("output", () => {
  it("--format asff: one finding per violation, stable Id, the account's default product, severity and remediation from the policy", async () => {
    const server = await fake(
      estate((operation) =>
        operation === "BatchGetDeploymentGroups"
          ? { body: { deploymentGroupsInfo: [group("app", "g", { outdatedInstancesStrategy: "IGNORE", autoRollbackConfiguration: {} })] } }
          : undefined,
      ),
    );
    const run = async () => {
      const result = await cli(["--region", "eu-central-1", "--endpoint-url", server.url, "--format", "asff"]);
      return { ...result, findings: JSON.parse(result.out) as AsffFinding[] };
    };
    const first = await run();
    const second = await run();
    expect(first.code).toBe(1);
    expect(first.findings.map((finding) => finding.GeneratorId).sort()).toEqual([
      "codedeploy-guardrails/codedeploy-auto-rollback-enabled",
      "codedeploy-guardrails/codedeploy-outdated-instances-update",
    ]);
    expect(second.findings.map((finding) => finding.Id)).toEqual(first.findings.map((finding) => finding.Id));
    const arn = `arn:aws:codedeploy:eu-central-1:${FAKE_ACCOUNT}:deploymentgroup:app/g`;
    const rollback = first.findings.find((finding) => finding.GeneratorId.endsWith("auto-rollback-enabled"))!;
    expect(rollback).toMatchObject({
      SchemaVersion: "2018-10-08",
      Id: `codedeploy-guardrails/codedeploy-auto-rollback-enabled/${arn}`,
      ProductArn: `arn:aws:securityhub:eu-central-1:${FAKE_ACCOUNT}:product/${FAKE_ACCOUNT}/default`,
      AwsAccountId: FAKE_ACCOUNT,
      Severity: { Label: "HIGH", Original: "high" },
      Compliance: { Status: "FAILED" },
      Resources: [{ Type: "Other", Id: arn, Partition: "aws", Region: "eu-central-1" }],
    });
    expect(rollback.Remediation.Recommendation.Url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(rollback.Remediation.Recommendation.Text.length).toBeGreaterThan(20);
    const outdated = first.findings.find((finding) => finding.GeneratorId.endsWith("outdated-instances-update"))!;
    expect(outdated.Severity.Label).toBe("MEDIUM");
    expect(outdated.Compliance.Status).toBe("WARNING");
  });

  it("ASFF ids and product ARNs follow the violation's partition, account and region; long texts are clipped to ASFF's limits", () => {
    const violation = {
      policy: "codedeploy-alarm-rollback-configured",
      enforcementLevel: "mandatory" as const,
      severity: "high",
      urn: "arn:aws-cn:codedeploy:cn-north-1:123456789012:deploymentgroup:a/b",
      resourceType: "AWS::CodeDeploy::DeploymentGroup",
      resourceName: "a/b",
      message: "x".repeat(5000),
      account: "123456789012",
      region: "cn-north-1",
    };
    const [finding] = toAsff(
      { violations: [violation], errors: [], summary: { resources: 1, violations: 1, mandatory: 1, advisory: 0, errors: 0 } },
      NOW,
    );
    expect(finding?.ProductArn).toBe(productArn("aws-cn", "cn-north-1", "123456789012"));
    expect(finding?.ProductArn).toBe("arn:aws-cn:securityhub:cn-north-1:123456789012:product/123456789012/default");
    expect(finding?.Id).toBe(findingId(violation));
    expect(finding?.Description.length).toBe(1024);
    expect(finding?.Remediation.Recommendation.Text.length).toBeLessThanOrEqual(512);
    // Without account and region (check's violations) there is no finding.
    expect(
      toAsff(
        {
          violations: [{ ...violation, account: undefined }],
          errors: [],
          summary: { resources: 1, violations: 1, mandatory: 1, advisory: 0, errors: 0 },
        },
        NOW,
      ),
    ).toEqual([]);
  });

  it("progress: a live line on a terminal, plain lines otherwise, nothing with --quiet; results only on stdout", async () => {
    const server = await fake(estate());
    const live = await cli(["--region", "us-east-1", "--endpoint-url", server.url, "--format", "json"], {
      stderrIsTTY: true,
      progressIntervalMs: 1,
    });
    expect(live.err).toContain("\r\u001b[2Kaudit: ");
    expect(live.err).toMatch(/\d+\/\d+ account-region/);
    expect(live.err).toMatch(/audit: done: 1\/1 account-region\(s\), 1\/1 account\(s\), 1 deployment group\(s\) read/);
    const plain = await cli(["--region", "us-east-1", "--endpoint-url", server.url, "--format", "json"]);
    expect(plain.err).not.toContain("\r");
    expect(plain.err).toMatch(/audit: done:/);
    const quiet = await cli(["--region", "us-east-1", "--endpoint-url", server.url, "--format", "json", "--quiet"]);
    expect(quiet.err).toBe("");
    expect(JSON.parse(quiet.out)).toEqual(JSON.parse(plain.out));
  });

  it("the progress estimate comes from the share of account-regions done", () => {
    let clock = 0;
    const lines: string[] = [];
    const progress = new Progress({ write: (text) => lines.push(text), mode: "lines", now: () => clock });
    progress.scopesTotal = 4;
    progress.accountsTotal = 2;
    clock = 10_000;
    progress.scopesDone = 1;
    progress.groupsRead = 150;
    progress.tick();
    expect(lines).toEqual(["audit: 1/4 account-region(s), 0/2 account(s), 150 deployment group(s) read, 10 s elapsed, about 30 s left\n"]);
  });
});

describe("flags", () => {
  it("parses the scope flags and refuses what cannot work", () => {
    expect(
      parseAuditArgs(
        [
          "--regions",
          "eu-west-1,us-east-1",
          "--accounts",
          "111122223333,444455556666",
          "--role-name",
          "Audit",
          "--concurrency",
          "4",
          "--quiet",
        ],
        {},
      ),
    ).toMatchObject({
      region: "eu-west-1",
      regions: ["eu-west-1", "us-east-1"],
      accounts: ["111122223333", "444455556666"],
      roleName: "Audit",
      roleSessionName: "codedeploy-guardrails-audit",
      concurrency: 4,
      quiet: true,
    });
    expect(parseAuditArgs(["--region", "us-east-1", "--regions", "all", "--organization"], {})).toMatchObject({
      regions: "all",
      organization: true,
    });
    const refused = (argv: string[]) => () => parseAuditArgs(argv, {});
    expect(refused(["--regions", "all"])).toThrow(/--region is required/);
    expect(refused(["--region", "us-east-1", "--accounts", "12345"])).toThrow(/12-digit account ids/);
    expect(refused(["--region", "us-east-1", "--accounts", "111122223333", "--organization"])).toThrow(/cannot be combined/);
    expect(refused(["--region", "us-east-1", "--role-name", "X"])).toThrow(/only applies with --accounts or --organization/);
    expect(refused(["--region", "us-east-1", "--concurrency", "0"])).toThrow(/--concurrency/);
    expect(refused(["--region", "us-east-1", "--regions", "eu-west-1,mars"])).toThrow(/"mars" is not one/);
    expect(refused(["--region", "us-east-1", "--format", "xml"])).toThrow(/table, json, sarif, asff/);
  });
});

describe("permissions and Security Hub", () => {
  it("tools/audit/iam-policy.json allows every action an organization-wide audit with --security-hub calls; a refused finding is an error", async () => {
    const policy = JSON.parse(readFileSync(join(__dirname, "../../packages/tools/src/audit/iam-policy.json"), "utf8")) as {
      Statement: { Action: string[] }[];
    };
    const allowed = new Set(policy.Statement.flatMap((statement) => statement.Action));
    const server = await fake(
      estate((operation, _request, body) => {
        if (operation === "ListAccounts")
          return {
            body: {
              Accounts: [
                { Id: FAKE_ACCOUNT, State: "ACTIVE" },
                { Id: "333333333333", State: "ACTIVE" },
              ],
            },
          };
        if (operation === "DescribeRegions")
          return {
            contentType: "text/xml",
            raw: `<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><regionInfo><item><regionName>eu-west-1</regionName><optInStatus>opt-in-not-required</optInStatus></item></regionInfo></DescribeRegionsResponse>`,
          };
        if (operation === "BatchGetDeploymentGroups")
          return { body: { deploymentGroupsInfo: [group("app", "g", { outdatedInstancesStrategy: "IGNORE" })] } };
        if (operation === "POST /findings/import") {
          const findings = (body["Findings"] as { Id: string; AwsAccountId: string }[]) ?? [];
          // Security Hub refuses the member account's finding (e.g. not enabled there).
          const refused = findings.filter((finding) => finding.AwsAccountId === "333333333333");
          return {
            body: {
              SuccessCount: findings.length - refused.length,
              FailedCount: refused.length,
              FailedFindings: refused.map((finding) => ({
                Id: finding.Id,
                ErrorCode: "InvalidInput",
                ErrorMessage: "Security Hub is not enabled",
              })),
            },
          };
        }
        return undefined;
      }),
      { sts: "handler" },
    );
    const result = await runAudit({
      region: "us-east-1",
      regions: "all",
      organization: true,
      securityHub: true,
      endpoint: server.url,
      retry: FAST,
      now: NOW,
    });
    // The request counter's keys are `service:Operation`, IAM's own form; GetCallerIdentity needs no permission.
    const called = Object.keys(result.requests.byOperation).filter((action) => action !== "sts:GetCallerIdentity");
    expect(called.sort()).toEqual(
      [
        "cloudwatch:DescribeAlarms",
        "codedeploy:BatchGetDeploymentGroups",
        "codedeploy:ListApplications",
        "codedeploy:ListDeploymentGroups",
        "ec2:DescribeRegions",
        "organizations:ListAccounts",
        "securityhub:BatchImportFindings",
        "sts:AssumeRole",
      ].sort(),
    );
    for (const action of called) expect(allowed, action).toContain(action);
    expect(result.imported).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ account: "333333333333", region: "eu-west-1" });
    expect(result.errors[0]?.message).toMatch(/Security Hub refused finding .*InvalidInput/);
    expect(result.exitCode).toBe(1);
  });
});
