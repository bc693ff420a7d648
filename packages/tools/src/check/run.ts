// Evaluates resources through the policy pack exactly as the Pulumi engine does: start the pack,
// Configure, Remediate where a policy is set to remediate, Analyze each resource, AnalyzeStack the
// whole stack. Used by `check`, by the reference-stack tests and by the benchmarks.
import { isDeepStrictEqual } from "node:util";
import { PolicyConfigError, startPolicyPack, type Diagnostic, type EngineResource, type PolicyPackConfig, type WireValue } from "../engine";
import { SECRET_SIG, SPECIAL_SIG_KEY } from "../engine/types";
import { buildReport, type Report, type ReportRemediation, type ReportViolation } from "../report";
import { InputError } from "../shared/inputError";

export interface CheckResourcesOptions {
  /** Resources with their inputs, for Analyze (and Remediate). */
  readonly resources: readonly EngineResource[];
  /** The same resources with their outputs, for AnalyzeStack. */
  readonly stackResources: readonly EngineResource[];
  readonly policyConfig?: PolicyPackConfig;
  /** The policy pack's folder (the repository root, or an installed copy). */
  readonly packDir: string;
  readonly log?: (line: string) => void;
}

export interface CheckResult {
  readonly report: Report;
  /** Secret strings found in the input, for masking output. */
  readonly secretValues: string[];
  /** What each remediation changed (only where a policy is set to remediate), in the order applied. */
  readonly remediations: readonly ReportRemediation[];
}

function collectSecrets(value: WireValue, inSecret: boolean, into: Set<string>): void {
  if (typeof value === "string") {
    if (inSecret) into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectSecrets(item, inSecret, into);
  } else if (value !== null && typeof value === "object") {
    const secret = inSecret || value[SPECIAL_SIG_KEY] === SECRET_SIG;
    for (const item of Object.values(value)) collectSecrets(item, secret, into);
  }
}

export function secretStrings(resources: readonly EngineResource[]): string[] {
  const found = new Set<string>();
  for (const resource of resources) collectSecrets(resource.properties, false, found);
  found.delete(SECRET_SIG);
  return [...found];
}

function usesRemediation(config: PolicyPackConfig | undefined): boolean {
  return Object.values(config ?? {}).some(
    (entry) =>
      entry === "remediate" ||
      (typeof entry === "object" && (entry as Readonly<Record<string, unknown>>)["enforcementLevel"] === "remediate"),
  );
}

function toViolation(
  diagnostic: Diagnostic,
  fallback: EngineResource | undefined,
  byUrn: ReadonlyMap<string, EngineResource>,
): ReportViolation {
  const urn = diagnostic.urn || fallback?.urn || "";
  const resource = byUrn.get(urn) ?? fallback;
  // The SDK prefixes a violation with the policy's description; the report keeps only the finding.
  const prefix = `${diagnostic.description}\n`;
  const message =
    diagnostic.description && diagnostic.message.startsWith(prefix) ? diagnostic.message.slice(prefix.length) : diagnostic.message;
  return {
    policy: diagnostic.policyName,
    enforcementLevel: diagnostic.enforcementLevel === "advisory" ? "advisory" : "mandatory",
    severity: diagnostic.severity ?? "medium",
    urn,
    resourceType: resource?.type ?? "",
    resourceName: resource?.name ?? "",
    message,
  };
}

export async function checkResources(options: CheckResourcesOptions): Promise<CheckResult> {
  const log = options.log ?? (() => undefined);
  const byUrn = new Map(options.stackResources.map((resource) => [resource.urn, resource]));
  for (const resource of options.resources) if (!byUrn.has(resource.urn)) byUrn.set(resource.urn, resource);
  log(`starting the policy pack in ${options.packDir}`);
  let pack;
  try {
    pack = await startPolicyPack({ packDir: options.packDir, configure: options.policyConfig ?? {} });
  } catch (error) {
    if (error instanceof PolicyConfigError) throw new InputError(error.message);
    throw error;
  }
  try {
    const violations: ReportViolation[] = [];
    const remediations: ReportRemediation[] = [];
    const remediate = usesRemediation(options.policyConfig);
    log(`analyzing ${options.resources.length} resource(s)`);
    for (const resource of options.resources) {
      let analyzed = resource;
      if (remediate) {
        const result = await pack.remediate(resource);
        for (const remediation of result.remediations) {
          if (!remediation.properties) continue;
          const changed = Object.keys(remediation.properties).filter(
            // The engine returns objects with their keys sorted (a protobuf Struct), so compare by value.
            (key) => !isDeepStrictEqual(remediation.properties?.[key], analyzed.properties[key]),
          );
          if (changed.length > 0) {
            remediations.push({ policy: remediation.policyName, urn: resource.urn, resourceName: resource.name, properties: changed });
          }
          analyzed = { ...analyzed, properties: remediation.properties };
        }
      }
      const { diagnostics } = await pack.analyze(analyzed);
      for (const diagnostic of diagnostics) violations.push(toViolation(diagnostic, resource, byUrn));
    }
    log(`analyzing the stack (${options.stackResources.length} resource(s))`);
    const { diagnostics } = await pack.analyzeStack(options.stackResources);
    for (const diagnostic of diagnostics) violations.push(toViolation(diagnostic, undefined, byUrn));
    return {
      report: buildReport(violations, options.resources.length),
      secretValues: secretStrings([...options.resources, ...options.stackResources]),
      remediations,
    };
  } finally {
    await pack.close();
  }
}
