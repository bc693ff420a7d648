// What every rule module exports: its metadata beside a pure check. The pack wiring, `check`
// and `audit` all read rules through this one shape.
import type { PolicyConfigSchema } from "../core/config";
import type { Finding, FindingReason, PolicyName } from "../core/findings";
import type { DeploymentConfigModel, DeploymentGroupModel, Malformed, ResourceRef, RollbackEvent } from "../core/model";
import type { EffectiveDeploymentConfig, PlatformResolution, ResolvedDeploymentConfig, StackIndex } from "../core/resolve";
import { isUnknown } from "../core/model";

export type Severity = "low" | "medium" | "high" | "critical";

export interface PolicyMetadata {
  readonly name: PolicyName;
  readonly displayName: string;
  readonly description: string;
  readonly enforcementLevel: "mandatory" | "advisory";
  readonly severity: Severity;
  readonly framework: { readonly name: string; readonly version: string; readonly reference: string; readonly specification: string };
  readonly url: string;
  readonly remediationSteps: string;
  readonly configSchema: PolicyConfigSchema;
}

export interface GroupContext {
  readonly platform: PlatformResolution;
  readonly stack: StackIndex;
}

/** A provider-neutral change that brings a group into line; adapters write it back in their own shape. */
export interface GroupPatch {
  readonly autoRollback?: { readonly enabled: true; readonly events: readonly string[] };
  readonly alarmFlags?: { readonly enabled?: true; readonly ignorePollAlarmFailure?: false };
  readonly outdatedInstancesStrategy?: "UPDATE";
}

export interface Rule<C> {
  readonly metadata: PolicyMetadata;
  /**
   * `resource`: decided from the group alone, in Analyze (and remediable).
   * `stack`: needs other resources of the stack (the group's config or application), in AnalyzeStack.
   */
  readonly scope: "resource" | "stack";
  checkGroup(group: DeploymentGroupModel, context: GroupContext, config: C): Finding | undefined;
  checkDeploymentConfig?(config: DeploymentConfigModel, policyConfig: C): Finding | undefined;
  remediateGroup?(group: DeploymentGroupModel, config: C): GroupPatch | undefined;
}

export type RollbackEventList = readonly RollbackEvent[];

/**
 * Collects what is wrong with one resource for one policy and folds it into a single finding:
 * any definite problem makes a violation (listing every definite problem); only when nothing is
 * definitely wrong does an undecidable or unresolved part make an advisory finding.
 */
export class Problems {
  private readonly definite: string[] = [];
  private malformed = false;
  private readonly tentative: { reason: FindingReason; text: string }[] = [];

  constructor(
    private readonly policy: PolicyName,
    private readonly resource: ResourceRef,
    private readonly subject: string,
  ) {}

  violation(text: string): void {
    this.definite.push(text);
  }

  malformedField(field: Malformed): void {
    this.malformed = true;
    this.definite.push(
      `${field.path} is malformed (expected ${field.expected}, found ${field.found}), so it cannot be checked; fix its value`,
    );
  }

  undecidable(path: string): void {
    this.tentative.push({ reason: "undecidable", text: `${path} is unknown until the update runs` });
  }

  unresolved(text: string): void {
    this.tentative.push({ reason: "unresolved", text });
  }

  get hasDefinite(): boolean {
    return this.definite.length > 0;
  }

  finding(): Finding | undefined {
    const subject = `${this.subject} "${this.resource.name}"`;
    if (this.definite.length > 0) {
      return {
        policy: this.policy,
        resource: this.resource,
        reason: this.malformed ? "malformed" : "violation",
        message: `${subject}: ${this.definite.join("; ")}.`,
      };
    }
    const first = this.tentative[0];
    if (!first) return undefined;
    const unresolved = this.tentative.find((item) => item.reason === "unresolved");
    if (unresolved) {
      return { policy: this.policy, resource: this.resource, reason: "unresolved", message: `${subject}: ${unresolved.text}.` };
    }
    return {
      policy: this.policy,
      resource: this.resource,
      reason: "undecidable",
      message: `${subject}: can't be checked during preview: ${this.tentative.map((item) => item.text).join("; ")}.`,
    };
  }
}

/** Echoes a value only when it belongs to a closed vocabulary: free text from props may be a secret. */
export function describeValue(value: string, vocabulary: readonly string[]): string {
  return vocabulary.includes(value) ? value : "a value CodeDeploy does not define";
}

export const AWS_CONFIG_FRAMEWORK = {
  name: "AWS Config managed rules",
  version: "2024",
  specification: "https://docs.aws.amazon.com/config/latest/developerguide/managed-rules-by-aws-config.html",
};

/**
 * The config a group's verdict rests on, or undefined after recording why there is none to check
 * (malformed name, unknown during preview, not found). A stack config whose own platform is unknown
 * is returned but also recorded as undecidable: its settings may still fail whatever the platform.
 */
export function configToCheck(problems: Problems, effective: EffectiveDeploymentConfig): ResolvedDeploymentConfig | undefined {
  switch (effective.state) {
    case "malformed":
      problems.malformedField(effective.malformed);
      return undefined;
    case "undecidable":
      problems.undecidable("deploymentConfigName");
      return undefined;
    case "unresolved":
      problems.unresolved(effective.reason);
      return undefined;
    case "resolved":
      if (effective.config.resource && isUnknown(effective.config.resource.computePlatform)) {
        problems.undecidable(`computePlatform of ${effective.config.label}`);
      }
      return effective.config;
  }
}

/**
 * Records what made the group's platform uncertain: a malformed platform field is a violation; an
 * unknown one leaves the verdict advisory. Called by the policy that checks the platform the group
 * fell back to, so the doubt is reported once.
 */
export function platformDoubts(problems: Problems, context: GroupContext): void {
  if (context.platform.malformed) problems.malformedField(context.platform.malformed);
  if (context.platform.undecidable) problems.undecidable(context.platform.undecidable);
}
