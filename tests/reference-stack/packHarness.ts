// Shared by the reference-stack tests that go through the policy pack over gRPC: the policy names,
// the reference stack's type tokens, wire-level mutation helpers, and `analyzeWithPack`, which does
// what tools/check/run.ts `checkResources` does (Analyze each resource, AnalyzeStack the whole
// stack) on a pack that is already running, so property tests can reuse one pack for many runs.
import * as path from "node:path";
import type { Diagnostic, EngineResource, PolicyPackClient, WireProperties, WireValue } from "../../packages/tools/src/engine";
import type { Recording } from "../../packages/tools/src/mocks";

export const REFERENCE_STACK_DIR = path.resolve(__dirname, "../../reference-stack");
export const FAULTY_EXAMPLE_DIR = path.resolve(__dirname, "../../examples/faulty-auto-rollback");

export const T = {
  group: "aws:codedeploy/deploymentGroup:DeploymentGroup",
  config: "aws:codedeploy/deploymentConfig:DeploymentConfig",
  application: "aws:codedeploy/application:Application",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
} as const;

/** The policy names, as the gRPC tests name them. */
export { POLICIES as P } from "../engine/helpers";

export function byName(resources: readonly EngineResource[], type: string, name: string): EngineResource {
  const found = resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found;
}

/** The recording's resources with their outputs (as AnalyzeStack sees them), keyed by URN. */
export function outputsOf(recording: Recording): Map<string, WireProperties> {
  return new Map(recording.resources.map((r) => [r.urn, recording.outputs[r.urn]?.state ?? {}]));
}

/** What one diagnostic says, reduced to what the tests compare. */
export interface Finding {
  readonly policy: string;
  readonly urn: string;
  readonly enforcementLevel: string;
  readonly message: string;
}

function toFinding(diagnostic: Diagnostic, fallbackUrn: string | undefined): Finding {
  return {
    policy: diagnostic.policyName,
    urn: diagnostic.urn || fallbackUrn || "",
    enforcementLevel: diagnostic.enforcementLevel,
    message: diagnostic.message,
  };
}

/** Analyze each resource (inputs), then AnalyzeStack the whole stack (outputs), on a running pack. */
export async function analyzeWithPack(
  pack: PolicyPackClient,
  resources: readonly EngineResource[],
  stackResources: readonly EngineResource[],
): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const resource of resources) {
    const { diagnostics } = await pack.analyze(resource);
    for (const diagnostic of diagnostics) findings.push(toFinding(diagnostic, resource.urn));
  }
  const { diagnostics } = await pack.analyzeStack(stackResources);
  for (const diagnostic of diagnostics) findings.push(toFinding(diagnostic, undefined));
  return findings;
}

/** `level policy @ resource label`, sorted: the multiset the mutation tests compare. */
export function keysOf(findings: readonly Finding[], names: ReadonlyMap<string, string>): string[] {
  return findings.map((f) => `${f.enforcementLevel} ${f.policy} @ ${names.get(f.urn) ?? f.urn}`).sort();
}

/** Sets (or with `undefined`, deletes) a dotted path in a deep copy of wire properties. */
export function setPath(props: WireProperties, dotted: string, value: WireValue | undefined): WireProperties {
  const copy = structuredClone(props) as Record<string, WireValue>;
  const keys = dotted.split(".");
  let target = copy;
  for (const key of keys.slice(0, -1)) {
    const next = target[key];
    if (next === null || typeof next !== "object" || Array.isArray(next)) target[key] = {};
    target = target[key] as Record<string, WireValue>;
  }
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

/**
 * A literal now stands where a reference to another resource was: the engine then sends no
 * property dependency for that property (and no dependency, unless another property still has it).
 */
export function dropPropertyDependency(resource: EngineResource, property: string): EngineResource {
  const propertyDependencies = { ...(resource.propertyDependencies ?? {}) };
  const dropped = propertyDependencies[property] ?? [];
  delete propertyDependencies[property];
  const stillUsed = new Set(Object.values(propertyDependencies).flat());
  const dependencies = (resource.dependencies ?? []).filter((urn) => !dropped.includes(urn) || stillUsed.has(urn));
  return { ...resource, propertyDependencies, dependencies };
}
