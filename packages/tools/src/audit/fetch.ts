// Reads what `audit` checks from CodeDeploy in one account and region: applications (paginated),
// their deployment groups (paginated; BatchGetDeploymentGroups in chunks of 100, GetDeploymentGroup
// per group where the endpoint lacks the batch call), and every custom deployment config the groups
// use. Applications are read concurrently; the run's limiter bounds the requests in flight. Nothing
// that fails to load is dropped: it becomes a FetchFailure naming the resource.
import {
  BatchGetApplicationsCommand,
  BatchGetDeploymentGroupsCommand,
  GetApplicationCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  ListApplicationsCommand,
  ListDeploymentGroupsCommand,
} from "@aws-sdk/client-codedeploy";
import { isBuiltInName } from "codedeploy-guardrails/core/catalog";
import type { CodeDeploySender } from "./client";
import { classifyFailure, describeFailure, isNotImplemented } from "./errors";

/** BatchGetDeploymentGroups takes up to 100 names (the API's limit). */
export const GROUP_BATCH_SIZE = 100;
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

/**
 * Which endpoints implement BatchGetDeploymentGroups, learnt once per endpoint per run: the first
 * reader to need it tries it, every other reader of the same endpoint waits for that answer
 * instead of trying (and failing, with retries) itself.
 */
export class BatchSupport {
  private readonly implemented = new Map<string, Promise<boolean>>();

  /** The answer for `endpoint`, or undefined when nobody has asked yet (the caller then probes). */
  known(endpoint: string): Promise<boolean> | undefined {
    return this.implemented.get(endpoint);
  }

  /** Registers the caller as the prober; it must call the returned function with the answer. */
  probe(endpoint: string): (implemented: boolean) => void {
    let settle: (implemented: boolean) => void = () => {};
    this.implemented.set(endpoint, new Promise<boolean>((resolve) => (settle = resolve)));
    return settle;
  }
}

export interface FetchOptions {
  /** Only these applications; every application in the region when absent. */
  readonly applications?: readonly string[];
  readonly log?: (line: string) => void;
  /** Shared by every reader of a run; a fresh one when absent. */
  readonly batchSupport?: BatchSupport;
  /** Names the endpoint for `batchSupport`: its URL, or the service's regional endpoint. */
  readonly endpointKey?: string;
  /**
   * A client that tries each call once, for the batch probe: an endpoint that lacks the call answers
   * the same way every time, so retrying its answer only costs time. Other failures are retried
   * through the main client as usual.
   */
  readonly probeClient?: CodeDeploySender;
  /** Called with the number of deployment groups each read returned (progress). */
  readonly onGroupsRead?: (count: number) => void;
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

/** Settles every task, then rethrows the first failure (so nothing keeps running after a return). */
async function all(tasks: readonly Promise<unknown>[]): Promise<void> {
  const settled = await Promise.allSettled(tasks);
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed) throw failed.reason;
}

function byName(key: string): (a: Info, b: Info) => number {
  return (a, b) => String(a[key]).localeCompare(String(b[key]));
}

export async function fetchInventory(client: CodeDeploySender, options: FetchOptions = {}): Promise<Inventory> {
  const log = options.log ?? (() => {});
  const batchSupport = options.batchSupport ?? new BatchSupport();
  const endpointKey = options.endpointKey ?? "default";
  const inventory: Inventory = {
    applications: [],
    groups: [],
    configs: [],
    failures: [],
    unreachable: false,
    batchGetDeploymentGroups: "not needed",
  };
  /** Set when this scope's batch call failed for its own reasons (denied, throttled): read one by one from then on. */
  let batchFailedHere = false;
  /** Applications already read or tried (an answer naming others, or the same one twice, is not taken again). */
  const applicationsTried = new Set<string>();
  function addApplications(infos: readonly Info[], asked: readonly string[]): void {
    for (const info of infos) {
      const name = info["applicationName"];
      if (typeof name !== "string" || !asked.includes(name) || inventory.applications.some((known) => known["applicationName"] === name))
        continue;
      inventory.applications.push(info);
    }
    for (const name of asked) applicationsTried.add(name);
  }

  function unreachable(failure: FetchFailure): never {
    inventory.failures.push(failure);
    inventory.unreachable = true;
    throw new Unreachable();
  }

  /** Runs one call; a failure is recorded against `resource` and yields undefined. */
  async function call<T>(action: string, what: string, resource: FetchFailure["resource"], run: () => Promise<T>): Promise<T | undefined> {
    if (inventory.unreachable) throw new Unreachable();
    try {
      return await run();
    } catch (error) {
      if (inventory.unreachable) throw new Unreachable();
      const failure = { resource, message: describeFailure(error, action, what) };
      if (classifyFailure(error) === "unreachable") unreachable(failure);
      inventory.failures.push(failure);
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
    let applications: string[] | undefined;
    if (options.applications) {
      applications = await existingApplications([...new Set(options.applications)]);
    } else {
      applications = await listApplications();
      if (!applications) return inventory;
    }
    log(`Found ${applications.length} application(s).`);

    await all(applications.map((application) => readApplication(application)));
    await readApplicationsWithoutPlatform();
    await readCustomConfigs();
  } catch (error) {
    if (!(error instanceof Unreachable)) throw error;
  }
  // Reads finish in any order; the inventory does not depend on it.
  inventory.applications.sort(byName("applicationName"));
  inventory.groups.sort((a, b) => byName("applicationName")(a, b) || byName("deploymentGroupName")(a, b));
  inventory.configs.sort(byName("deploymentConfigName"));
  return inventory;

  /**
   * The named applications that exist here, from the region's application list (one listing,
   * whatever the number of names). A name that is not in it is an error naming it: auditing nothing
   * is not a pass. When the list cannot be read, every name is tried (the failure is already an error).
   */
  async function existingApplications(names: readonly string[]): Promise<string[]> {
    const listed = await listApplications();
    if (!listed) return [...names];
    const present = new Set(listed);
    for (const application of names)
      if (!present.has(application))
        inventory.failures.push({
          resource: { kind: "application", application },
          message: `application "${application}" (named with --application) does not exist in this account and region (codedeploy:ListApplications does not list it), so nothing was checked for it; check the name, the account and the region.`,
        });
    return names.filter((name) => present.has(name));
  }

  function listApplications(): Promise<string[] | undefined> {
    return paginate("ListApplications", "the applications of this account and region", { kind: "account" }, async (nextToken) => {
      const response = await ask(client, new ListApplicationsCommand({ nextToken }));
      return { items: stringsOf(response["applications"]), next: token(response["nextToken"]) };
    });
  }

  async function readApplication(application: string): Promise<void> {
    const groupNames = await paginate(
      "ListDeploymentGroups",
      `the deployment groups of application "${application}"`,
      { kind: "application", application },
      async (nextToken) => {
        const response = await ask(client, new ListDeploymentGroupsCommand({ applicationName: application, nextToken }));
        return { items: stringsOf(response["deploymentGroups"]), next: token(response["nextToken"]) };
      },
    );
    if (!groupNames) return;
    await all(chunks(groupNames, GROUP_BATCH_SIZE).map((chunk) => readGroups(application, chunk)));
  }

  /** One batch call for `chunk`: the infos, or undefined when the batch could not be used. */
  async function batchGet(application: string, chunk: readonly string[]): Promise<Info[] | undefined> {
    if (batchFailedHere) return undefined;
    const known = batchSupport.known(endpointKey);
    const settle = known ? undefined : batchSupport.probe(endpointKey);
    if (known && !(await known)) return undefined;
    if (inventory.unreachable) {
      settle?.(true);
      throw new Unreachable();
    }
    const command = () => new BatchGetDeploymentGroupsCommand({ applicationName: application, deploymentGroupNames: [...chunk] });
    try {
      let response: Record<string, unknown> | undefined;
      if (settle && options.probeClient) {
        try {
          response = await ask(options.probeClient, command());
        } catch (error) {
          if (isNotImplemented(error)) throw error;
          // Anything else (throttling, a JSON 500) gets the usual retries below.
        }
      }
      response ??= await ask(client, command());
      settle?.(true);
      inventory.batchGetDeploymentGroups = "used";
      return infosOf(response["deploymentGroupsInfo"]);
    } catch (error) {
      if (classifyFailure(error) === "unreachable") {
        settle?.(true);
        unreachable({
          resource: { kind: "application", application },
          message: describeFailure(error, "BatchGetDeploymentGroups", `the deployment groups of application "${application}"`),
        });
      }
      if (settle && isNotImplemented(error)) {
        // Emulators (moto) lack the batch call: learnt once for this endpoint, for the whole run.
        settle(false);
        log(`BatchGetDeploymentGroups is not implemented by ${endpointKey}; reading groups one by one with GetDeploymentGroup.`);
      } else {
        // Denied or failing here: GetDeploymentGroup may still work, for this account and region.
        settle?.(true);
        batchFailedHere = true;
        log(
          `BatchGetDeploymentGroups failed here (${classifyFailure(error)}: ${(error as Error).name}); reading groups one by one with GetDeploymentGroup.`,
        );
      }
      inventory.batchGetDeploymentGroups = "unsupported";
      return undefined;
    }
  }

  async function readGroups(application: string, chunk: readonly string[]): Promise<void> {
    const infos = await batchGet(application, chunk);
    if (infos === undefined && inventory.batchGetDeploymentGroups !== "used") inventory.batchGetDeploymentGroups = "unsupported";
    const read = new Set((infos ?? []).map((info) => info["deploymentGroupName"]));
    inventory.groups.push(...(infos ?? []));
    if (infos?.length) options.onGroupsRead?.(infos.length);
    await all(
      chunk
        .filter((name) => !read.has(name))
        .map(async (group) => {
          const what = `deployment group "${application}/${group}"`;
          const response: Response = await call("GetDeploymentGroup", what, { kind: "deploymentGroup", application, group }, () =>
            ask(client, new GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: group })),
          );
          const info = response?.["deploymentGroupInfo"];
          if (info && typeof info === "object") {
            inventory.groups.push(info as Info);
            options.onGroupsRead?.(1);
          } else if (response)
            inventory.failures.push({
              resource: { kind: "deploymentGroup", application, group },
              message: `codedeploy:GetDeploymentGroup returned no deploymentGroupInfo for ${what}; it was not checked.`,
            });
        }),
    );
  }

  /** Applications are read only for groups whose answer does not state their compute platform. */
  async function readApplicationsWithoutPlatform(): Promise<void> {
    const needed = [
      ...new Set(
        inventory.groups
          .filter((info) => typeof info["computePlatform"] !== "string" && !applicationsTried.has(String(info["applicationName"])))
          .map((info) => String(info["applicationName"])),
      ),
    ].sort();
    await all(
      chunks(needed, APPLICATION_BATCH_SIZE).map(async (chunk) => {
        let missing = [...chunk];
        try {
          if (inventory.unreachable) throw new Unreachable();
          const response = await ask(client, new BatchGetApplicationsCommand({ applicationNames: chunk }));
          addApplications(infosOf(response["applicationsInfo"]), chunk);
          const read = new Set(inventory.applications.map((info) => info["applicationName"]));
          missing = chunk.filter((name) => !read.has(name));
        } catch (error) {
          if (error instanceof Unreachable) throw error;
          if (classifyFailure(error) === "unreachable")
            unreachable({
              resource: { kind: "account" },
              message: describeFailure(error, "BatchGetApplications", "the applications of groups that do not state their platform"),
            });
          log(`BatchGetApplications failed; reading applications one by one with GetApplication.`);
        }
        await all(
          missing.map(async (application) => {
            const response: Response = await call(
              "GetApplication",
              `application "${application}"`,
              { kind: "application", application },
              () => ask(client, new GetApplicationCommand({ applicationName: application })),
            );
            const info = response?.["application"];
            if (info && typeof info === "object") addApplications([info as Info], [application]);
          }),
        );
      }),
    );
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
    await all(
      [...usedBy].map(async ([name, users]) => {
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
      }),
    );
  }
}
