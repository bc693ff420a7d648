// The audit scenario of `npm run bench`: an organization on moto (loopback) with 10 member accounts x
// 2 regions x 150 deployment groups, audited with `--accounts ... --regions ...`, against a minimal
// lister measured in the same run: the same SDK clients (ClientFactory: same retry, same limiter,
// same concurrency), the same AssumeRole, list and get calls, and no evaluation. Each variant runs
// in its own child process (so peak memory is its own), round robin.
//
//   npx tsx bench/audit.ts [--quick]     # this scenario alone
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CodeDeployClient, CreateApplicationCommand, CreateDeploymentGroupCommand } from "@aws-sdk/client-codedeploy";
import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { GetDeploymentGroupCommand, ListApplicationsCommand, ListDeploymentGroupsCommand } from "@aws-sdk/client-codedeploy";
import { runAudit } from "../packages/tools/src/audit/audit";
import { ClientFactory, DEFAULT_CONCURRENCY, Limiter, staticCredentials, type AwsSender } from "../packages/tools/src/audit/client";
import { startAwsEndpoint } from "../tests/audit/endpoint";
import { median, round } from "./stats";

export const AUDIT_SCENARIO = {
  accounts: 10,
  regions: ["eu-west-1", "us-east-1"],
  groupsPerRegion: 150,
  applicationsPerRegion: 10,
} as const;
const TESTING = { accessKeyId: "testing", secretAccessKey: "testing" };
const HOME = "us-east-1";

interface ChildResult {
  readonly variant: "audit" | "lister";
  readonly ms: number;
  readonly requests: number;
  readonly groups: number;
  readonly peakRssMiB: number;
  readonly exitCode?: number;
}

export interface AuditBenchResult {
  readonly available: boolean;
  readonly reason?: string;
  readonly scenario?: typeof AUDIT_SCENARIO & { readonly groups: number; readonly concurrency: number };
  readonly runs?: Record<string, number[]>;
  readonly medianMs?: Record<string, number>;
  readonly requests?: Record<string, number>;
  readonly requestsPerGroup?: Record<string, number>;
  readonly peakRssMiB?: Record<string, number>;
  readonly timeRatio?: number;
  readonly requestRatio?: number;
  readonly targets?: {
    readonly timeAtMost1_3x: { value: number; limit: number; met: boolean };
    readonly requestsAtMost1_05x: { value: number; limit: number; met: boolean };
  };
}

function peakRssMiB(): number {
  const status = readFileSync("/proc/self/status", "utf8");
  const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return round(kib / 1024, 1);
}

/** The lister: what the audit reads, read the same way, nothing evaluated. */
async function list(endpoint: string, accounts: readonly string[]): Promise<{ groups: number; requests: number }> {
  const factory = new ClientFactory({ endpoint, concurrency: DEFAULT_CONCURRENCY });
  let groups = 0;
  try {
    const base = { kind: "default" as const };
    await Promise.all(
      accounts.map(async (account) => {
        const assumed = (await factory
          .client("sts", HOME, base)
          .send(
            new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: "lister" }),
          )) as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } };
        const credentials = staticCredentials({
          accessKeyId: assumed.Credentials.AccessKeyId,
          secretAccessKey: assumed.Credentials.SecretAccessKey,
          sessionToken: assumed.Credentials.SessionToken,
        });
        await Promise.all(
          AUDIT_SCENARIO.regions.map(async (region) => {
            const codedeploy: AwsSender = factory.client("codedeploy", region, credentials);
            const applications =
              ((await codedeploy.send(new ListApplicationsCommand({}))) as { applications?: string[] }).applications ?? [];
            await Promise.all(
              applications.map(async (application) => {
                const names =
                  (
                    (await codedeploy.send(new ListDeploymentGroupsCommand({ applicationName: application }))) as {
                      deploymentGroups?: string[];
                    }
                  ).deploymentGroups ?? [];
                await Promise.all(
                  names.map(async (name) => {
                    await codedeploy.send(new GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: name }));
                    groups++;
                  }),
                );
              }),
            );
          }),
        );
      }),
    );
    return { groups, requests: factory.requests.total };
  } finally {
    factory.destroy();
  }
}

async function child(variant: "audit" | "lister", endpoint: string, accounts: readonly string[]): Promise<void> {
  const start = performance.now();
  let result: ChildResult;
  if (variant === "audit") {
    const audit = await runAudit({ region: HOME, regions: [...AUDIT_SCENARIO.regions], accounts, endpoint, policyConfig: {} });
    result = {
      variant,
      ms: performance.now() - start,
      requests: audit.requests.total,
      groups: audit.inventory.groups.length,
      peakRssMiB: peakRssMiB(),
      exitCode: audit.exitCode,
    };
  } else {
    const listed = await list(endpoint, accounts);
    result = { variant, ms: performance.now() - start, requests: listed.requests, groups: listed.groups, peakRssMiB: peakRssMiB() };
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runChild(variant: "audit" | "lister", endpoint: string, accounts: readonly string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const tsx = join(__dirname, "..", "node_modules", ".bin", "tsx");
    const proc = spawn(tsx, [__filename, "--child", variant, endpoint, accounts.join(",")], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        AWS_EC2_METADATA_DISABLED: "true",
        NODE_NO_WARNINGS: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    proc.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    proc.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    proc.on("error", reject);
    proc.on("exit", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(line) as ChildResult);
      } catch {
        reject(new Error(`${variant} run failed (exit ${code}): ${err.slice(-800)}`));
      }
    });
  });
}

/** Creates the organization and its groups on moto; returns the member account ids. */
async function seed(endpoint: string, log: (line: string) => void): Promise<string[]> {
  const organizations = new OrganizationsClient({ endpoint, region: HOME, credentials: TESTING });
  await organizations.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
  const accounts: string[] = [];
  for (let index = 0; index < AUDIT_SCENARIO.accounts; index++) {
    const created = await organizations.send(
      new CreateAccountCommand({ AccountName: `member-${index}`, Email: `member-${index}@example.com` }),
    );
    accounts.push(created.CreateAccountStatus!.AccountId!);
  }
  organizations.destroy();
  const sts = new STSClient({ endpoint, region: HOME, credentials: TESTING });
  const limiter = new Limiter(16);
  const perApplication = AUDIT_SCENARIO.groupsPerRegion / AUDIT_SCENARIO.applicationsPerRegion;
  await Promise.all(
    accounts.map(async (account) => {
      const assumed = await sts.send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: "seed" }),
      );
      const credentials = {
        accessKeyId: assumed.Credentials!.AccessKeyId!,
        secretAccessKey: assumed.Credentials!.SecretAccessKey!,
        sessionToken: assumed.Credentials!.SessionToken!,
      };
      for (const region of AUDIT_SCENARIO.regions) {
        const client = new CodeDeployClient({ endpoint, region, credentials });
        const calls: Promise<unknown>[] = [];
        for (let app = 0; app < AUDIT_SCENARIO.applicationsPerRegion; app++) {
          const applicationName = `service-${app}`;
          await limiter.run(() => client.send(new CreateApplicationCommand({ applicationName, computePlatform: "Server" })));
          for (let group = 0; group < perApplication; group++)
            calls.push(
              limiter.run(() =>
                client.send(
                  new CreateDeploymentGroupCommand({
                    applicationName,
                    deploymentGroupName: `group-${group}`,
                    serviceRoleArn: `arn:aws:iam::${account}:role/codedeploy`,
                    deploymentConfigName: group % 3 === 0 ? "CodeDeployDefault.HalfAtATime" : "CodeDeployDefault.OneAtATime",
                    autoRollbackConfiguration:
                      group % 4 === 0 ? undefined : { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
                    outdatedInstancesStrategy: group % 5 === 0 ? "IGNORE" : "UPDATE",
                  }),
                ),
              ),
            );
        }
        await Promise.all(calls);
        client.destroy();
      }
      log(`  seeded account ${account}`);
    }),
  );
  sts.destroy();
  return accounts;
}

export async function auditScenario(
  quick: boolean,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<AuditBenchResult> {
  process.env["AWS_ACCESS_KEY_ID"] = "testing";
  process.env["AWS_SECRET_ACCESS_KEY"] = "testing";
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";
  const endpoint = await startAwsEndpoint();
  if (!endpoint || endpoint.kind !== "moto") {
    await endpoint?.stop();
    return { available: false, reason: "moto_server is not available (the scenario needs it on loopback)" };
  }
  try {
    log("  seeding moto: 10 member accounts x 2 regions x 150 deployment groups ...");
    const accounts = await seed(endpoint.url, log);
    const runs = quick ? 2 : 5;
    // One unmeasured run of each (moto's first answers, the OS page cache), then round robin.
    await runChild("audit", endpoint.url, accounts);
    await runChild("lister", endpoint.url, accounts);
    const samples: Record<"audit" | "lister", ChildResult[]> = { audit: [], lister: [] };
    for (let run = 0; run < runs; run++) {
      for (const variant of ["audit", "lister"] as const) samples[variant].push(await runChild(variant, endpoint.url, accounts));
      log(`  audit round ${run + 1}/${runs}`);
    }
    const groups = AUDIT_SCENARIO.accounts * AUDIT_SCENARIO.regions.length * AUDIT_SCENARIO.groupsPerRegion;
    for (const variant of ["audit", "lister"] as const)
      for (const sample of samples[variant])
        if (sample.groups !== groups) throw new Error(`${variant} read ${sample.groups} groups, expected ${groups}`);
    const medianMs = { audit: round(median(samples.audit.map((s) => s.ms)), 0), lister: round(median(samples.lister.map((s) => s.ms)), 0) };
    const requests = { audit: median(samples.audit.map((s) => s.requests)), lister: median(samples.lister.map((s) => s.requests)) };
    const timeRatio = round(medianMs.audit / medianMs.lister, 3);
    const requestRatio = round(requests.audit / requests.lister, 3);
    return {
      available: true,
      scenario: { ...AUDIT_SCENARIO, groups, concurrency: DEFAULT_CONCURRENCY },
      runs: { audit: samples.audit.map((s) => round(s.ms, 0)), lister: samples.lister.map((s) => round(s.ms, 0)) },
      medianMs,
      requests,
      requestsPerGroup: { audit: round(requests.audit / groups, 3), lister: round(requests.lister / groups, 3) },
      peakRssMiB: {
        audit: Math.max(...samples.audit.map((s) => s.peakRssMiB)),
        lister: Math.max(...samples.lister.map((s) => s.peakRssMiB)),
      },
      timeRatio,
      requestRatio,
      targets: {
        timeAtMost1_3x: { value: timeRatio, limit: 1.3, met: timeRatio <= 1.3 },
        requestsAtMost1_05x: { value: requestRatio, limit: 1.05, met: requestRatio <= 1.05 },
      },
    };
  } finally {
    await endpoint.stop();
  }
}

/** The scenario's lines for the bench's printed report. */
export function auditLines(result: AuditBenchResult): string[] {
  if (!result.available) return [`audit on moto: not measured: ${result.reason}`];
  const yes = (met: boolean) => (met ? "met" : "MISSED");
  return [
    `audit on moto: ${result.scenario!.accounts} accounts x ${result.scenario!.regions.length} regions x ${result.scenario!.groupsPerRegion} groups (${result.scenario!.groups}), concurrency ${result.scenario!.concurrency}`,
    `  audit  median ${result.medianMs!["audit"]} ms, ${result.requests!["audit"]} requests (${result.requestsPerGroup!["audit"]}/group), peak ${result.peakRssMiB!["audit"]} MiB`,
    `  lister median ${result.medianMs!["lister"]} ms, ${result.requests!["lister"]} requests (${result.requestsPerGroup!["lister"]}/group), peak ${result.peakRssMiB!["lister"]} MiB`,
    `  time ${result.timeRatio}x lister (limit 1.3: ${yes(result.targets!.timeAtMost1_3x.met)}), requests ${result.requestRatio}x (limit 1.05: ${yes(result.targets!.requestsAtMost1_05x.met)})`,
  ];
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv[0] === "--child") {
    child(argv[1] as "audit" | "lister", argv[2]!, argv[3]!.split(",")).catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
  } else {
    auditScenario(argv.includes("--quick"))
      .then((result) => {
        console.log(auditLines(result).join("\n"));
        console.log(JSON.stringify(result, null, 2));
      })
      .catch((error: unknown) => {
        console.error(error);
        process.exitCode = 1;
      });
  }
}
