// Reads what `audit` checks from CodeDeploy: applications (paginated), their deployment groups
// (paginated; BatchGetDeploymentGroups in chunks of 25, GetDeploymentGroup per group where the
// endpoint lacks the batch call), and every custom deployment config the groups use. Nothing that
// fails to load is dropped: it becomes a FetchFailure naming the resource.
import {
  BatchGetApplicationsCommand,
  BatchGetDeploymentGroupsCommand,
  GetApplicationCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  ListApplicationsCommand,
  ListDeploymentGroupsCommand,
} from "@aws-sdk/client-codedeploy";
import { isBuiltInName } from "../../policy-pack/core/catalog";
import type { CodeDeploySender } from "./client";
import { classifyFailure, describeFailure } from "./errors";

export const GROUP_BATCH_SIZE = 25;
export const APPLICATION_BATCH_SIZE = 100;
/** A paginated listing that keeps handing out tokens past this many pages is treated as broken. */
const MAX_PAGES = 10_000;

/** What could not be read, named so the report can point at it. */
export interface FetchFailure {
  readonly resource:
    | { readonly kind: "account" }
    | { readonly kind: "application"; readonly application: string }
    | { readonly kind: "deploymentGroup"; readonly application: string; readonly group: string }
    | { readonly kind: "deploymentConfig"; readonly name: string; readonly usedBy: readonly string[] };
  readonly message: string;
}

export type Info = Record<string, unknown>;

export interface Inventory {
  readonly applications: Info[];
  readonly groups: Info[];
  readonly configs: Info[];
  readonly failures: FetchFailure[];
  /** True when some call could not reach the endpoint at all. */
  unreachable: boolean;
  /** Whether BatchGetDeploymentGroups worked, failed (and GetDeploymentGroup was used), or was not needed. */
  batchGetDeploymentGroups: "used" | "unsupported" | "not needed";
}

export interface FetchOptions {
  /** Only these applications; every application in the region when absent. */
  readonly applications?: readonly string[];
  readonly log?: (line: string) => void;
}

/** Thrown inside the fetcher when the endpoint is gone: every further call would fail the same way. */
class Unreachable extends Error {}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}

type Response = Record<string, unknown> | undefined;
async function ask(client: CodeDeploySender, command: unknown): Promise<Record<string, unknown>> {
  const response = await client.send(command);
  return typeof response === "object" && response !== null ? (response as Record<string, unknown>) : {};
}
function token(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function infosOf(value: unknown): Info[] {
  return Array.isArray(value) ? value.filter((item): item is Info => typeof item === "object" && item !== null) : [];
}

export async function fetchInventory(client: CodeDeploySender, options: FetchOptions = {}): Promise<Inventory> {
  const log = options.log ?? (() => {});
  const inventory: Inventory = {
    applications: [],
    groups: [],
    configs: [],
    failures: [],
    unreachable: false,
    batchGetDeploymentGroups: "not needed",
  };

  /** Runs one call; a failure is recorded against `resource` and yields undefined. */
  async function call<T>(action: string, what: string, resource: FetchFailure["resource"], run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
      inventory.failures.push({ resource, message: describeFailure(error, action, what) });
      if (classifyFailure(error) === "unreachable") {
        inventory.unreachable = true;
        throw new Unreachable();
      }
      return undefined;
    }
  }

  async function paginate(
    action: string,
    what: string,
    resource: FetchFailure["resource"],
    page: (token?: string) => Promise<{ items: string[]; next?: string }>,
  ): Promise<string[] | undefined> {
    const names: string[] = [];
    let token: string | undefined;
    const seen = new Set<string>();
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const result = await call(action, what, resource, () => page(token));
      if (!result) return undefined;
      names.push(...result.items);
      if (!result.next) return names;
      if (seen.has(result.next)) break;
      seen.add(result.next);
      token = result.next;
    }
    inventory.failures.push({
      resource,
      message: `codedeploy:${action} kept returning page tokens for ${what}; the listing is incomplete, so nothing past it was checked.`,
    });
    return undefined;
  }

  try {
    let applications = options.applications ? [...new Set(options.applications)] : undefined;
    if (!applications) {
      log("Listing CodeDeploy applications...");
      applications = await paginate(
        "ListApplications",
        "the applications of this account and region",
        { kind: "account" },
        async (nextToken) => {
          const response = await ask(client, new ListApplicationsCommand({ nextToken }));
          return { items: stringsOf(response["applications"]), next: token(response["nextToken"]) };
        },
      );
      if (!applications) return inventory;
    }
    log(`Found ${applications.length} application(s).`);

    for (const application of applications) {
      const groupNames = await paginate(
        "ListDeploymentGroups",
        `the deployment groups of application "${application}"`,
        { kind: "application", application },
        async (nextToken) => {
          const response = await ask(client, new ListDeploymentGroupsCommand({ applicationName: application, nextToken }));
          return { items: stringsOf(response["deploymentGroups"]), next: token(response["nextToken"]) };
        },
      );
      if (!groupNames) continue;
      log(`Application ${application}: ${groupNames.length} deployment group(s).`);
      await readGroups(application, groupNames);
    }

    await readApplicationsWithoutPlatform();
    await readCustomConfigs();
  } catch (error) {
    if (!(error instanceof Unreachable)) throw error;
  }
  return inventory;

  async function readGroups(application: string, names: readonly string[]): Promise<void> {
    for (const chunk of chunks(names, GROUP_BATCH_SIZE)) {
      let missing = [...chunk];
      if (inventory.batchGetDeploymentGroups !== "unsupported") {
        try {
          const response = await ask(
            client,
            new BatchGetDeploymentGroupsCommand({ applicationName: application, deploymentGroupNames: chunk }),
          );
          inventory.batchGetDeploymentGroups = "used";
          const infos = infosOf(response["deploymentGroupsInfo"]);
          inventory.groups.push(...infos);
          const read = new Set(infos.map((info) => info["deploymentGroupName"]));
          missing = chunk.filter((name) => !read.has(name));
        } catch (error) {
          if (classifyFailure(error) === "unreachable") {
            inventory.failures.push({
              resource: { kind: "application", application },
              message: describeFailure(error, "BatchGetDeploymentGroups", `the deployment groups of application "${application}"`),
            });
            inventory.unreachable = true;
            throw new Unreachable();
          }
          // Emulators (moto) lack the batch call; a denied or failing batch may still leave
          // GetDeploymentGroup working. Either way every group is then read one by one.
          inventory.batchGetDeploymentGroups = "unsupported";
          log(
            `BatchGetDeploymentGroups is not usable here (${classifyFailure(error)}: ${(error as Error).name}); reading groups one by one with GetDeploymentGroup.`,
          );
        }
      }
      for (const group of missing) {
        const what = `deployment group "${application}/${group}"`;
        const response: Response = await call("GetDeploymentGroup", what, { kind: "deploymentGroup", application, group }, () =>
          ask(client, new GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: group })),
        );
        const info = response?.["deploymentGroupInfo"];
        if (info && typeof info === "object") inventory.groups.push(info as Info);
        else if (response)
          inventory.failures.push({
            resource: { kind: "deploymentGroup", application, group },
            message: `codedeploy:GetDeploymentGroup returned no deploymentGroupInfo for ${what}; it was not checked.`,
          });
      }
    }
  }

  /** Applications are read only for groups whose answer does not state their compute platform. */
  async function readApplicationsWithoutPlatform(): Promise<void> {
    const needed = [
      ...new Set(
        inventory.groups.filter((info) => typeof info["computePlatform"] !== "string").map((info) => String(info["applicationName"])),
      ),
    ];
    for (const chunk of chunks(needed, APPLICATION_BATCH_SIZE)) {
      let missing = [...chunk];
      try {
        const response = await ask(client, new BatchGetApplicationsCommand({ applicationNames: chunk }));
        const infos = infosOf(response["applicationsInfo"]);
        inventory.applications.push(...infos);
        const read = new Set(infos.map((info) => info["applicationName"]));
        missing = chunk.filter((name) => !read.has(name));
      } catch (error) {
        if (classifyFailure(error) === "unreachable") {
          inventory.failures.push({
            resource: { kind: "account" },
            message: describeFailure(error, "BatchGetApplications", "the applications of groups that do not state their platform"),
          });
          inventory.unreachable = true;
          throw new Unreachable();
        }
        log(`BatchGetApplications failed; reading applications one by one with GetApplication.`);
      }
      for (const application of missing) {
        const response: Response = await call("GetApplication", `application "${application}"`, { kind: "application", application }, () =>
          ask(client, new GetApplicationCommand({ applicationName: application })),
        );
        const info = response?.["application"];
        if (info && typeof info === "object") inventory.applications.push(info as Info);
      }
    }
  }

  async function readCustomConfigs(): Promise<void> {
    const usedBy = new Map<string, string[]>();
    for (const info of inventory.groups) {
      const name = info["deploymentConfigName"];
      if (typeof name !== "string" || name === "" || isBuiltInName(name)) continue;
      const users = usedBy.get(name) ?? [];
      users.push(`${String(info["applicationName"])}/${String(info["deploymentGroupName"])}`);
      usedBy.set(name, users);
    }
    for (const [name, users] of usedBy) {
      log(`Reading custom deployment config ${name}...`);
      const response: Response = await call(
        "GetDeploymentConfig",
        `deployment config "${name}" (used by ${users.join(", ")})`,
        { kind: "deploymentConfig", name, usedBy: users },
        () => ask(client, new GetDeploymentConfigCommand({ deploymentConfigName: name })),
      );
      const info = response?.["deploymentConfigInfo"];
      if (info && typeof info === "object") inventory.configs.push(info as Info);
      else if (response)
        inventory.failures.push({
          resource: { kind: "deploymentConfig", name, usedBy: users },
          message: `codedeploy:GetDeploymentConfig returned no deploymentConfigInfo for deployment config "${name}"; it was not checked.`,
        });
    }
  }
}
