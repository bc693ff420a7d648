// What each policy tells the Pulumi CLI and Pulumi Cloud about itself (README "What the pack enforces"):
// its default level and severity, the AWS Config managed rule it matches, a link to the AWS docs, and
// words for every field a user reads (display name, description, remediation steps, each setting).
import { describe, expect, it } from "vitest";
import { POLICY_RUNNERS } from "../../policy-pack/rules";

const metadataOf = (name: string) => {
  const runner = POLICY_RUNNERS.find((candidate) => candidate.metadata.name === name);
  if (!runner) throw new Error(`no policy ${name}`);
  return runner.metadata;
};

const AWS_CONFIG = {
  name: "AWS Config managed rules",
  specification: "https://docs.aws.amazon.com/config/latest/developerguide/managed-rules-by-aws-config.html",
};

describe("policy metadata", () => {
  it.each([
    ["codedeploy-auto-rollback-enabled", "mandatory", "high", "codedeploy-deployment-group-auto-rollback-enabled"],
    ["codedeploy-alarm-rollback-configured", "mandatory", "high", "codedeploy-auto-rollback-monitor-enabled"],
    ["codedeploy-minimum-healthy-hosts", "mandatory", "high", "codedeploy-ec2-minimum-healthy-hosts-configured"],
    ["codedeploy-gradual-traffic-shifting", "mandatory", "high", "codedeploy-lambda-allatonce-traffic-shift-disabled"],
    ["codedeploy-outdated-instances-update", "advisory", "medium", "codedeploy-deployment-group-outdated-instances-update"],
  ])("%s is %s, severity %s, and names the AWS Config rule %s", (name, level, severity, reference) => {
    const metadata = metadataOf(name);
    expect(metadata.enforcementLevel).toBe(level);
    expect(metadata.severity).toBe(severity);
    expect(metadata.framework).toMatchObject({ ...AWS_CONFIG, reference });
  });

  it("codedeploy-blue-green-rollback-window, which no AWS Config rule covers, is advisory and names the pack's own rule", () => {
    const metadata = metadataOf("codedeploy-blue-green-rollback-window");
    expect(metadata.enforcementLevel).toBe("advisory");
    expect(metadata.severity).toBe("medium");
    expect(metadata.framework).toEqual({
      name: "codedeploy-guardrails",
      version: "1",
      reference: "blue-green-rollback-window",
      specification: "https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_BlueInstanceTerminationOption.html",
    });
  });

  it.each(POLICY_RUNNERS.map((runner) => [runner.metadata.name, runner.metadata] as const))(
    "%s links to the CodeDeploy documentation and has words for every field a user reads",
    (_name, metadata) => {
      expect(metadata.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/codedeploy\/latest\/\S+$/);
      expect(metadata.displayName).toMatch(/\S/);
      expect(metadata.description).toMatch(/\S/);
      expect(metadata.remediationSteps).toMatch(/\S/);
      for (const [setting, schema] of Object.entries(metadata.configSchema.properties)) {
        expect(schema.description, `${metadata.name} setting ${setting}`).toMatch(/\S/);
      }
    },
  );
});
