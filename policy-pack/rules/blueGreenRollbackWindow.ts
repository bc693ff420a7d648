import { exemptionsSchema, type Exemption } from "../core/config";
import type { Finding } from "../core/findings";
import { isMalformed, isUnknown, type ComputePlatform, type DeploymentGroupModel } from "../core/model";
import { decidePlatform } from "../core/resolve";
import { Problems, UNDEFINED_VALUE, undecidedPlatformFinding, type Rule } from "./rule";

export interface BlueGreenRollbackWindowConfig {
  readonly minTerminationWaitMinutes: number;
  readonly exemptions: readonly Exemption[];
}

const POLICY = "codedeploy-blue-green-rollback-window";
/** CodeDeploy's upper bound for terminationWaitTimeInMinutes (two days). */
export const MAX_TERMINATION_WAIT_MINUTES = 2880;

export const blueGreenRollbackWindow: Rule<BlueGreenRollbackWindowConfig, typeof POLICY> = {
  scope: "stack",
  metadata: {
    name: POLICY,
    displayName: "Blue/green deployments keep the old fleet long enough to roll back",
    description:
      "Blue/green deployment groups keep the original fleet (or ECS task set) for a while after a release succeeds, so a fault that shows only under real traffic, such as a slow drop in model quality, can still be rolled back quickly.",
    enforcementLevel: "advisory",
    severity: "medium",
    framework: {
      name: "codedeploy-guardrails",
      version: "1",
      reference: "blue-green-rollback-window",
      specification: "https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_BlueInstanceTerminationOption.html",
    },
    url: "https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_BlueInstanceTerminationOption.html",
    remediationSteps:
      'Set blueGreenDeploymentConfig.terminateBlueInstancesOnDeploymentSuccess { action: "TERMINATE", terminationWaitTimeInMinutes: 60 or more } or action "KEEP_ALIVE".',
    violationSummary:
      "a blue/green group terminates the original fleet sooner than `minTerminationWaitMinutes` (default 60) after success, or leaves the termination option unset; `KEEP_ALIVE` passes",
    configSchema: {
      properties: {
        minTerminationWaitMinutes: {
          type: "integer",
          minimum: 0,
          maximum: MAX_TERMINATION_WAIT_MINUTES,
          default: 60,
          description: "Fewest minutes the original fleet must stay after a successful blue/green deployment.",
        },
        exemptions: exemptionsSchema,
      },
    },
  },

  checkGroup(group, context, config) {
    // This policy declares no external configs, so they are no evidence here.
    const decision = decidePlatform(context.resolution, []);
    switch (decision.state) {
      case "conflict":
        return undefined; // reported by codedeploy-gradual-traffic-shifting
      case "undecided": {
        // Lambda passes (there is no original fleet), so only the Server verdict can make it advisory.
        const onServer = checkOnPlatform(group, "Server", config);
        return undecidedPlatformFinding(POLICY, group.resource, decision, onServer ? "Server" : undefined);
      }
      case "decided":
        return checkOnPlatform(group, decision.platform, config);
    }
  },
};

function checkOnPlatform(
  group: DeploymentGroupModel,
  platform: ComputePlatform,
  config: BlueGreenRollbackWindowConfig,
): Finding | undefined {
  // Lambda deployments shift an alias; there is no original fleet to keep.
  if (platform === "Lambda") return undefined;
  const problems = new Problems(POLICY, group.resource, "Deployment group");
  if (platform === "Server") {
    const type = group.deploymentType;
    if (isMalformed(type)) {
      problems.malformedField(type);
      return problems.finding();
    }
    if (isUnknown(type)) {
      // In place passes; blue/green passes only if the window does: the type matters only then.
      if (checkWindow(new Problems(POLICY, group.resource, "Deployment group"), group, config) === undefined) return undefined;
      problems.undecidable("deploymentStyle.deploymentType");
      return problems.finding();
    }
    if (type !== "BLUE_GREEN") return undefined;
  }
  return checkWindow(problems, group, config);
}

function checkWindow(problems: Problems, group: DeploymentGroupModel, config: BlueGreenRollbackWindowConfig): Finding | undefined {
  const fix = `set terminateBlueInstancesOnDeploymentSuccess { action: "TERMINATE", terminationWaitTimeInMinutes: ${config.minTerminationWaitMinutes} or more } or action "KEEP_ALIVE"`;
  const blueGreen = group.blueGreen;
  if (isUnknown(blueGreen)) problems.undecidable("blueGreenDeploymentConfig");
  else if (isMalformed(blueGreen)) problems.malformedField(blueGreen);
  else {
    const action = blueGreen?.terminationAction;
    const wait = blueGreen?.terminationWaitMinutes;
    if (isMalformed(action)) problems.malformedField(action);
    else if (isUnknown(action)) problems.undecidable("terminateBlueInstancesOnDeploymentSuccess.action");
    else if (action === undefined) {
      problems.violation(`is blue/green but leaves the termination of the original fleet unset; ${fix}`);
    } else if (action === "TERMINATE") {
      if (isMalformed(wait)) problems.malformedField(wait);
      else if (isUnknown(wait)) problems.undecidable("terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes");
      else if ((wait ?? 0) < config.minTerminationWaitMinutes) {
        problems.violation(
          wait === undefined
            ? `terminates the original fleet right after success (no terminationWaitTimeInMinutes), not the required ${config.minTerminationWaitMinutes} minutes later, leaving no quick rollback; ${fix}`
            : `terminates the original fleet sooner after success than the required ${config.minTerminationWaitMinutes} minutes, leaving no quick rollback; ${fix}`,
        );
      }
    } else if (action !== "KEEP_ALIVE") {
      problems.violation(`has termination action ${UNDEFINED_VALUE}; ${fix}`);
    }
  }
  return problems.finding();
}
