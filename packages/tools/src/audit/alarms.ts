// Which of the alarm names the deployment groups watch exist in CloudWatch, in the groups' own
// account and region: DescribeAlarms with up to 100 names a call (its limit), metric and composite
// alarms both. A name that names no alarm cannot stop a deployment; the alarm rule then counts only
// the existing ones (`absentAlarms` in the model).
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import type { AwsSender } from "./client";
import type { Info } from "./fetch";

export const ALARM_BATCH_SIZE = 100;

/** The alarm names a `deploymentGroupInfo` lists (the API's `alarms: [{ name }]`), strings only. */
export function alarmNamesOf(info: Info): string[] {
  const configuration = info["alarmConfiguration"];
  if (typeof configuration !== "object" || configuration === null) return [];
  const alarms = (configuration as Record<string, unknown>)["alarms"];
  if (!Array.isArray(alarms)) return [];
  return alarms
    .map((alarm: unknown) => (typeof alarm === "object" && alarm !== null ? (alarm as Record<string, unknown>)["name"] : undefined))
    .filter((name): name is string => typeof name === "string" && name !== "");
}

/** Every distinct alarm name the groups watch. */
export function watchedAlarmNames(groups: readonly Info[]): string[] {
  return [...new Set(groups.flatMap(alarmNamesOf))].sort();
}

/** The names among `names` that exist as CloudWatch alarms; throws when CloudWatch cannot be read. */
export async function existingAlarms(cloudwatch: AwsSender, names: readonly string[]): Promise<Set<string>> {
  const existing = new Set<string>();
  const chunks: string[][] = [];
  for (let index = 0; index < names.length; index += ALARM_BATCH_SIZE) chunks.push(names.slice(index, index + ALARM_BATCH_SIZE));
  await Promise.all(
    chunks.map(async (chunk) => {
      let nextToken: string | undefined;
      const seen = new Set<string>();
      do {
        const response = (await cloudwatch.send(
          new DescribeAlarmsCommand({
            AlarmNames: chunk,
            // Without AlarmTypes CloudWatch answers metric alarms only; a composite alarm is an alarm too.
            AlarmTypes: ["MetricAlarm", "CompositeAlarm"],
            MaxRecords: ALARM_BATCH_SIZE,
            NextToken: nextToken,
          }),
        )) as { MetricAlarms?: { AlarmName?: string }[]; CompositeAlarms?: { AlarmName?: string }[]; NextToken?: string };
        for (const alarm of [...(response.MetricAlarms ?? []), ...(response.CompositeAlarms ?? [])])
          if (alarm.AlarmName) existing.add(alarm.AlarmName);
        nextToken = response.NextToken || undefined;
        if (nextToken && seen.has(nextToken)) throw new Error("cloudwatch:DescribeAlarms repeated a page token.");
        if (nextToken) seen.add(nextToken);
      } while (nextToken);
    }),
  );
  return existing;
}

/**
 * The group's info with only existing alarms listed, and how many distinct listed names do not
 * exist. Names of the wrong type are left in place for the adapter to report as malformed.
 */
export function withExistingAlarms(info: Info, existing: ReadonlySet<string>): { info: Info; absent: number } {
  const configuration = info["alarmConfiguration"];
  if (typeof configuration !== "object" || configuration === null) return { info, absent: 0 };
  const alarms = (configuration as Record<string, unknown>)["alarms"];
  if (!Array.isArray(alarms)) return { info, absent: 0 };
  const absentNames = new Set<string>();
  const kept = alarms.filter((alarm: unknown) => {
    const name = typeof alarm === "object" && alarm !== null ? (alarm as Record<string, unknown>)["name"] : undefined;
    if (typeof name !== "string" || name === "" || existing.has(name)) return true;
    absentNames.add(name);
    return false;
  });
  if (absentNames.size === 0) return { info, absent: 0 };
  return {
    info: { ...info, alarmConfiguration: { ...(configuration as Record<string, unknown>), alarms: kept } },
    absent: absentNames.size,
  };
}
