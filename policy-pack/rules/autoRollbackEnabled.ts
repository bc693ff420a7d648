import { exemptionsSchema } from "../core/config";
import { isMalformed, isUnknown, ROLLBACK_EVENTS, type AutoRollbackModel, type RollbackEvent } from "../core/model";
import { AWS_CONFIG_FRAMEWORK, Problems, type GroupPatch, type Rule } from "./rule";
import type { Exemption } from "../core/config";

export interface AutoRollbackConfig {
  readonly requiredEvents: readonly RollbackEvent[];
  readonly exemptions: readonly Exemption[];
}

export const DEFAULT_REQUIRED_EVENTS: readonly RollbackEvent[] = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"];

/** The event names of a readable block (none when it is absent), or undefined when some element cannot be read. */
function knownEvents(autoRollback: AutoRollbackModel | undefined): string[] | undefined {
  const events = autoRollback?.events;
  if (events === undefined) return [];
  if (isUnknown(events) || isMalformed(events)) return undefined;
  const known = events.filter((event): event is string => typeof event === "string");
  return known.length === events.length ? known : undefined;
}

const POLICY = "codedeploy-auto-rollback-enabled";

export const autoRollbackEnabled: Rule<AutoRollbackConfig, typeof POLICY> = {
  scope: "resource",
  metadata: {
    name: POLICY,
    displayName: "CodeDeploy groups roll back automatically",
    description:
      "Every CodeDeploy deployment group rolls back by itself when a deployment fails or an alarm stops it, so a bad release never stays live waiting for a person.",
    enforcementLevel: "mandatory",
    severity: "high",
    framework: { ...AWS_CONFIG_FRAMEWORK, reference: "codedeploy-deployment-group-auto-rollback-enabled" },
    url: "https://docs.aws.amazon.com/codedeploy/latest/userguide/deployments-rollback-and-redeploy.html",
    remediationSteps:
      'Set autoRollbackConfiguration to { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] } (plus any other events you want). With enforcementLevel "remediate" the pack does this for you and keeps the events you already have.',
    violationSummary:
      "the group has no `autoRollbackConfiguration`, `enabled` is not true, or `events` lacks one of `requiredEvents` (default `DEPLOYMENT_FAILURE`, `DEPLOYMENT_STOP_ON_ALARM`)",
    exampleSettings: {
      exemptions: [
        {
          resource: "*legacy-batch-*",
          reason: "Legacy batch scorer is rolled back by its own runbook until it moves to the new pipeline (TICKET-123)",
          expires: "2027-03-31",
        },
      ],
    },
    configSchema: {
      properties: {
        requiredEvents: {
          type: "array",
          description: "Rollback events every group must list.",
          items: { type: "string", enum: [...ROLLBACK_EVENTS] },
          uniqueItems: true,
          default: [...DEFAULT_REQUIRED_EVENTS],
        },
        exemptions: exemptionsSchema,
      },
    },
  },

  checkGroup(group, _context, config) {
    const problems = new Problems(POLICY, group.resource, "Deployment group");
    const autoRollback = group.autoRollback;
    if (autoRollback === undefined) {
      problems.violation(
        "has no autoRollbackConfiguration, so CodeDeploy never rolls a failed release back by itself; set autoRollbackConfiguration { enabled: true, events: [" +
          config.requiredEvents.join(", ") +
          "] }",
      );
      return problems.finding();
    }
    if (isUnknown(autoRollback)) {
      problems.undecidable("autoRollbackConfiguration");
      return problems.finding();
    }
    if (isMalformed(autoRollback)) {
      problems.malformedField(autoRollback);
      return problems.finding();
    }
    const enabled = autoRollback.enabled;
    if (isMalformed(enabled)) problems.malformedField(enabled);
    else if (isUnknown(enabled)) problems.undecidable("autoRollbackConfiguration.enabled");
    else if (enabled !== true) {
      problems.violation(
        `automatic rollback is disabled (enabled is ${enabled === false ? "false" : "not set"}); set autoRollbackConfiguration.enabled to true`,
      );
    }

    const events = autoRollback.events;
    if (isMalformed(events)) problems.malformedField(events);
    else if (isUnknown(events)) {
      if (config.requiredEvents.length > 0) problems.undecidable("autoRollbackConfiguration.events");
    } else {
      const list = events ?? [];
      for (const event of list) if (isMalformed(event)) problems.malformedField(event);
      const known = list.filter((event): event is string => typeof event === "string");
      const unknownCount = list.filter(isUnknown).length;
      const invalid = known.filter((event) => !(ROLLBACK_EVENTS as readonly string[]).includes(event));
      if (invalid.length > 0) {
        problems.violation(
          `autoRollbackConfiguration.events holds ${invalid.length} value(s) CodeDeploy does not define; use only ${ROLLBACK_EVENTS.join(", ")}`,
        );
      }
      const missing = config.requiredEvents.filter((event) => !known.includes(event));
      if (missing.length > 0) {
        // n unknown elements can supply at most n missing events; beyond that the known parts decide.
        if (unknownCount >= missing.length) problems.undecidable("an element of autoRollbackConfiguration.events");
        else problems.violation(`rollback events lack ${missing.join(", ")}; add them to autoRollbackConfiguration.events`);
      }
    }
    return problems.finding();
  },

  remediateGroup(group, config): GroupPatch | undefined {
    const autoRollback = group.autoRollback;
    // Unknown or malformed settings cannot be merged without losing what the user wrote.
    if (isUnknown(autoRollback) || isMalformed(autoRollback)) return undefined;
    const current = knownEvents(autoRollback);
    if (current === undefined) return undefined;
    const existing = current.filter((event) => (ROLLBACK_EVENTS as readonly string[]).includes(event));
    const events = [...existing, ...config.requiredEvents.filter((event) => !existing.includes(event))];
    const alreadyCompliant =
      autoRollback?.enabled === true && current.length === events.length && config.requiredEvents.every((event) => current.includes(event));
    return alreadyCompliant ? undefined : { autoRollback: { enabled: true, events } };
  },
};
