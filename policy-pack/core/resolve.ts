// Cross-resource facts: which deployment config a group really uses and which compute platform it
// deploys to. Both are decided once per stack from an index built in one pass, so resolving every
// group of a stack costs time linear in the stack's size.
import { builtInDeploymentConfig, defaultDeploymentConfig, isBuiltInName, type BuiltInDeploymentConfig } from "./catalog";
import type { ExternalDeploymentConfig } from "./config";
import {
  COMPUTE_PLATFORMS,
  isMalformed,
  isUnknown,
  type ApplicationModel,
  type CodeDeployModel,
  type ComputePlatform,
  type DeploymentConfigModel,
  type DeploymentGroupModel,
  type Field,
  type Malformed,
  type MinimumHealthyHostsModel,
} from "./model";

export interface StackIndex {
  readonly groups: readonly DeploymentGroupModel[];
  readonly configs: readonly DeploymentConfigModel[];
  readonly applications: readonly ApplicationModel[];
  readonly configsByName: ReadonlyMap<string, DeploymentConfigModel>;
  readonly configsByUrn: ReadonlyMap<string, DeploymentConfigModel>;
  readonly applicationsByName: ReadonlyMap<string, ApplicationModel>;
  readonly applicationsByUrn: ReadonlyMap<string, ApplicationModel>;
}

export function indexStack(models: Iterable<CodeDeployModel>): StackIndex {
  const groups: DeploymentGroupModel[] = [];
  const configs: DeploymentConfigModel[] = [];
  const applications: ApplicationModel[] = [];
  const configsByName = new Map<string, DeploymentConfigModel>();
  const configsByUrn = new Map<string, DeploymentConfigModel>();
  const applicationsByName = new Map<string, ApplicationModel>();
  const applicationsByUrn = new Map<string, ApplicationModel>();
  for (const model of models) {
    switch (model.kind) {
      case "deploymentGroup":
        groups.push(model);
        break;
      case "deploymentConfig":
        configs.push(model);
        configsByUrn.set(model.resource.urn, model);
        if (typeof model.name === "string" && !configsByName.has(model.name)) configsByName.set(model.name, model);
        break;
      case "application":
        applications.push(model);
        applicationsByUrn.set(model.resource.urn, model);
        if (typeof model.name === "string" && !applicationsByName.has(model.name)) applicationsByName.set(model.name, model);
        break;
    }
  }
  return { groups, configs, applications, configsByName, configsByUrn, applicationsByName, applicationsByUrn };
}

export const EMPTY_STACK: StackIndex = indexStack([]);

export function asComputePlatform(value: Field<string> | undefined): ComputePlatform | undefined {
  return typeof value === "string" && (COMPUTE_PLATFORMS as readonly string[]).includes(value) ? (value as ComputePlatform) : undefined;
}

/** A config's platform; CodeDeploy's default for a config that names none is Server. */
export function configPlatform(config: DeploymentConfigModel): ComputePlatform | undefined {
  if (config.computePlatform === undefined) return "Server";
  return asComputePlatform(config.computePlatform);
}

export type PlatformSource = "ecsService" | "group" | "application" | "deploymentConfig" | "default";

export interface PlatformResolution {
  readonly platform: ComputePlatform;
  readonly source: PlatformSource;
  /** A platform-deciding field of the wrong shape or value: the platform was decided without it, and rules report it. */
  readonly malformed?: Malformed;
  /** A platform-deciding field unknown during preview: the platform was decided without it, so the verdict is advisory at most. */
  readonly undecidable?: string;
}

/**
 * The order is CodeDeploy's own: an ECS service makes the group ECS; otherwise the application's
 * platform decides; a built-in config name implies its platform; otherwise Server, the default.
 */
export function resolvePlatform(group: DeploymentGroupModel, stack: StackIndex): PlatformResolution {
  if (group.hasEcsService === true) return { platform: "ECS", source: "ecsService" };
  if (isMalformed(group.hasEcsService))
    return { ...resolvePlatform({ ...group, hasEcsService: false }, stack), malformed: group.hasEcsService };
  const stated = asComputePlatform(group.computePlatform);
  if (stated) return { platform: stated, source: "group" };
  const application = applicationOf(group, stack);
  if (application) {
    const stated = application.computePlatform;
    const platform = stated === undefined ? "Server" : asComputePlatform(stated);
    if (platform) return { platform, source: "application" };
    // The application's platform cannot be read: decide without it, and say so.
    const fallback = platformWithoutApplication(group);
    const path = `computePlatform of application "${application.resource.name}"`;
    if (isUnknown(stated)) return { ...fallback, undecidable: path };
    return {
      ...fallback,
      malformed: isMalformed(stated)
        ? { ...stated, path }
        : { kind: "malformed", path, expected: "Server, Lambda or ECS", found: "another string" },
    };
  }
  return platformWithoutApplication(group);
}

function platformWithoutApplication(group: DeploymentGroupModel): PlatformResolution {
  if (typeof group.deploymentConfigName === "string") {
    const builtIn = builtInDeploymentConfig(group.deploymentConfigName);
    if (builtIn) return { platform: builtIn.computePlatform, source: "deploymentConfig" };
  }
  return { platform: "Server", source: "default" };
}

function applicationOf(group: DeploymentGroupModel, stack: StackIndex): ApplicationModel | undefined {
  if (typeof group.applicationName === "string") {
    const byName = stack.applicationsByName.get(group.applicationName);
    if (byName) return byName;
  }
  return uniqueDependency(group.applicationDependencies, stack.applicationsByUrn);
}

function uniqueDependency<T>(urns: readonly string[], byUrn: ReadonlyMap<string, T>): T | undefined {
  const found = new Set<T>();
  for (const urn of urns) {
    const model = byUrn.get(urn);
    if (model) found.add(model);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** A deployment config as the rules see it, wherever it was defined. */
export interface ResolvedDeploymentConfig {
  readonly source: "built-in" | "default" | "stack" | "external";
  /** How messages name it: a built-in name, the config resource's logical name, or the declared name. */
  readonly label: string;
  readonly computePlatform?: ComputePlatform;
  readonly minimumHealthyHosts?: Field<MinimumHealthyHostsModel>;
  readonly trafficRoutingType?: Field<string>;
  /** The config resource when it is in the stack. */
  readonly resource?: DeploymentConfigModel;
}

export type EffectiveDeploymentConfig =
  | { readonly state: "resolved"; readonly config: ResolvedDeploymentConfig }
  | { readonly state: "unresolved"; readonly reason: string }
  | { readonly state: "undecidable"; readonly reason: string }
  | { readonly state: "malformed"; readonly malformed: Malformed };

function fromBuiltIn(config: BuiltInDeploymentConfig, source: "built-in" | "default"): ResolvedDeploymentConfig {
  return {
    source,
    label: config.name,
    computePlatform: config.computePlatform,
    minimumHealthyHosts: config.minimumHealthyHosts,
    trafficRoutingType: config.trafficRoutingType,
  };
}

function fromStack(config: DeploymentConfigModel): ResolvedDeploymentConfig {
  const trafficRouting = config.trafficRouting;
  return {
    source: "stack",
    label: `deployment config resource "${config.resource.name}"`,
    computePlatform: configPlatform(config),
    minimumHealthyHosts: config.minimumHealthyHosts,
    trafficRoutingType:
      trafficRouting === undefined || isUnknown(trafficRouting) || isMalformed(trafficRouting) ? trafficRouting : trafficRouting.type,
    resource: config,
  };
}

function fromExternal(config: ExternalDeploymentConfig): ResolvedDeploymentConfig {
  return {
    source: "external",
    label: `external deployment config "${config.name}" (declared in policy config)`,
    computePlatform: config.computePlatform,
    minimumHealthyHosts: config.minimumHealthyHosts,
    trafficRoutingType: config.trafficRoutingType,
  };
}

export function effectiveDeploymentConfig(
  group: DeploymentGroupModel,
  platform: ComputePlatform,
  stack: StackIndex,
  externals: readonly ExternalDeploymentConfig[],
): EffectiveDeploymentConfig {
  const name = group.deploymentConfigName;
  if (name === undefined || name === "") {
    return { state: "resolved", config: fromBuiltIn(defaultDeploymentConfig(platform), "default") };
  }
  if (isMalformed(name)) return { state: "malformed", malformed: name };
  if (isUnknown(name)) {
    // The usual preview case: `deploymentConfigName: config.id`. The engine still tells which
    // resource the value comes from.
    const config = uniqueDependency(group.deploymentConfigDependencies, stack.configsByUrn);
    if (config) return { state: "resolved", config: fromStack(config) };
    return {
      state: "undecidable",
      reason: "deploymentConfigName is unknown during preview and does not come from a deployment config in this stack",
    };
  }
  if (isBuiltInName(name)) {
    const builtIn = builtInDeploymentConfig(name);
    if (builtIn) return { state: "resolved", config: fromBuiltIn(builtIn, "built-in") };
    // A built-in newer than the catalog can still be checked once the user declares its settings.
    const declared = externals.find((candidate) => candidate.name === name);
    if (declared) return { state: "resolved", config: fromExternal(declared) };
    return {
      state: "unresolved",
      reason:
        "deploymentConfigName has the reserved CodeDeployDefault. prefix but is not a built-in config this pack knows, so its settings are unknown",
    };
  }
  const inStack = stack.configsByName.get(name);
  if (inStack) return { state: "resolved", config: fromStack(inStack) };
  const external = externals.find((candidate) => candidate.name === name);
  if (external) return { state: "resolved", config: fromExternal(external) };
  const viaDependency = uniqueDependency(group.deploymentConfigDependencies, stack.configsByUrn);
  if (viaDependency) return { state: "resolved", config: fromStack(viaDependency) };
  return {
    state: "unresolved",
    reason:
      "its custom deployment config is neither defined in this stack nor declared in externalDeploymentConfigs, so its settings could not be checked",
  };
}
