// Realistic AWS classic / AWS Native CodeDeploy resources and a one-call path through the pack:
// adapters -> models -> evaluateStack, the way `audit` and the stack policies see a stack.
import { toModel, type ProviderRef, type PulumiResource } from "../../policy-pack/adapters";
import { AWS_CLASSIC_TYPES } from "../../policy-pack/adapters/awsClassic";
import { AWS_NATIVE_TYPES } from "../../policy-pack/adapters/awsNative";
import type { CodeDeployModel } from "../../policy-pack/core/model";
import { evaluateStack, type EvaluatedFinding, type PolicyPackConfigFile } from "../../policy-pack/evaluate";
import type { PolicyName } from "../../policy-pack/rules";
import { classicGroupInputs, COMPLIANT_GROUPS, nativeGroupProps } from "../support/fixtures";

export const NOW = new Date("2026-06-15T12:00:00Z");
export const SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Policy = PolicyName;

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:prod::ml-platform::${type}::${name}`;
}

type Props = Record<string, unknown>;
type Deps = Record<string, string[]>;

function resource(type: string, name: string, props: Props, propertyDependencies?: Deps): PulumiResource {
  return { type, urn: urnOf(type, name), name, props, ...(propertyDependencies ? { propertyDependencies } : {}) };
}

export const classic = {
  group: (name: string, props: Props, deps?: Deps) => resource(AWS_CLASSIC_TYPES.deploymentGroup, name, props, deps),
  config: (name: string, props: Props) => resource(AWS_CLASSIC_TYPES.deploymentConfig, name, props),
  app: (name: string, props: Props) => resource(AWS_CLASSIC_TYPES.application, name, props),
};

/** An AWS provider resource as the engine sends it with each resource: its URN and inputs. */
export function awsProvider(name: string, region?: string): ProviderRef {
  return { urn: urnOf("pulumi:providers:aws", name), props: region === undefined ? {} : { region } };
}

/** The resource as managed by `provider`. */
export function under(provider: ProviderRef, target: PulumiResource): PulumiResource {
  return { ...target, provider };
}
export const native = {
  group: (name: string, props: Props, deps?: Deps) => resource(AWS_NATIVE_TYPES.deploymentGroup, name, props, deps),
  config: (name: string, props: Props) => resource(AWS_NATIVE_TYPES.deploymentConfig, name, props),
  app: (name: string, props: Props) => resource(AWS_NATIVE_TYPES.application, name, props),
};

// The compliant groups are the shared fixtures (tests/support/fixtures) in the classic or Native
// shape; `overrides` replaces top-level fields (undefined leaves the key absent-valued, as before).

/** A compliant EC2 in-place group as `@pulumi/aws` 7 sends it (after Check). */
export function serverGroupProps(overrides: Props = {}): Props {
  return { ...classicGroupInputs(COMPLIANT_GROUPS.Server), ...overrides };
}

/** A compliant Lambda group (platform from its application). */
export function lambdaGroupProps(overrides: Props = {}): Props {
  return { ...classicGroupInputs(COMPLIANT_GROUPS.Lambda), ...overrides };
}

/** A compliant ECS blue/green group. */
export function ecsGroupProps(overrides: Props = {}): Props {
  return { ...classicGroupInputs(COMPLIANT_GROUPS.ECS), ...overrides };
}

/** A compliant AWS Native (CloudFormation shape) Server group. */
export function nativeServerGroupProps(overrides: Props = {}): Props {
  return { ...nativeGroupProps(COMPLIANT_GROUPS.Server), ...overrides };
}

export function models(resources: readonly PulumiResource[]): CodeDeployModel[] {
  return resources.map((r) => toModel(r)).filter((m): m is CodeDeployModel => m !== undefined);
}

export function evaluate(resources: readonly PulumiResource[], config: PolicyPackConfigFile = {}, now: Date = NOW): EvaluatedFinding[] {
  return evaluateStack(models(resources), config, now);
}

export function findingFor(findings: readonly EvaluatedFinding[], policy: Policy, resource: PulumiResource): EvaluatedFinding | undefined {
  const matching = findings.filter((f) => f.policy === policy && f.resource.urn === resource.urn);
  if (matching.length > 1) throw new Error(`${policy} reported ${resource.name} ${matching.length} times`);
  return matching[0];
}

/** "pass" | "advisory" | "mandatory" for one policy and one resource. */
export function verdict(
  findings: readonly EvaluatedFinding[],
  policy: Policy,
  resource: PulumiResource,
): "pass" | "advisory" | "mandatory" {
  return findingFor(findings, policy, resource)?.enforcementLevel ?? "pass";
}

/** Evaluates and returns the one policy's verdict and finding for a resource. */
export function check(policy: Policy, target: PulumiResource, others: readonly PulumiResource[] = [], config: PolicyPackConfigFile = {}) {
  const findings = evaluate([target, ...others], config);
  const finding = findingFor(findings, policy, target);
  return { verdict: finding?.enforcementLevel ?? ("pass" as const), finding, message: finding?.message ?? "" };
}

/** A value that looks like a secret; no message may ever contain it. */
export const SECRET_LOOKING = "AKIAIOSFODNN7EXAMPLE-wJalrXUtnFEMI";

/** An object whose listed keys throw on access, as the policy SDK's unknown-value proxy does. */
export function withThrowingKeys<T extends Props>(props: T, keys: readonly string[]): T {
  const copy: Props = { ...props };
  for (const key of keys) {
    Object.defineProperty(copy, key, {
      enumerable: true,
      configurable: true,
      get() {
        throw new Error(`${key} is unknown during preview`);
      },
    });
  }
  return copy as T;
}
