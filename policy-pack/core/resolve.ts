// Cross-resource facts, as docs/resolution.md specifies them: which application and deployment
// config a group refers to (property dependencies first, then a name within the group's scope,
// never the first of several), which compute platform every piece of evidence says, and which
// deployment config the group really deploys with. The index is built in one pass and every lookup
// is by key, so resolving every group of a stack costs time linear in the stack's size, and
// nothing depends on the order the engine sent the resources in.
import { BUILT_IN_PREFIX, builtInDeploymentConfig, defaultDeploymentConfig, isBuiltInName, type BuiltInDeploymentConfig } from "./catalog";
import type { ExternalDeploymentConfig } from "./config";
import {
  COMPUTE_PLATFORMS,
  isMalformed,
  isUnknown,
  NO_SCOPE,
  UNKNOWN,
  type ApplicationModel,
  type CodeDeployModel,
  type ComputePlatform,
  type DeploymentConfigModel,
  type DeploymentGroupModel,
  type Field,
  type Malformed,
  type MinimumHealthyHostsModel,
  type ResourceScope,
} from "./model";

export interface StackIndex {
  readonly groups: readonly DeploymentGroupModel[];
  readonly configs: readonly DeploymentConfigModel[];
  readonly applications: readonly ApplicationModel[];
  readonly configsByUrn: ReadonlyMap<string, DeploymentConfigModel>;
  readonly applicationsByUrn: ReadonlyMap<string, ApplicationModel>;
  /** Every resource with that known name, in any scope. */
  readonly configsByName: ReadonlyMap<string, readonly DeploymentConfigModel[]>;
  readonly applicationsByName: ReadonlyMap<string, readonly ApplicationModel[]>;
}

function byUrn<T extends CodeDeployModel>(a: T, b: T): number {
  return a.resource.urn < b.resource.urn ? -1 : a.resource.urn > b.resource.urn ? 1 : 0;
}

function addByName<T extends DeploymentConfigModel | ApplicationModel>(map: Map<string, T[]>, model: T): void {
  if (typeof model.name !== "string") return;
  const list = map.get(model.name);
  if (list) list.push(model);
  else map.set(model.name, [model]);
}

export function indexStack(models: Iterable<CodeDeployModel>): StackIndex {
  const groups: DeploymentGroupModel[] = [];
  const configs: DeploymentConfigModel[] = [];
  const applications: ApplicationModel[] = [];
  const configsByName = new Map<string, DeploymentConfigModel[]>();
  const applicationsByName = new Map<string, ApplicationModel[]>();
  const configsByUrn = new Map<string, DeploymentConfigModel>();
  const applicationsByUrn = new Map<string, ApplicationModel>();
  for (const model of models) {
    if (model.kind === "deploymentGroup") groups.push(model);
    else if (model.kind === "deploymentConfig") {
      configs.push(model);
      configsByUrn.set(model.resource.urn, model);
      addByName(configsByName, model);
    } else {
      applications.push(model);
      applicationsByUrn.set(model.resource.urn, model);
      addByName(applicationsByName, model);
    }
  }
  return { groups, configs, applications, configsByUrn, applicationsByUrn, configsByName, applicationsByName };
}

export const EMPTY_STACK: StackIndex = indexStack([]);

// ---- scope and references ----------------------------------------------------------------------

/** Same provider, and the same region or one unknown during preview (then only possibly the same). */
export function inScope(a: ResourceScope, b: ResourceScope): boolean {
  if (a.provider !== b.provider) return false;
  if (a.region === UNKNOWN || b.region === UNKNOWN) return true;
  return a.region === b.region;
}

/** What a group's name field refers to. */
export type StackReference<T> =
  | { readonly state: "stack"; readonly model: T }
  /** Several resources of the stack fit; `candidates` in URN order. */
  | { readonly state: "ambiguous"; readonly candidates: readonly T[] }
  /** A known name that no resource of the stack in the group's scope has. */
  | { readonly state: "outside"; readonly name: string }
  /** No name at all (absent or empty). */
  | { readonly state: "none" }
  /** A name unknown during preview that comes from no such resource of the stack. */
  | { readonly state: "unknown" }
  | { readonly state: "malformed"; readonly malformed: Malformed };

function resolveReference<T extends DeploymentConfigModel | ApplicationModel>(
  name: Field<string> | undefined,
  dependencies: readonly string[],
  scope: ResourceScope,
  resourcesByUrn: ReadonlyMap<string, T>,
  resourcesByName: ReadonlyMap<string, readonly T[]>,
): StackReference<T> {
  // 1. Property dependencies: where the engine says the value came from.
  const fromDependencies: T[] = [];
  for (const urn of dependencies) {
    const resource = resourcesByUrn.get(urn);
    if (resource && !fromDependencies.includes(resource)) fromDependencies.push(resource);
  }
  if (fromDependencies.length === 1) return { state: "stack", model: fromDependencies[0]! };
  // Candidates are sorted, so nothing depends on the order the engine sent the resources in.
  if (fromDependencies.length > 1) return { state: "ambiguous", candidates: fromDependencies.sort(byUrn) };
  // 2. A known name, within the group's scope.
  if (name === undefined || name === "") return { state: "none" };
  if (isMalformed(name)) return { state: "malformed", malformed: name };
  if (isUnknown(name)) return { state: "unknown" };
  const candidates = (resourcesByName.get(name) ?? []).filter((candidate) => inScope(scope, candidate.scope ?? NO_SCOPE));
  if (candidates.length === 1) return { state: "stack", model: candidates[0]! };
  if (candidates.length > 1) return { state: "ambiguous", candidates: candidates.sort(byUrn) };
  // 3. Outside the stack.
  return { state: "outside", name };
}

/** The candidates' logical names, sorted, for a message (names of the user's own resources, not values). */
export function candidateNames(candidates: readonly CodeDeployModel[]): string {
  return candidates
    .map((candidate) => `"${candidate.resource.name}"`)
    .sort()
    .join(", ");
}

// ---- the compute platform ----------------------------------------------------------------------

export function asComputePlatform(value: Field<string> | undefined): ComputePlatform | undefined {
  return typeof value === "string" && (COMPUTE_PLATFORMS as readonly string[]).includes(value) ? (value as ComputePlatform) : undefined;
}

/** A config's platform; CodeDeploy's default for a config that names none is Server. */
export function configPlatform(config: DeploymentConfigModel): ComputePlatform | undefined {
  if (config.computePlatform === undefined) return "Server";
  return asComputePlatform(config.computePlatform);
}

/** One piece of evidence of a group's platform, and how a message names where it comes from. */
export interface PlatformEvidence {
  readonly platform: ComputePlatform;
  readonly label: string;
}

/** Evidence that cannot decide yet: unknown during preview, or an ambiguous reference. */
export interface PlatformDoubt {
  readonly text: string;
  readonly ambiguous: boolean;
}

/** Everything the stack says about one group, decided once per stack and shared by every policy. */
export interface GroupResolution {
  readonly application: StackReference<ApplicationModel>;
  readonly config: StackReference<DeploymentConfigModel>;
  /** Known evidence from the group and the stack; a policy adds its declared external configs. */
  readonly evidence: readonly PlatformEvidence[];
  readonly doubts: readonly PlatformDoubt[];
  /** Evidence fields of the wrong shape or value: reported, and otherwise left out. */
  readonly malformed: readonly Malformed[];
}

/** The platform of a resource in the stack, read as evidence. */
function stackEvidence(
  stated: Field<string> | undefined,
  label: string,
  evidence: PlatformEvidence[],
  doubts: PlatformDoubt[],
  malformed: Malformed[],
): void {
  const path = `computePlatform of ${label}`;
  if (stated === undefined) evidence.push({ platform: "Server", label });
  else if (isUnknown(stated)) doubts.push({ text: `${path} is unknown until the update runs`, ambiguous: false });
  else if (isMalformed(stated)) malformed.push({ ...stated, path });
  else {
    const platform = asComputePlatform(stated);
    if (platform) evidence.push({ platform, label });
    else malformed.push({ kind: "malformed", path, expected: "Server, Lambda or ECS", found: "another string" });
  }
}

export function resolveGroup(group: DeploymentGroupModel, stack: StackIndex): GroupResolution {
  const scope = group.scope ?? NO_SCOPE;
  const application = resolveReference(
    group.applicationName,
    group.applicationDependencies,
    scope,
    stack.applicationsByUrn,
    stack.applicationsByName,
  );
  const config = resolveReference(
    group.deploymentConfigName,
    group.deploymentConfigDependencies,
    scope,
    stack.configsByUrn,
    stack.configsByName,
  );
  const evidence: PlatformEvidence[] = [];
  const doubts: PlatformDoubt[] = [];
  const malformed: Malformed[] = [];

  if (group.hasEcsService === true || isUnknown(group.hasEcsService)) evidence.push({ platform: "ECS", label: "the ECS service it names" });
  else if (isMalformed(group.hasEcsService)) malformed.push(group.hasEcsService);

  // The group's own computePlatform (an output): evidence when known, nothing when unknown.
  const own = group.computePlatform;
  if (isMalformed(own)) malformed.push(own);
  else if (typeof own === "string") {
    const platform = asComputePlatform(own);
    if (platform) evidence.push({ platform, label: "its own computePlatform" });
    else malformed.push({ kind: "malformed", path: "computePlatform", expected: "Server, Lambda or ECS", found: "another string" });
  }

  if (application.state === "stack") {
    stackEvidence(application.model.computePlatform, `application "${application.model.resource.name}"`, evidence, doubts, malformed);
  } else if (application.state === "ambiguous") {
    doubts.push({
      text: `its application name matches ${application.candidates.length} applications of the stack in its scope (${candidateNames(application.candidates)})`,
      ambiguous: true,
    });
  } else if (application.state === "unknown") {
    doubts.push({
      text: "its application name is unknown during preview and does not come from an application in this stack",
      ambiguous: false,
    });
  }

  if (config.state === "stack") {
    stackEvidence(config.model.computePlatform, `deployment config resource "${config.model.resource.name}"`, evidence, doubts, malformed);
  } else if (config.state === "ambiguous") {
    doubts.push({ text: ambiguousConfigText(config.candidates), ambiguous: true });
  } else if (config.state === "unknown") {
    doubts.push({ text: UNKNOWN_CONFIG_NAME, ambiguous: false });
  } else if (config.state === "outside" && config.name !== ONE_AT_A_TIME) {
    // OneAtATime is no evidence: the classic provider fills it into every group that names no config.
    const builtIn = builtInDeploymentConfig(config.name);
    if (builtIn) evidence.push({ platform: builtIn.computePlatform, label: `deployment config ${builtIn.name}` });
  }
  return { application, config, evidence, doubts, malformed };
}

const ONE_AT_A_TIME = `${BUILT_IN_PREFIX}OneAtATime`;
const UNKNOWN_CONFIG_NAME = "deploymentConfigName is unknown during preview and does not come from a deployment config in this stack";

function ambiguousConfigText(candidates: readonly DeploymentConfigModel[]): string {
  return `deploymentConfigName matches ${candidates.length} deployment configs of the stack in its scope (${candidateNames(candidates)}), so which one it uses cannot be told`;
}

/** A declared external config the group names, if its name is not a catalogued built-in. */
function declaredExternal(
  resolution: GroupResolution,
  externals: readonly ExternalDeploymentConfig[],
): ExternalDeploymentConfig | undefined {
  const reference = resolution.config;
  if (reference.state !== "outside" || builtInDeploymentConfig(reference.name)) return undefined;
  return externals.find((candidate) => candidate.name === reference.name);
}

function externalLabel(config: ExternalDeploymentConfig): string {
  return `external deployment config "${config.name}" (declared in policy config)`;
}

export type PlatformDecision =
  | { readonly state: "decided"; readonly platform: ComputePlatform; readonly malformed: readonly Malformed[] }
  /** Known evidence disagrees: CodeDeploy refuses the group or its deployments at update. */
  | { readonly state: "conflict"; readonly evidence: readonly PlatformEvidence[]; readonly malformed: readonly Malformed[] }
  /** No known evidence, some unknown or ambiguous: the verdict is advisory at most. */
  | { readonly state: "undecided"; readonly doubts: readonly PlatformDoubt[]; readonly malformed: readonly Malformed[] };

/** The group's platform from all evidence, the policy's own declared external configs included. */
export function decidePlatform(resolution: GroupResolution, externals: readonly ExternalDeploymentConfig[]): PlatformDecision {
  const external = declaredExternal(resolution, externals);
  const evidence =
    external?.computePlatform !== undefined
      ? [...resolution.evidence, { platform: external.computePlatform, label: externalLabel(external) }]
      : resolution.evidence;
  const malformed = resolution.malformed;
  const first = evidence[0];
  if (first === undefined) {
    if (resolution.doubts.length > 0) return { state: "undecided", doubts: resolution.doubts, malformed };
    return { state: "decided", platform: "Server", malformed };
  }
  if (evidence.some((item) => item.platform !== first.platform)) return { state: "conflict", evidence, malformed };
  return { state: "decided", platform: first.platform, malformed };
}

// ---- the effective deployment config -----------------------------------------------------------

/** A deployment config as the rules see it, wherever it was defined. */
export interface ResolvedDeploymentConfig {
  /**
   * `default`: the group names none. `provider-default`: a Lambda or ECS group names
   * CodeDeployDefault.OneAtATime, which the classic provider sends when a group names none.
   */
  readonly source: "built-in" | "default" | "provider-default" | "stack" | "external";
  /** How messages name it: a built-in name, the config resource's logical name, or the declared name. */
  readonly label: string;
  readonly minimumHealthyHosts?: Field<MinimumHealthyHostsModel>;
  readonly trafficRoutingType?: Field<string>;
}

export type EffectiveDeploymentConfig =
  | { readonly state: "resolved"; readonly config: ResolvedDeploymentConfig }
  | { readonly state: "unresolved"; readonly reason: string }
  | { readonly state: "undecidable"; readonly reason: string }
  | { readonly state: "malformed"; readonly malformed: Malformed };

function fromBuiltIn(config: BuiltInDeploymentConfig, source: "built-in" | "default"): ResolvedDeploymentConfig {
  return { source, label: config.name, minimumHealthyHosts: config.minimumHealthyHosts, trafficRoutingType: config.trafficRoutingType };
}

function fromExternal(config: ExternalDeploymentConfig): ResolvedDeploymentConfig {
  return {
    source: "external",
    label: externalLabel(config),
    minimumHealthyHosts: config.minimumHealthyHosts,
    trafficRoutingType: config.trafficRoutingType,
  };
}

function fromStack(config: DeploymentConfigModel): ResolvedDeploymentConfig {
  const trafficRouting = config.trafficRouting;
  return {
    source: "stack",
    label: `deployment config resource "${config.resource.name}"`,
    minimumHealthyHosts: config.minimumHealthyHosts,
    trafficRoutingType:
      trafficRouting === undefined || isUnknown(trafficRouting) || isMalformed(trafficRouting) ? trafficRouting : trafficRouting.type,
  };
}

/** The config a group of `platform` deploys with, given what its name refers to. */
export function effectiveDeploymentConfig(
  resolution: GroupResolution,
  platform: ComputePlatform,
  externals: readonly ExternalDeploymentConfig[],
): EffectiveDeploymentConfig {
  const reference = resolution.config;
  switch (reference.state) {
    case "none":
      return { state: "resolved", config: fromBuiltIn(defaultDeploymentConfig(platform), "default") };
    case "malformed":
      return { state: "malformed", malformed: reference.malformed };
    case "unknown":
      return { state: "undecidable", reason: UNKNOWN_CONFIG_NAME };
    case "ambiguous":
      return { state: "unresolved", reason: ambiguousConfigText(reference.candidates) };
    case "stack":
      if (reference.model.unreadable) {
        return {
          state: "undecidable",
          reason: `deployment config resource "${reference.model.resource.name}" cannot be checked in this preview: ${reference.model.unreadable}`,
        };
      }
      return { state: "resolved", config: fromStack(reference.model) };
    case "outside":
      break;
  }
  const name = reference.name;
  if (name === ONE_AT_A_TIME && platform !== "Server") {
    return { state: "resolved", config: { source: "provider-default", label: name, trafficRoutingType: "AllAtOnce" } };
  }
  const builtIn = builtInDeploymentConfig(name);
  if (builtIn) return { state: "resolved", config: fromBuiltIn(builtIn, "built-in") };
  // A built-in newer than the catalog can still be checked once the user declares its settings.
  const declared = declaredExternal(resolution, externals);
  if (declared) return { state: "resolved", config: fromExternal(declared) };
  return {
    state: "unresolved",
    reason: isBuiltInName(name)
      ? "deploymentConfigName has the reserved CodeDeployDefault. prefix but is not a built-in config this pack knows, so its settings are unknown"
      : "its custom deployment config is neither defined in this stack nor declared in externalDeploymentConfigs, so its settings could not be checked",
  };
}
