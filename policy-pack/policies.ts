// Wires the rule core to `@pulumi/policy`. This module has no side effects: it builds the policy
// list, and only ./index.ts serves it. Type tokens, not `@pulumi/aws`, select resources, so the pack
// starts without loading a provider SDK.
import {
  type Policies,
  type PolicyResource,
  type ReportViolation,
  type ResourceValidationPolicy,
  type StackValidationArgs,
  type StackValidationPolicy,
} from "@pulumi/policy";
import { DEPLOYMENT_GROUP_TYPES, isHandledType, toGroupModel, toModel, type PulumiResource } from "./adapters";
import { isAdvisoryReason, type Finding } from "./core/findings";
import type { CodeDeployModel } from "./core/model";
import { EMPTY_STACK, indexStack, resolvePlatform } from "./core/resolve";
import { remediateGroupProps } from "./remediate";
import { POLICY_RUNNERS, type ConfiguredRule, type PolicyMetadata, type PolicyRunner } from "./rules";

/**
 * The SDK's violation callback also takes a diagnostic object (see `makeReportViolationFun` in
 * `@pulumi/policy/server.js`); the pack uses it only to report a finding as advisory under a
 * mandatory policy, as the protocol allows per diagnostic.
 */
type DiagnosticReport = (diagnostic: { message: string; urn?: string; enforcementLevel: "advisory" | "mandatory" }) => void;

/**
 * Undecidable and unresolved findings are advisory; a refused policy config is mandatory even for
 * an advisory policy, since nothing that policy should check has been checked.
 */
function report(reportViolation: ReportViolation, finding: Finding, urn: string | undefined): void {
  const send = reportViolation as unknown as DiagnosticReport;
  if (isAdvisoryReason(finding.reason)) send({ message: finding.message, urn, enforcementLevel: "advisory" });
  else if (finding.reason === "config") send({ message: finding.message, urn, enforcementLevel: "mandatory" });
  else reportViolation(finding.message, urn);
}

/** The error's own text may quote resource values (a secret among them), so only its kind is named. */
function internalError(metadata: PolicyMetadata, resourceName: string, error: unknown): string {
  const kind = error instanceof Error ? error.name : typeof error;
  return `${metadata.name} could not check "${resourceName}" (internal ${kind}), so it is not reported compliant; please report this to the codedeploy-guardrails maintainers.`;
}

function configured(runner: PolicyRunner, getConfig: () => object): ConfiguredRule {
  return runner.configure(getConfig(), new Date());
}

function resourcePolicy(runner: PolicyRunner): ResourceValidationPolicy {
  const { metadata } = runner;
  const policy: ResourceValidationPolicy = {
    ...policyInfo(metadata),
    validateResource: (args, reportViolation) => {
      if (!DEPLOYMENT_GROUP_TYPES.includes(args.type)) return;
      try {
        const group = toGroupModel({ type: args.type, urn: args.urn, name: args.name, props: args.props });
        if (!group) return;
        const finding = configured(runner, () => args.getConfig()).checkGroup(group, {
          platform: resolvePlatform(group, EMPTY_STACK),
          stack: EMPTY_STACK,
        });
        if (finding) report(reportViolation, finding, undefined);
      } catch (error) {
        reportViolation(internalError(metadata, args.name, error));
      }
    },
  };
  if (runner.remediable) {
    policy.remediateResource = (args) => {
      try {
        return DEPLOYMENT_GROUP_TYPES.includes(args.type)
          ? remediateGroupProps(
              configured(runner, () => args.getConfig()),
              args,
            )
          : undefined;
      } catch {
        // A remediation that cannot run leaves the resource as it is; validation still reports it.
        return undefined;
      }
    };
  }
  return policy;
}

function propertyDependencyUrns(resource: PolicyResource): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [property, dependencies] of Object.entries(resource.propertyDependencies ?? {})) {
    result[property] = dependencies.map((dependency) => dependency.urn);
  }
  return result;
}

export function stackModels(resources: readonly PolicyResource[]): CodeDeployModel[] {
  const models: CodeDeployModel[] = [];
  for (const resource of resources) {
    if (!isHandledType(resource.type)) continue;
    const input: PulumiResource = {
      type: resource.type,
      urn: resource.urn,
      name: resource.name,
      props: resource.props,
      propertyDependencies: propertyDependencyUrns(resource),
    };
    const model = toModel(input);
    if (model) models.push(model);
  }
  return models;
}

function stackPolicy(runner: PolicyRunner): StackValidationPolicy {
  const { metadata } = runner;
  return {
    ...policyInfo(metadata),
    validateStack: (args: StackValidationArgs, reportViolation) => {
      let stack;
      let rule;
      try {
        stack = indexStack(stackModels(args.resources));
        rule = configured(runner, () => args.getConfig());
      } catch (error) {
        reportViolation(internalError(metadata, "the stack", error));
        return;
      }
      for (const group of stack.groups) {
        try {
          const finding = rule.checkGroup(group, { platform: resolvePlatform(group, stack), stack });
          if (finding) report(reportViolation, finding, group.resource.urn);
        } catch (error) {
          reportViolation(internalError(metadata, group.resource.name, error), group.resource.urn);
        }
      }
      for (const deploymentConfig of stack.configs) {
        try {
          const finding = rule.checkDeploymentConfig(deploymentConfig);
          if (finding) report(reportViolation, finding, deploymentConfig.resource.urn);
        } catch (error) {
          reportViolation(internalError(metadata, deploymentConfig.resource.name, error), deploymentConfig.resource.urn);
        }
      }
    },
  };
}

function policyInfo(metadata: PolicyMetadata) {
  return {
    name: metadata.name,
    displayName: metadata.displayName,
    description: metadata.description,
    enforcementLevel: metadata.enforcementLevel,
    severity: metadata.severity,
    framework: metadata.framework,
    url: metadata.url,
    remediationSteps: metadata.remediationSteps,
    configSchema: metadata.configSchema as ResourceValidationPolicy["configSchema"],
  };
}

/** The pack's policies, in the order of the README table. */
export function buildPolicies(): Policies {
  return POLICY_RUNNERS.map((runner) => (runner.scope === "stack" ? stackPolicy(runner) : resourcePolicy(runner)));
}

export const PACK_NAME = "codedeploy-guardrails";
export const PACK_DESCRIPTION =
  "Makes AWS CodeDeploy roll back faulty deployments by itself: auto-rollback on failure and on alarm, CloudWatch alarms attached, enough healthy hosts, gradual traffic shifting for Lambda and ECS.";
