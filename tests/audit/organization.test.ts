// The organization-wide audit against moto on loopback: an organization with three member
// accounts (moto creates OrganizationAccountAccessRole in each, and scopes resources by the account
// of the credentials), two regions, the same application and group names everywhere but a
// different fault in each account and region. The report must attribute every violation to the
// right account, region and ARN, whatever the concurrency; --accounts/--regions select exactly
// what they say; Security Hub import round-trips.
import { CodeDeployClient, CreateApplicationCommand, CreateDeploymentGroupCommand } from "@aws-sdk/client-codedeploy";
import { DescribeRegionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { GetFindingsCommand, SecurityHubClient } from "@aws-sdk/client-securityhub";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAudit } from "../../packages/tools/src/audit/audit";
import { runAuditCli } from "../../packages/tools/src/audit/main";
import type { Report } from "../../packages/tools/src/report";
import type { AsffFinding } from "../../packages/tools/src/report/asff";
import { COMPLIANT_GROUPS, createGroupInput } from "../support/fixtures";
import { startAwsEndpoint, useFakeAwsCredentials, type AwsEndpoint } from "./endpoint";

useFakeAwsCredentials();
const MANAGEMENT = "123456789012"; // moto's account for the "testing" keys
const REGIONS = ["eu-west-1", "us-east-1"] as const;
const FAST = { maxAttempts: 2, backoffMs: () => 1 };
const NOW = new Date("2026-01-15T00:00:00Z");
const TESTING = { accessKeyId: "testing", secretAccessKey: "testing" };
type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

let endpoint: AwsEndpoint | undefined;
const members: string[] = [];
const credentialsOf = new Map<string, Credentials>();
/** `account|region|arn|policy` for every violation the seeded estate must produce. */
const expected = new Set<string>();

function groupArn(account: string, region: string, group: string): string {
  return `arn:aws:codedeploy:${region}:${account}:deploymentgroup:inference/${group}`;
}

async function seed(url: string): Promise<void> {
  const organizations = new OrganizationsClient({ endpoint: url, region: "us-east-1", credentials: TESTING });
  await organizations.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
  for (const name of ["data", "ml", "web"]) {
    const created = await organizations.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
    members.push(created.CreateAccountStatus!.AccountId!);
  }
  organizations.destroy();
  const sts = new STSClient({ endpoint: url, region: "us-east-1", credentials: TESTING });
  credentialsOf.set(MANAGEMENT, TESTING);
  for (const account of members) {
    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: "seed" }),
    );
    credentialsOf.set(account, {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
      secretAccessKey: assumed.Credentials!.SecretAccessKey!,
      sessionToken: assumed.Credentials!.SessionToken!,
    });
  }
  sts.destroy();
  let index = 0;
  for (const account of [MANAGEMENT, ...members]) {
    for (const region of REGIONS) {
      const client = new CodeDeployClient({ endpoint: url, region, credentials: credentialsOf.get(account)! });
      await client.send(
        new CreateApplicationCommand({
          applicationName: COMPLIANT_GROUPS.Server.application,
          computePlatform: COMPLIANT_GROUPS.Server.platform,
        }),
      );
      // The shared compliant Server group, with another account's role: the report's ARNs must come from STS, not from here.
      const safe = createGroupInput({ ...COMPLIANT_GROUPS.Server, serviceRoleArn: "arn:aws:iam::999999999999:role/codedeploy" });
      await client.send(new CreateDeploymentGroupCommand({ ...safe, deploymentGroupName: "compliant" }));
      // Each account and region gets its own fault, so a misattributed violation cannot go unnoticed.
      const noRollback = index % 2 === 0;
      await client.send(
        new CreateDeploymentGroupCommand({
          ...safe,
          deploymentGroupName: "faulty",
          autoRollbackConfiguration: noRollback ? undefined : safe.autoRollbackConfiguration,
          outdatedInstancesStrategy: noRollback ? "UPDATE" : "IGNORE",
        }),
      );
      client.destroy();
      // moto drops alarmConfiguration, so every group is reported without alarms.
      for (const group of ["compliant", "faulty"])
        expected.add(`${account}|${region}|${groupArn(account, region, group)}|codedeploy-alarm-rollback-configured`);
      expected.add(
        `${account}|${region}|${groupArn(account, region, "faulty")}|${noRollback ? "codedeploy-auto-rollback-enabled" : "codedeploy-outdated-instances-update"}`,
      );
      index++;
    }
  }
}

beforeAll(async () => {
  endpoint = await startAwsEndpoint();
  if (!endpoint || endpoint.kind !== "moto") return;
  await seed(endpoint.url);
}, 120_000);
afterAll(async () => {
  await endpoint?.stop();
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runAuditCli([...args, "--endpoint-url", endpoint!.url], {
    env: {},
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    overrides: { retry: FAST, now: NOW },
  });
  return { code, out, err };
}

function triples(report: Report): Set<string> {
  return new Set(report.violations.map((violation) => `${violation.account}|${violation.region}|${violation.urn}|${violation.policy}`));
}

function only(accounts: readonly string[], regions: readonly string[]): Set<string> {
  return new Set([...expected].filter((entry) => accounts.includes(entry.split("|")[0]!) && regions.includes(entry.split("|")[1]!)));
}

describe("audit of an organization on moto", () => {
  it("--organization: every member and the management account, both regions, each violation with its account, region and ARN", async (context) => {
    if (endpoint?.kind !== "moto") return context.skip();
    const result = await cli(["--organization", "--regions", REGIONS.join(","), "--region", "us-east-1", "--format", "json"]);
    const report = JSON.parse(result.out) as Report;
    expect(result.code).toBe(1);
    expect(report.errors).toEqual([]);
    expect(triples(report)).toEqual(expected);
    expect(report.violations.length).toBe(expected.size);
    expect(Object.keys(report.summary.byAccount ?? {})).toEqual([MANAGEMENT, ...members].sort());
    expect(Object.keys(report.summary.byRegion ?? {})).toEqual([...REGIONS]);
    expect(report.summary.resources).toBe(4 * 2 * 2);
  });

  it("--accounts and --regions select exactly those accounts and regions", async (context) => {
    if (endpoint?.kind !== "moto") return context.skip();
    const chosen = [members[0]!, members[2]!];
    const result = await cli(["--accounts", chosen.join(","), "--regions", "eu-west-1", "--format", "json"]);
    const report = JSON.parse(result.out) as Report;
    expect(report.errors).toEqual([]);
    expect(triples(report)).toEqual(only(chosen, ["eu-west-1"]));
    // The current credentials' own account is audited only when named.
    const withManagement = JSON.parse(
      (await cli(["--accounts", `${MANAGEMENT},${members[1]}`, "--region", "us-east-1", "--format", "json"])).out,
    ) as Report;
    expect(triples(withManagement)).toEqual(only([MANAGEMENT, members[1]!], ["us-east-1"]));
  });

  it("concurrency never changes the report: the same JSON at --concurrency 1 and 16", async (context) => {
    if (endpoint?.kind !== "moto") return context.skip();
    const args = ["--organization", "--regions", REGIONS.join(","), "--region", "us-east-1", "--format", "json", "--quiet"];
    const one = await cli([...args, "--concurrency", "1"]);
    const sixteen = await cli([...args, "--concurrency", "16"]);
    expect(sixteen.out).toBe(one.out);
    expect(sixteen.code).toBe(one.code);
  });

  it("--regions all audits each account's enabled regions (moto's DescribeRegions), without the ones not opted in", async (context) => {
    if (endpoint?.kind !== "moto") return context.skip();
    const ec2 = new EC2Client({ endpoint: endpoint.url, region: "us-east-1", credentials: TESTING });
    const regions = (await ec2.send(new DescribeRegionsCommand({}))).Regions ?? [];
    ec2.destroy();
    const enabled = regions
      .filter((region) => region.OptInStatus !== "not-opted-in")
      .map((region) => region.RegionName!)
      .sort();
    expect(regions.some((region) => region.OptInStatus === "not-opted-in")).toBe(true);
    const result = await runAudit({
      region: "us-east-1",
      regions: "all",
      accounts: [members[1]!],
      endpoint: endpoint.url,
      retry: FAST,
      now: NOW,
    });
    expect(result.scopes.map((scope) => scope.region)).toEqual(enabled);
    expect(triples(result.report)).toEqual(only([members[1]!], [...REGIONS]));
  });

  it("--security-hub imports the ASFF findings into each account and region; a re-run updates them instead of adding more", async (context) => {
    if (endpoint?.kind !== "moto") return context.skip();
    const args = ["--accounts", `${MANAGEMENT},${members[0]}`, "--regions", REGIONS.join(","), "--region", "us-east-1"];
    const asff = JSON.parse((await cli([...args, "--format", "asff"])).out) as AsffFinding[];
    const first = await cli([...args, "--security-hub", "--format", "json"]);
    expect(first.err).toMatch(new RegExp(`imported ${asff.length} finding\\(s\\) into Security Hub`));
    await cli([...args, "--security-hub", "--format", "json"]);
    for (const account of [MANAGEMENT, members[0]!]) {
      for (const region of REGIONS) {
        const securityHub = new SecurityHubClient({ endpoint: endpoint.url, region, credentials: credentialsOf.get(account)! });
        const stored = (await securityHub.send(new GetFindingsCommand({}))).Findings ?? [];
        securityHub.destroy();
        const wanted = asff.filter((finding) => finding.AwsAccountId === account && finding.Region === region);
        expect(wanted.length).toBeGreaterThan(0);
        expect(stored.map((finding) => finding.Id).sort()).toEqual(wanted.map((finding) => finding.Id).sort());
        expect(
          stored.every((finding) => finding.ProductArn === `arn:aws:securityhub:${region}:${account}:product/${account}/default`),
        ).toBe(true);
        expect(stored.every((finding) => finding.Remediation?.Recommendation?.Url?.startsWith("https://"))).toBe(true);
      }
    }
  });

  it("an --application that does not exist in an account is an error naming it and the account", async (context) => {
    if (endpoint?.kind !== "moto") return context.skip();
    const result = await cli([
      "--accounts",
      members[2]!,
      "--region",
      "eu-west-1",
      "--application",
      "inference",
      "--application",
      "ghost",
      "--format",
      "json",
    ]);
    const report = JSON.parse(result.out) as Report;
    expect(result.code).toBe(1);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ account: members[2], region: "eu-west-1", resourceName: "ghost" });
    expect(triples(report)).toEqual(only([members[2]!], ["eu-west-1"]));
  });
});
