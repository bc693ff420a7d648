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
import {
  DEPLOYMENT_GROUP_TYPES,
  isHandledType,
  toGroupModel,
  toModel,
  unreadableModel,
  unreadableReason,
  type ProviderRef,
  type PulumiResource,
} from "./adapters";
import { proxyTarget } from "./adapters/read";
import { levelFixedByReason, type Finding, type ReportedLevel } from "./core/findings";
import type { CodeDeployModel } from "./core/model";
import { EMPTY_STACK, indexStack, resolveGroup } from "./core/resolve";
import { remediateGroupProps } from "./remediate";
import { POLICY_RUNNERS, type ConfiguredRule, type PolicyMetadata, type PolicyRunner } from "./rules";

/**
 * The SDK's violation callback also takes a diagnostic object (see `makeReportViolationFun` in
 * `@pulumi/policy/server.js`); the pack uses it only to report a finding as advisory under a
 * mandatory policy, as the protocol allows per diagnostic.
 */
type DiagnosticReport = (diagnostic: { message: string; urn?: string; enforcementLevel: ReportedLevel }) => void;

/**
 * A finding whose reason fixes its level (core/findings.ts `levelFixedByReason`) is sent with that
 * level; any other is left to the SDK, which reports it at the policy's configured level.
 */
function report(reportViolation: ReportViolation, finding: Finding, urn: string | undefined): void {
  const fixed = levelFixedByReason(finding.reason);
  if (fixed === undefined) reportViolation(finding.message, urn);
  else (reportViolation as unknown as DiagnosticReport)({ message: finding.message, urn, enforcementLevel: fixed });
}

/** The error's own text may quote resource values (a secret among them), so only its kind is named. */
function internalError(metadata: PolicyMetadata, resourceName: string, error: unknown): string {
  const kind = error instanceof Error ? error.name : typeof error;
  return `${metadata.name} could not check "${resourceName}" (internal ${kind}), so it is not reported compliant; please report this to the codedeploy-guardrails maintainers.`;
}

function configured(runner: PolicyRunner, getConfig: () => object): ConfiguredRule {
  return runner.configure(getConfig(), new Date());
}

/**
 * The props of each CodeDeploy resource as Analyze saw them (its inputs after the provider's
 * Check), by URN, for AnalyzeStack to fall back on when the engine sends it empty outputs (a
 * provider whose configuration is unknown during preview). One per `buildPolicies()` call.
 *
 * A run is Analyze calls, then one AnalyzeStack, which runs each enabled stack policy once, all
 * within one turn of the event loop. The run ends when a stack policy runs a second time (a later
 * AnalyzeStack) or that turn is over; after that nothing is returned until the next Analyze starts
 * a new run. So no AnalyzeStack ever sees another run's props.
 */
export class AnalyzedProps {
  private readonly byUrn = new Map<string, Record<string, unknown>>();
  private readonly stackPoliciesRun = new Set<string>();
  private run = 0;
  private ended = false;
  private endScheduled = false;

  record(urn: string, props: Record<string, unknown>): void {
    if (this.ended || this.stackPoliciesRun.size > 0) {
      this.byUrn.clear();
      this.stackPoliciesRun.clear();
      this.ended = false;
      this.run++;
    }
    this.byUrn.set(urn, props);
  }

  /** Called by every stack policy as it starts. */
  beginStack(policy: string): void {
    if (this.stackPoliciesRun.has(policy)) this.ended = true;
    this.stackPoliciesRun.add(policy);
    if (this.endScheduled) return;
    this.endScheduled = true;
    const run = this.run;
    setImmediate(() => {
      this.endScheduled = false;
      if (this.run === run) this.ended = true;
    });
  }

  get(urn: string): Record<string, unknown> | undefined {
    return this.ended ? undefined : this.byUrn.get(urn);
  }
}

function plainProps(props: Record<string, unknown>): Record<string, unknown> {
  const target = proxyTarget(props);
  return typeof target === "object" && target !== null && !Array.isArray(target) ? (target as Record<string, unknown>) : {};
}

function resourcePolicy(runner: PolicyRunner, analyzed: AnalyzedProps): ResourceValidationPolicy {
  const { metadata } = runner;
  const policy: ResourceValidationPolicy = {
    ...policyInfo(metadata),
    validateResource: (args, reportViolation) => {
      if (!isHandledType(args.type)) return;
      try {
        const props = plainProps(args.props);
        analyzed.record(args.urn, props);
        if (!DEPLOYMENT_GROUP_TYPES.includes(args.type)) return;
        const group = toGroupModel({ type: args.type, urn: args.urn, name: args.name, props, provider: providerOf(args.provider) });
        if (!group) return;
        const finding = configured(runner, () => args.getConfig()).checkGroup(group, {
          resolution: resolveGroup(group, EMPTY_STACK),
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

/** The only properties whose dependencies the rules use: the fields that name an application or config. */
const REFERENCE_FIELDS = ["appName", "applicationName", "deploymentConfigName"] as const;

function propertyDependencyUrns(resource: PolicyResource): Record<string, string[]> | undefined {
  let result: Record<string, string[]> | undefined;
  const dependencies = resource.propertyDependencies;
  if (!dependencies) return undefined;
  for (const property of REFERENCE_FIELDS) {
    const list = dependencies[property];
    if (list && list.length > 0) (result ??= {})[property] = list.map((dependency) => dependency.urn);
  }
  return result;
}

function providerOf(provider: PolicyResource["provider"]): ProviderRef | undefined {
  return provider ? { urn: provider.urn, props: plainProps(provider.props) } : undefined;
}

/**
 * The models of the stack's CodeDeploy resources. Props that cannot be what the engine would check
 * (empty outputs, or without the identifying field) are replaced by what Analyze saw for the same
 * URN in this run; without that, the model is unreadable and every stack policy says so.
 */
export function stackModels(resources: readonly PolicyResource[], analyzed?: AnalyzedProps): CodeDeployModel[] {
  const models: CodeDeployModel[] = [];
  // Within one request every resource of a provider carries that provider's same inputs: read them once.
  const providers = new Map<string, ProviderRef>();
  const providerRef = (provider: PolicyResource["provider"]): ProviderRef | undefined => {
    if (!provider) return undefined;
    let ref = providers.get(provider.urn);
    if (!ref) {
      ref = providerOf(provider)!;
      providers.set(provider.urn, ref);
    }
    return ref;
  };
  for (const resource of resources) {
    if (!isHandledType(resource.type)) continue;
    const outputs = plainProps(resource.props);
    const unreadable = unreadableReason(resource.type, outputs);
    const fallback = unreadable === undefined ? undefined : analyzed?.get(resource.urn);
    const input: PulumiResource = {
      type: resource.type,
      urn: resource.urn,
      name: resource.name,
      props: fallback ?? outputs,
      propertyDependencies: propertyDependencyUrns(resource),
      provider: providerRef(resource.provider),
    };
    const model =
      unreadable !== undefined && fallback === undefined
        ? unreadableModel(input, `${unreadable}, and the pack saw no inputs for it in Analyze during this run`)
        : toModel(input);
    if (model) models.push(model);
  }
  return models;
}

function stackPolicy(runner: PolicyRunner, analyzed: AnalyzedProps): StackValidationPolicy {
  const { metadata } = runner;
  return {
    ...policyInfo(metadata),
    validateStack: (args: StackValidationArgs, reportViolation) => {
      analyzed.beginStack(metadata.name);
      let stack;
      let rule;
      try {
        stack = indexStack(stackModels(args.resources, analyzed));
        rule = configured(runner, () => args.getConfig());
      } catch (error) {
        reportViolation(internalError(metadata, "the stack", error));
        return;
      }
      for (const group of stack.groups) {
        try {
          const finding = rule.checkGroup(group, { resolution: resolveGroup(group, stack), stack });
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

/** The pack's policies, in the order of the README table, sharing what Analyze saw with the stack policies. */
export function buildPolicies(): Policies {
  const analyzed = new AnalyzedProps();
  return POLICY_RUNNERS.map((runner) => (runner.scope === "stack" ? stackPolicy(runner, analyzed) : resourcePolicy(runner, analyzed)));
}

export const PACK_NAME = "codedeploy-guardrails";
export const PACK_DESCRIPTION =
  "Makes AWS CodeDeploy roll back faulty deployments by itself: auto-rollback on failure and on alarm, CloudWatch alarms attached, enough healthy hosts, gradual traffic shifting for Lambda and ECS.";
