// What a real `pulumi preview` or `pulumi up` sends a policy pack, built from a program's recorded
// resources (their inputs, as the program registered them). The facts, with their sources, are in
// ../../../shared/engine-facts.md; the provider-specific part is in ./classicProvider.ts.
//
//   const { analyze, analyzeStack } = realEnginePayloads(recording.resources, { mode: "preview", shuffleSeed: 7 });
//   for (const resource of analyze) await pack.analyze(resource);
//   await pack.analyzeStack(analyzeStack);
//
// - Analyze gets each resource's inputs after the provider's Check (classic defaults filled in,
//   unknowns typed, nested `__defaults`), secrets marked again as the engine marks them after Check
//   (a list with any secret inside becomes one secret list). When a provider's own configuration is
//   unknown during a preview, its resources' Check returns the raw program inputs.
// - AnalyzeStack gets outputs: the planned state in a preview (computed fields unknown), the state
//   after an update (computed fields known), `{}` for every resource of a provider whose
//   configuration is unknown during a preview, in an order the engine does not fix (a seeded shuffle).
import {
  CLASSIC_TYPES,
  classicSchema,
  checkClassicInputs,
  classicOutputs,
  genericClassicOutputs,
  type OutputContext,
} from "./classicProvider";
import {
  isSecretValue,
  isUnknownSentinel,
  secret,
  secretPlaintext,
  TYPED_UNKNOWN_SENTINELS,
  type EngineProvider,
  type EngineResource,
  type WireProperties,
  type WireValue,
} from "./types";

export type EngineMode = "preview" | "update";

export interface RealEngineOptions {
  readonly mode: EngineMode;
  /** Seed of AnalyzeStack's resource order. Absent: the order given (the engine promises none). */
  readonly shuffleSeed?: number;
  /**
   * Providers whose configuration is unknown during the preview, by URN. Default: every provider
   * whose inputs hold an unknown value (a role ARN created in the same stack). Ignored in an update.
   */
  readonly unknownProviderConfiguration?: readonly string[];
  /**
   * What a recording holds beside the inputs (`Recording.outputs`): the registered outputs of
   * components and of the stack, which are no provider's to compute.
   */
  readonly recordedOutputs?: Readonly<Record<string, { readonly state: WireProperties }>>;
  /**
   * Update only: the compute platform of applications outside the stack, by name, for the
   * `computePlatform` AWS reports on their groups. A group whose application is neither in the
   * stack nor listed here gets no `computePlatform` rather than an invented one.
   */
  readonly externalApplicationPlatforms?: Readonly<Record<string, string>>;
}

export interface RealEnginePayloads {
  /** One Analyze request per resource, in registration order (the engine's step order). */
  readonly analyze: EngineResource[];
  /** The AnalyzeStack request's resources. */
  readonly analyzeStack: EngineResource[];
}

// ---- secrets -------------------------------------------------------------------------------------

/** True when `value` holds a secret anywhere. */
export function containsSecret(value: WireValue | undefined): boolean {
  if (value === undefined || value === null || typeof value !== "object") return false;
  if (isSecretValue(value)) return true;
  return Array.isArray(value) ? value.some(containsSecret) : Object.values(value).some(containsSecret);
}

/** The value with every secret replaced by its plaintext: what the engine sends a provider that takes no secrets. */
export function stripSecrets(value: WireValue): WireValue {
  if (value === null || typeof value !== "object") return value;
  if (isSecretValue(value)) return stripSecrets(secretPlaintext(value));
  if (Array.isArray(value)) return value.map(stripSecrets);
  // fromEntries defines each key, so a key named `__proto__` stays a key.
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, stripSecrets(item)]));
}

/**
 * The engine's `annotateSecrets(outputs, inputs)`: where the input was secret the output is made
 * secret; objects are walked key by key; any other value holding a secret (a list with a secret
 * element, however deep) comes back as one secret value.
 */
export function annotateSecrets(output: WireValue, input: WireValue | undefined): WireValue {
  if (!containsSecret(input)) return output;
  if (isSecretValue(input)) return isSecretValue(output) ? output : secret(output);
  const plainInput = input as WireValue;
  if (
    typeof output === "object" &&
    output !== null &&
    !Array.isArray(output) &&
    typeof plainInput === "object" &&
    plainInput !== null &&
    !Array.isArray(plainInput)
  ) {
    const inputs = new Map(Object.entries(plainInput));
    return Object.fromEntries(Object.entries(output).map(([key, item]) => [key, annotateSecrets(item, inputs.get(key))]));
  }
  return isSecretValue(output) ? output : secret(output);
}

function annotateProperties(output: WireProperties, input: WireProperties): WireProperties {
  return annotateSecrets(output, input) as WireProperties;
}

// ---- order ---------------------------------------------------------------------------------------

/** A Fisher-Yates shuffle driven by mulberry32: the same seed always gives the same order. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const result = [...items];
  for (let index = result.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [result[index], result[other]] = [result[other]!, result[index]!];
  }
  return result;
}

// ---- the resources' world ------------------------------------------------------------------------

/**
 * True when the provider's inputs hold an unknown value anywhere: it cannot be configured during a
 * preview. Nested provider settings travel JSON-encoded, so a sentinel inside a string counts too.
 */
export function providerConfigurationUnknown(provider: EngineProvider | undefined): boolean {
  const holdsUnknown = (value: WireValue): boolean =>
    typeof value === "string"
      ? Object.values(TYPED_UNKNOWN_SENTINELS).some((sentinel) => value.includes(sentinel))
      : typeof value === "object" && value !== null && (Array.isArray(value) ? value : Object.values(value)).some(holdsUnknown);
  return provider !== undefined && holdsUnknown(provider.properties);
}

function knownString(value: WireValue | undefined): string | undefined {
  const plain = value === undefined ? undefined : stripSecrets(value);
  return typeof plain === "string" && !isUnknownSentinel(plain) ? plain : undefined;
}

/** The region a resource lives in: its own `region`, else its provider's, when known. */
export function resourceRegion(resource: EngineResource): string | undefined {
  return knownString(resource.properties["region"]) ?? knownString(resource.provider?.properties["region"]);
}

/** A component, the stack or a provider: nothing a provider's Check or Create shapes. */
function isCustomResource(resource: EngineResource): boolean {
  if (resource.type === "pulumi:pulumi:Stack" || resource.type.startsWith("pulumi:providers:")) return false;
  return resource.provider !== undefined || /^aws(-native)?:/.test(resource.type);
}

const APPLICATION_TYPES = new Set<string>([CLASSIC_TYPES.application, "aws-native:codedeploy:Application"]);

/**
 * Update: the compute platform AWS reports on a group, which is its application's: the one its
 * `appName` came from (property dependencies), else the one application of that name in the same
 * provider and region, else one declared outside the stack.
 */
function groupPlatform(
  group: EngineResource,
  resources: readonly EngineResource[],
  checked: ReadonlyMap<string, WireProperties>,
  external: Readonly<Record<string, string>>,
): string | undefined {
  // Absent is CodeDeploy's default; a value this world cannot read gives no platform at all.
  const platformOf = (application: EngineResource) => {
    const platform = (checked.get(application.urn) ?? application.properties)["computePlatform"];
    return platform === undefined || platform === null ? "Server" : knownString(platform);
  };
  const fromDependencies = (group.propertyDependencies?.["appName"] ?? [])
    .map((urn) => resources.find((item) => item.urn === urn))
    .filter((item): item is EngineResource => item !== undefined && APPLICATION_TYPES.has(item.type));
  if (fromDependencies.length === 1) return platformOf(fromDependencies[0]!);
  const name = knownString(group.properties["appName"]);
  if (name === undefined) return undefined;
  const region = resourceRegion(group);
  const candidates = resources.filter(
    (item) =>
      item.type === CLASSIC_TYPES.application &&
      knownString(item.properties["name"]) === name &&
      item.provider?.urn === group.provider?.urn &&
      resourceRegion(item) === region,
  );
  if (candidates.length === 1) return platformOf(candidates[0]!);
  return external[name];
}

/** A resource's inputs after its provider's Check, secrets marked again as the engine marks them. */
export function checkedInputs(resource: EngineResource, options: { readonly providerConfigurationUnknown?: boolean } = {}): WireProperties {
  // An unconfigured provider's Check hands back the program's inputs untouched; only the classic
  // provider is modelled (other providers' inputs go through as given).
  if (options.providerConfigurationUnknown || !resource.type.startsWith("aws:")) return resource.properties;
  const checked = checkClassicInputs(resource.type, stripSecrets(resource.properties) as WireProperties);
  return annotateProperties(checked, resource.properties);
}

/**
 * What a real preview or update sends for `resources` (a program's registered resources with their
 * inputs, as `tools/mocks` records them): the Analyze requests and AnalyzeStack's resources.
 */
export function realEnginePayloads(resources: readonly EngineResource[], options: RealEngineOptions): RealEnginePayloads {
  const unknownProviders = new Set(
    options.mode === "preview"
      ? (options.unknownProviderConfiguration ??
          resources.flatMap((item) => (item.provider && providerConfigurationUnknown(item.provider) ? [item.provider.urn] : [])))
      : [],
  );
  const unconfigured = (resource: EngineResource) => resource.provider !== undefined && unknownProviders.has(resource.provider.urn);

  const checked = new Map<string, WireProperties>();
  const analyze = resources.map((resource) => {
    const properties = checkedInputs(resource, { providerConfigurationUnknown: unconfigured(resource) });
    checked.set(resource.urn, properties);
    return { ...resource, properties };
  });

  const stack = resources.map((resource): EngineResource => {
    const inputs = checked.get(resource.urn)!;
    if (!isCustomResource(resource)) {
      const recorded = options.recordedOutputs?.[resource.urn]?.state;
      return recorded !== undefined && !resource.type.startsWith("pulumi:providers:")
        ? { ...resource, properties: recorded }
        : { ...resource, properties: inputs };
    }
    // Create during a preview with an unconfigured provider returns nothing.
    if (unconfigured(resource)) return { ...resource, properties: {} };
    const context: OutputContext = {
      urn: resource.urn,
      mode: options.mode,
      region: resourceRegion(resource),
      groupPlatform:
        options.mode === "update" && resource.type === CLASSIC_TYPES.group
          ? groupPlatform(resource, resources, checked, options.externalApplicationPlatforms ?? {})
          : undefined,
    };
    const plain = stripSecrets(inputs) as WireProperties;
    const outputs = classicSchema(resource.type)
      ? classicOutputs(resource.type, plain, context)
      : resource.type.startsWith("aws:")
        ? genericClassicOutputs(resource.type, plain, context)
        : plain;
    return { ...resource, properties: annotateProperties(outputs, inputs) };
  });

  return { analyze, analyzeStack: options.shuffleSeed === undefined ? stack : seededShuffle(stack, options.shuffleSeed) };
}
