// Requests and responses of the analyzer protocol, built and read the way the Pulumi engine does
// (`sdk/go/common/resource/plugin/analyzer_plugin.go`): properties travel as a google.protobuf.Struct
// holding the wire JSON (unknowns as the sentinel string, secrets as signature objects, both kept),
// every resource carries an AnalyzerResourceOptions (the SDK throws without one), and the Go zero
// values the engine always sends (custom timeouts of 0, empty lists) are set explicitly.
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { EngineProvider, EngineResource, EngineResourceOptions, WireProperties, WireValue } from "./types";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export type Severity = "low" | "medium" | "high" | "critical";
export type PolicyType = "resource" | "stack";

export interface PolicyFramework {
  readonly name: string;
  readonly version: string;
  readonly reference: string;
  readonly specification: string;
}

export interface PolicyConfigSchema {
  readonly properties: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly required: readonly string[];
}

export interface PolicyInfo {
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly policyType: PolicyType | undefined;
  readonly severity: Severity | undefined;
  readonly framework: PolicyFramework | undefined;
  readonly url: string;
  readonly remediationSteps: string;
  readonly tags: readonly string[];
  readonly configSchema: PolicyConfigSchema | undefined;
}

export interface PolicyConfigEntry {
  readonly enforcementLevel: EnforcementLevel;
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface AnalyzerInfo {
  readonly name: string;
  readonly displayName: string;
  readonly version: string;
  readonly description: string;
  readonly provider: string;
  readonly tags: readonly string[];
  readonly supportsConfig: boolean;
  readonly policies: readonly PolicyInfo[];
  readonly initialConfig: Readonly<Record<string, PolicyConfigEntry>>;
}

export interface Diagnostic {
  readonly policyName: string;
  readonly policyPackName: string;
  readonly policyPackVersion: string;
  readonly description: string;
  readonly message: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly severity: Severity | undefined;
  /** Empty when the diagnostic is about the resource analyzed (Analyze); stack policies name one. */
  readonly urn: string;
}

export interface NotApplicable {
  readonly policyName: string;
  readonly reason: string;
}

export interface AnalyzeResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly notApplicable: readonly NotApplicable[];
}

export interface Remediation {
  readonly policyName: string;
  readonly policyPackName: string;
  readonly policyPackVersion: string;
  readonly description: string;
  /** The whole new property bag, in wire encoding: secrets stay signature objects, unknowns sentinels. */
  readonly properties: WireProperties | undefined;
  readonly diagnostic: string;
}

export interface RemediateResult {
  readonly remediations: readonly Remediation[];
  readonly notApplicable: readonly NotApplicable[];
}

const LEVEL_TO_WIRE: Readonly<Record<EnforcementLevel, analyzerpb.EnforcementLevel>> = {
  advisory: analyzerpb.EnforcementLevel.ADVISORY,
  mandatory: analyzerpb.EnforcementLevel.MANDATORY,
  remediate: analyzerpb.EnforcementLevel.REMEDIATE,
  disabled: analyzerpb.EnforcementLevel.DISABLED,
};

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export function encodeEnforcementLevel(level: EnforcementLevel): analyzerpb.EnforcementLevel {
  return LEVEL_TO_WIRE[level];
}

/** Like the engine's `convertEnforcementLevel`: an unknown number is a protocol error, not a default. */
export function decodeEnforcementLevel(level: analyzerpb.EnforcementLevel): EnforcementLevel {
  const found = ENFORCEMENT_LEVELS.find((name) => LEVEL_TO_WIRE[name] === level);
  if (!found) throw new Error(`the policy pack sent enforcement level ${level}, which the analyzer protocol does not define`);
  return found;
}

function decodeSeverity(severity: analyzerpb.PolicySeverity): Severity | undefined {
  switch (severity) {
    case analyzerpb.PolicySeverity.POLICY_SEVERITY_LOW:
      return "low";
    case analyzerpb.PolicySeverity.POLICY_SEVERITY_MEDIUM:
      return "medium";
    case analyzerpb.PolicySeverity.POLICY_SEVERITY_HIGH:
      return "high";
    case analyzerpb.PolicySeverity.POLICY_SEVERITY_CRITICAL:
      return "critical";
    default:
      return undefined;
  }
}

function decodePolicyType(type: analyzerpb.PolicyType): PolicyType | undefined {
  if (type === analyzerpb.PolicyType.POLICY_TYPE_RESOURCE) return "resource";
  if (type === analyzerpb.PolicyType.POLICY_TYPE_STACK) return "stack";
  return undefined;
}

// ---- properties ------------------------------------------------------------------------------

/** The engine marshals properties with KeepUnknowns and KeepSecrets: the wire JSON goes in as is. */
export function encodeProperties(properties: WireProperties): Struct {
  return Struct.fromJavaScript(properties);
}

/** A Struct back to wire JSON. `toJavaScript` yields exactly the JSON value kinds WireValue names. */
export function decodeProperties(struct: Struct | undefined): WireProperties {
  return struct ? struct.toJavaScript() : {};
}

// ---- resources -------------------------------------------------------------------------------

/** `marshalResourceOptions`: every field set, zero values included, custom timeouts always present. */
function encodeOptions(options: EngineResourceOptions | undefined, parent: string | undefined): analyzerpb.AnalyzerResourceOptions {
  const result = new analyzerpb.AnalyzerResourceOptions();
  result.setProtect(options?.protect ?? false);
  result.setIgnorechangesList([...(options?.ignoreChanges ?? [])]);
  result.setDeletebeforereplace(options?.deleteBeforeReplace ?? false);
  result.setDeletebeforereplacedefined(options?.deleteBeforeReplace !== undefined);
  result.setAdditionalsecretoutputsList([...(options?.additionalSecretOutputs ?? [])]);
  result.setAliasesList([...(options?.aliases ?? [])]);
  const timeouts = new analyzerpb.AnalyzerResourceOptions.CustomTimeouts();
  timeouts.setCreate(0);
  timeouts.setUpdate(0);
  timeouts.setDelete(0);
  result.setCustomtimeouts(timeouts);
  // The engine fills the option's parent from the resource's parent; keep an explicit option first.
  result.setParent(options?.parent ?? parent ?? "");
  return result;
}

function encodeProvider(provider: EngineProvider | undefined): analyzerpb.AnalyzerProviderResource | undefined {
  if (!provider) return undefined;
  const result = new analyzerpb.AnalyzerProviderResource();
  result.setUrn(provider.urn);
  result.setType(provider.type);
  result.setName(provider.name);
  result.setProperties(encodeProperties(provider.properties));
  return result;
}

/** What an AnalyzeRequest and an AnalyzeStack resource carry alike, set the same way in both. */
interface ResourceMessage {
  setUrn(value: string): unknown;
  setType(value: string): unknown;
  setName(value: string): unknown;
  setProperties(value?: Struct): unknown;
  setOptions(value?: analyzerpb.AnalyzerResourceOptions): unknown;
  setProvider(value?: analyzerpb.AnalyzerProviderResource): unknown;
}

function setResourceFields<M extends ResourceMessage>(message: M, resource: EngineResource): M {
  message.setUrn(resource.urn);
  message.setType(resource.type);
  message.setName(resource.name);
  message.setProperties(encodeProperties(resource.properties));
  message.setOptions(encodeOptions(resource.options, resource.parent));
  const provider = encodeProvider(resource.provider);
  if (provider) message.setProvider(provider);
  return message;
}

/** An AnalyzeRequest, used for Analyze (inputs) and Remediate alike, as the engine does. */
export function encodeAnalyzeRequest(resource: EngineResource): analyzerpb.AnalyzeRequest {
  return setResourceFields(new analyzerpb.AnalyzeRequest(), resource);
}

/** One resource of AnalyzeStack: parent, dependencies and non-empty property dependencies too. */
export function encodeStackResource(resource: EngineResource): analyzerpb.AnalyzerResource {
  const result = setResourceFields(new analyzerpb.AnalyzerResource(), resource);
  result.setParent(resource.parent ?? resource.options?.parent ?? "");
  result.setDependenciesList([...(resource.dependencies ?? [])]);
  const map = result.getPropertydependenciesMap();
  for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) {
    // The engine skips properties without dependencies.
    if (urns.length === 0) continue;
    const dependencies = new analyzerpb.AnalyzerPropertyDependencies();
    dependencies.setUrnsList([...urns]);
    map.set(property, dependencies);
  }
  return result;
}

export function encodeAnalyzeStackRequest(resources: readonly EngineResource[]): analyzerpb.AnalyzeStackRequest {
  const request = new analyzerpb.AnalyzeStackRequest();
  request.setResourcesList(resources.map(encodeStackResource));
  return request;
}

export function encodeConfigureRequest(config: Readonly<Record<string, PolicyConfigEntry>>): analyzerpb.ConfigureAnalyzerRequest {
  const request = new analyzerpb.ConfigureAnalyzerRequest();
  const map = request.getPolicyconfigMap();
  for (const [policy, entry] of Object.entries(config)) {
    const policyConfig = new analyzerpb.PolicyConfig();
    policyConfig.setEnforcementlevel(encodeEnforcementLevel(entry.enforcementLevel));
    // The engine's `marshalMap` always sends a Struct, empty when there are no properties; the
    // SDK's Configure calls `getProperties().toJavaScript()` and would throw on a missing one.
    policyConfig.setProperties(Struct.fromJavaScript(entry.properties as Record<string, WireValue>));
    map.set(policy, policyConfig);
  }
  return request;
}

// ---- responses -------------------------------------------------------------------------------

function decodeNotApplicable(list: readonly analyzerpb.PolicyNotApplicable[]): NotApplicable[] {
  return list.map((item) => ({ policyName: item.getPolicyName(), reason: item.getReason() }));
}

export function decodeAnalyzeResponse(response: analyzerpb.AnalyzeResponse, packVersion: string | undefined): AnalyzeResult {
  return {
    diagnostics: response.getDiagnosticsList().map((diagnostic) => ({
      policyName: diagnostic.getPolicyname(),
      policyPackName: diagnostic.getPolicypackname(),
      // The engine reports the version from PulumiPolicy.yaml, when set, over the pack's own.
      policyPackVersion: packVersion || diagnostic.getPolicypackversion(),
      description: diagnostic.getDescription(),
      message: diagnostic.getMessage(),
      enforcementLevel: decodeEnforcementLevel(diagnostic.getEnforcementlevel()),
      severity: decodeSeverity(diagnostic.getSeverity()),
      urn: diagnostic.getUrn(),
    })),
    notApplicable: decodeNotApplicable(response.getNotApplicableList()),
  };
}

export function decodeRemediateResponse(response: analyzerpb.RemediateResponse, packVersion: string | undefined): RemediateResult {
  return {
    remediations: response.getRemediationsList().map((remediation) => ({
      policyName: remediation.getPolicyname(),
      policyPackName: remediation.getPolicypackname(),
      policyPackVersion: packVersion || remediation.getPolicypackversion(),
      description: remediation.getDescription(),
      properties: remediation.hasProperties() ? decodeProperties(remediation.getProperties()) : undefined,
      diagnostic: remediation.getDiagnostic(),
    })),
    notApplicable: decodeNotApplicable(response.getNotApplicableList()),
  };
}

function decodeConfigSchema(schema: analyzerpb.PolicyConfigSchema | undefined): PolicyConfigSchema | undefined {
  if (!schema) return undefined;
  return {
    properties: decodeProperties(schema.getProperties()) as Record<string, Record<string, unknown>>,
    required: schema.getRequiredList(),
  };
}

function decodeFramework(framework: analyzerpb.PolicyComplianceFramework | undefined): PolicyFramework | undefined {
  if (!framework) return undefined;
  return {
    name: framework.getName(),
    version: framework.getVersion(),
    reference: framework.getReference(),
    specification: framework.getSpecification(),
  };
}

export function decodeAnalyzerInfo(info: analyzerpb.AnalyzerInfo, packVersion: string | undefined): AnalyzerInfo {
  const initialConfig: Record<string, PolicyConfigEntry> = {};
  info.getInitialconfigMap().forEach((entry, policy) => {
    initialConfig[policy] = {
      enforcementLevel: decodeEnforcementLevel(entry.getEnforcementlevel()),
      properties: decodeProperties(entry.getProperties()),
    };
  });
  return {
    name: info.getName(),
    displayName: info.getDisplayname(),
    version: packVersion || info.getVersion(),
    description: info.getDescription(),
    provider: info.getProvider(),
    tags: info.getTagsList(),
    supportsConfig: info.getSupportsconfig(),
    policies: info.getPoliciesList().map((policy) => ({
      name: policy.getName(),
      displayName: policy.getDisplayname(),
      description: policy.getDescription(),
      enforcementLevel: decodeEnforcementLevel(policy.getEnforcementlevel()),
      policyType: decodePolicyType(policy.getPolicyType()),
      severity: decodeSeverity(policy.getSeverity()),
      framework: decodeFramework(policy.getFramework()),
      url: policy.getUrl(),
      remediationSteps: policy.getRemediationSteps(),
      tags: policy.getTagsList(),
      configSchema: decodeConfigSchema(policy.getConfigschema()),
    })),
    initialConfig,
  };
}
