import { exemptionsSchema, type Exemption } from "../core/config";
import { isMalformed, isUnknown, type DeploymentGroupModel } from "../core/model";
import { AWS_CONFIG_FRAMEWORK, Problems, type GroupPatch, type Rule } from "./rule";

export interface AlarmRollbackConfig {
  readonly minAlarms: number;
  readonly allowIgnorePollAlarmFailure: boolean;
  readonly exemptions: readonly Exemption[];
}

/** CodeDeploy accepts at most this many alarms on one group. */
export const MAX_ALARMS = 10;

const POLICY = "codedeploy-alarm-rollback-configured";

function listsStopOnAlarm(group: DeploymentGroupModel): boolean {
  const autoRollback = group.autoRollback;
  if (autoRollback === undefined || isUnknown(autoRollback) || isMalformed(autoRollback)) return false;
  const events = autoRollback.events;
  return Array.isArray(events) && events.includes("DEPLOYMENT_STOP_ON_ALARM");
}

const STOP_ON_ALARM_NOTE = "; DEPLOYMENT_STOP_ON_ALARM in its rollback events does nothing at all without an enabled alarm";

export const alarmRollbackConfigured: Rule<AlarmRollbackConfig, typeof POLICY> = {
  scope: "resource",
  metadata: {
    name: POLICY,
    displayName: "CodeDeploy groups watch CloudWatch alarms",
    description:
      "Every CodeDeploy deployment group watches CloudWatch alarms during a deployment, so a release that raises errors, latency or falls in model quality is stopped and rolled back.",
    enforcementLevel: "mandatory",
    severity: "high",
    framework: { ...AWS_CONFIG_FRAMEWORK, reference: "codedeploy-auto-rollback-monitor-enabled" },
    url: "https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-create-alarms.html",
    remediationSteps:
      'Create CloudWatch alarms for what a bad release breaks (5xx rate, p99 latency, function errors, model error rate) and list them in alarmConfiguration { enabled: true, alarms: [...], ignorePollAlarmFailure: false }, at most 10. With enforcementLevel "remediate" the pack turns monitoring on and stops ignoring poll failures when alarms are listed; it cannot invent alarms.',
    violationSummary:
      "`alarmConfiguration` is missing or not enabled, has fewer than `minAlarms` (default 1) or more than 10 distinct alarms, or sets `ignorePollAlarmFailure: true` (unless `allowIgnorePollAlarmFailure`). The message says when `DEPLOYMENT_STOP_ON_ALARM` therefore does nothing",
    exampleSettings: { minAlarms: 2 },
    configSchema: {
      properties: {
        minAlarms: { type: "integer", minimum: 0, maximum: MAX_ALARMS, default: 1, description: "Fewest alarms a group must watch." },
        allowIgnorePollAlarmFailure: {
          type: "boolean",
          default: false,
          description: "Allow ignorePollAlarmFailure: true (a deployment then goes on when CloudWatch cannot be read).",
        },
        exemptions: exemptionsSchema,
      },
    },
  },

  checkGroup(group, _context, config) {
    const problems = new Problems(POLICY, group.resource, "Deployment group");
    const alarmConfiguration = group.alarmConfiguration;
    const note = listsStopOnAlarm(group) ? STOP_ON_ALARM_NOTE : "";
    if (alarmConfiguration === undefined) {
      problems.violation(
        `has no alarmConfiguration, so no CloudWatch alarm can stop a bad deployment${note}; add alarmConfiguration { enabled: true, alarms: [at least ${Math.max(config.minAlarms, 1)}] }`,
      );
      return problems.finding();
    }
    if (isUnknown(alarmConfiguration)) {
      problems.undecidable("alarmConfiguration");
      return problems.finding();
    }
    if (isMalformed(alarmConfiguration)) {
      problems.malformedField(alarmConfiguration);
      return problems.finding();
    }

    const enabled = alarmConfiguration.enabled;
    if (isMalformed(enabled)) problems.malformedField(enabled);
    else if (isUnknown(enabled)) problems.undecidable("alarmConfiguration.enabled");
    else if (enabled !== true) {
      problems.violation(
        `alarm monitoring is off (enabled is ${enabled === false ? "false" : "not set"}), so CodeDeploy ignores the alarms${note}; set alarmConfiguration.enabled to true`,
      );
    }

    const alarms = alarmConfiguration.alarms;
    if (isMalformed(alarms)) problems.malformedField(alarms);
    else if (isUnknown(alarms)) {
      problems.undecidable("alarmConfiguration.alarms");
    } else {
      const list = alarms ?? [];
      for (const alarm of list) if (isMalformed(alarm)) problems.malformedField(alarm);
      const emptyNames = list.filter((alarm) => alarm === "").length;
      if (emptyNames > 0)
        problems.violation(`alarmConfiguration.alarms holds ${emptyNames} empty alarm name(s); name real CloudWatch alarms`);
      // The alarms are a set: the classic provider collapses duplicates, the API refuses them. An
      // alarm unknown during preview counts as one more name (a duplicate would be refused at update).
      const names = list.filter((alarm): alarm is string => typeof alarm === "string" && alarm !== "");
      const distinct = new Set(names).size;
      if (distinct < names.length) {
        problems.note(
          "alarmConfiguration.alarms names the same alarm more than once, which the CodeDeploy API refuses (the AWS provider collapses duplicates), so each name was counted once",
        );
      }
      const count = distinct + list.filter(isUnknown).length;
      const absent = alarmConfiguration.absentAlarms ?? 0;
      if (absent > 0)
        problems.violation(
          `${absent} of its alarm name(s) match no CloudWatch alarm in its account and region (AWS requires an alarm to be created in CloudWatch before it is added to a deployment group), so only its ${count} existing alarm(s) count; create the missing alarm(s) or list existing ones in alarmConfiguration.alarms`,
        );
      if (count < config.minAlarms) {
        // The "monitoring is off" message already carries the note when enabled is false or unset.
        const stopNote = count === 0 && enabled !== false && enabled !== undefined ? note : "";
        problems.violation(
          `watches ${count} alarm(s), fewer than the required ${config.minAlarms}${stopNote}; list CloudWatch alarms in alarmConfiguration.alarms`,
        );
      }
      if (count > MAX_ALARMS) {
        problems.violation(
          `lists ${count} alarms, more than the ${MAX_ALARMS} CodeDeploy accepts; keep the ${MAX_ALARMS} that matter most`,
        );
      }
    }

    const ignorePoll = alarmConfiguration.ignorePollAlarmFailure;
    if (!config.allowIgnorePollAlarmFailure) {
      if (isMalformed(ignorePoll)) problems.malformedField(ignorePoll);
      else if (isUnknown(ignorePoll)) problems.undecidable("alarmConfiguration.ignorePollAlarmFailure");
      else if (ignorePoll === true) {
        problems.violation(
          "ignorePollAlarmFailure is true, so a deployment goes on unwatched when CloudWatch cannot be read; set it to false",
        );
      }
    }
    return problems.finding();
  },

  remediateGroup(group, config): GroupPatch | undefined {
    const alarmConfiguration = group.alarmConfiguration;
    if (alarmConfiguration === undefined || isUnknown(alarmConfiguration) || isMalformed(alarmConfiguration)) return undefined;
    const alarms = alarmConfiguration.alarms;
    // Turning monitoring on is only a fix when there are alarms to watch.
    if (!Array.isArray(alarms) || alarms.length === 0) return undefined;
    const enable = alarmConfiguration.enabled !== true && !isUnknown(alarmConfiguration.enabled);
    const stopIgnoring = !config.allowIgnorePollAlarmFailure && alarmConfiguration.ignorePollAlarmFailure === true;
    if (!enable && !stopIgnoring) return undefined;
    return {
      alarmFlags: {
        ...(enable ? { enabled: true as const } : {}),
        ...(stopIgnoring ? { ignorePollAlarmFailure: false as const } : {}),
      },
    };
  },
};
