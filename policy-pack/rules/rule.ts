// What every rule module exports: its metadata beside a pure check. The pack wiring, `check`
// and `audit` all read rules through this one shape.
import type { PolicyConfigSchema } from "../core/config";
import type { Finding, FindingReason } from "../core/findings";
import type { GroupPatch } from "../core/patch";
import type { ComputePlatform, DeploymentConfigModel, DeploymentGroupModel, Malformed, ResourceRef, RollbackEvent } from "../core/model";
import type { EffectiveDeploymentConfig, GroupResolution, PlatformDecision, ResolvedDeploymentConfig, StackIndex } from "../core/resolve";

export type Severity = "low" | "medium" | "high" | "critical";

/** `Name` is the policy's name as a literal type, so the registry can derive the union of names from its rules. */
export interface PolicyMetadata<Name extends string = string> {
  readonly name: Name;
  readonly displayName: string;
  readonly description: string;
  readonly enforcementLevel: "mandatory" | "advisory";
  readonly severity: Severity;
  readonly framework: { readonly name: string; readonly version: string; readonly reference: string; readonly specification: string };
  readonly url: string;
  readonly remediationSteps: string;
  /** When the policy reports a violation, in the README's words (the "violation when" column). */
  readonly violationSummary: string;
  readonly configSchema: PolicyConfigSchema;
  /**
   * Settings `policy-config.example.json` shows instead of their defaults, so the example shows a
   * use of each list setting (an exemption, an external deployment config) and a non-default value.
   */
  readonly exampleSettings?: Readonly<Record<string, unknown>>;
}

export interface GroupContext {
  /** What the stack says about the group; resource-scope rules get it from the group alone. */
  readonly resolution: GroupResolution;
  readonly stack: StackIndex;
}

export interface Rule<C, Name extends string = string> {
  readonly metadata: PolicyMetadata<Name>;
  /**
   * `resource`: decided from the group alone, in Analyze (and remediable).
   * `stack`: needs other resources of the stack (the group's config or application), in AnalyzeStack.
   */
  readonly scope: "resource" | "stack";
  checkGroup(group: DeploymentGroupModel, context: GroupContext, config: C): Finding | undefined;
  checkDeploymentConfig?(config: DeploymentConfigModel, policyConfig: C): Finding | undefined;
  remediateGroup?(group: DeploymentGroupModel, config: C): GroupPatch | undefined;
}

export type { GroupPatch };

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
  private readonly notes: string[] = [];

  constructor(
    private readonly policy: string,
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

  /** Undecidable during preview, for a reason already put in words. */
  undecidableBecause(text: string): void {
    this.tentative.push({ reason: "undecidable", text });
  }

  unresolved(text: string): void {
    this.tentative.push({ reason: "unresolved", text });
  }

  /** Context that is no problem by itself but belongs in any finding about the resource. */
  note(text: string): void {
    this.notes.push(text);
  }

  get hasDefinite(): boolean {
    return this.definite.length > 0;
  }

  finding(): Finding | undefined {
    const subject = `${this.subject} "${this.resource.name}"`;
    const notes = this.notes.map((note) => `; ${note}`).join("");
    if (this.definite.length > 0) {
      return {
        policy: this.policy,
        resource: this.resource,
        reason: this.malformed ? "malformed" : "violation",
        message: `${subject}: ${this.definite.join("; ")}${notes}.`,
      };
    }
    const first = this.tentative[0];
    if (!first) return undefined;
    const unresolved = this.tentative.find((item) => item.reason === "unresolved");
    if (unresolved) {
      return { policy: this.policy, resource: this.resource, reason: "unresolved", message: `${subject}: ${unresolved.text}${notes}.` };
    }
    return {
      policy: this.policy,
      resource: this.resource,
      reason: "undecidable",
      message: `${subject}: can't be checked during preview: ${this.tentative.map((item) => item.text).join("; ")}${notes}.`,
    };
  }
}

/**
 * A resource whose props this run could not read (AnalyzeStack sent empty outputs and Analyze
 * never saw its inputs): never a pass, and advisory, since the update will have the values.
 */
export function unreadableFinding(policy: string, model: DeploymentGroupModel | DeploymentConfigModel): Finding | undefined {
  if (model.unreadable === undefined) return undefined;
  const subject = model.kind === "deploymentGroup" ? "Deployment group" : "Deployment config";
  return {
    policy,
    resource: model.resource,
    reason: "undecidable",
    message: `${subject} "${model.resource.name}": cannot be checked in this preview: ${model.unreadable}.`,
  };
}

/** How a message names a value CodeDeploy does not define: free text from props may be a secret, so it is never echoed. */
export const UNDEFINED_VALUE = "a value CodeDeploy does not define";

export const AWS_CONFIG_FRAMEWORK = {
  name: "AWS Config managed rules",
  version: "2024",
  specification: "https://docs.aws.amazon.com/config/latest/developerguide/managed-rules-by-aws-config.html",
};

/**
 * The config a group's verdict rests on, or undefined after recording why there is none to check
 * (malformed name, unknown during preview, ambiguous or not found).
 */
export function configToCheck(problems: Problems, effective: EffectiveDeploymentConfig): ResolvedDeploymentConfig | undefined {
  switch (effective.state) {
    case "malformed":
      problems.malformedField(effective.malformed);
      return undefined;
    case "undecidable":
      problems.undecidableBecause(effective.reason);
      return undefined;
    case "unresolved":
      problems.unresolved(effective.reason);
      return undefined;
    case "resolved":
      return effective.config;
  }
}

/** Records every malformed platform-evidence field: a violation, whatever the platform turns out to be. */
export function reportMalformedEvidence(problems: Problems, decision: PlatformDecision): void {
  for (const field of decision.malformed) problems.malformedField(field);
}

/**
 * The finding for a group whose platform is undecided: nothing when the policy passes it on every
 * platform it can still be, else advisory, saying why the platform is not known. `failsAs` is the
 * platform it would not pass on (each policy judges an undecided group on one platform: Server, or
 * Lambda for traffic shifting), undefined when it passes.
 */
export function undecidedPlatformFinding(
  policy: string,
  resource: ResourceRef,
  decision: Extract<PlatformDecision, { state: "undecided" }>,
  failsAs: ComputePlatform | undefined,
): Finding | undefined {
  if (failsAs === undefined) return undefined;
  const ambiguous = decision.doubts.some((doubt) => doubt.ambiguous);
  const doubts = decision.doubts.map((doubt) => doubt.text).join("; ");
  const platform = failsAs === "Server" ? "an EC2/on-premises" : `a ${failsAs}`;
  const lead = ambiguous ? "its compute platform cannot be told" : "can't be checked during preview: its compute platform is not known yet";
  return {
    policy,
    resource,
    reason: ambiguous ? "unresolved" : "undecidable",
    message: `Deployment group "${resource.name}": ${lead} (${doubts}), and as ${platform} group it would not pass.`,
  };
}
