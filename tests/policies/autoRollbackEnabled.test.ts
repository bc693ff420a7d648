import { describe, expect, it } from "vitest";
import {
  check,
  classic,
  lambdaGroupProps,
  native,
  nativeServerGroupProps,
  SECRET_LOOKING,
  SENTINEL,
  serverGroupProps,
  withThrowingKeys,
} from "./fixtures";

const POLICY = "codedeploy-auto-rollback-enabled";

describe(POLICY, () => {
  it("passes a group that rolls back on failure and on alarm", () => {
    expect(check(POLICY, classic.group("api-dg", serverGroupProps())).verdict).toBe("pass");
  });

  it("passes a group that lists more events than required", () => {
    const group = classic.group(
      "api-dg",
      serverGroupProps({
        autoRollbackConfiguration: {
          enabled: true,
          events: ["DEPLOYMENT_STOP_ON_REQUEST", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_FAILURE"],
        },
      }),
    );
    expect(check(POLICY, group).verdict).toBe("pass");
  });

  it("is mandatory when autoRollbackConfiguration is missing, naming the group and the fix", () => {
    const props = serverGroupProps();
    delete props.autoRollbackConfiguration;
    const result = check(POLICY, classic.group("api-dg", props));
    expect(result.verdict).toBe("mandatory");
    expect(result.message).toContain('"api-dg"');
    expect(result.message).toContain("has no autoRollbackConfiguration");
    expect(result.message).toMatch(/enabled: true, events: \[DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM\]/);
  });

  it("is mandatory when rollback is disabled (the console's 'disable rollbacks' keeps the events)", () => {
    const group = classic.group(
      "api-dg",
      serverGroupProps({
        autoRollbackConfiguration: { enabled: false, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
      }),
    );
    const result = check(POLICY, group);
    expect(result.verdict).toBe("mandatory");
    expect(result.message).toContain("enabled is false");
    expect(result.message).toContain("set autoRollbackConfiguration.enabled to true");
  });

  it("is mandatory when enabled is not set at all", () => {
    const group = classic.group(
      "api-dg",
      serverGroupProps({ autoRollbackConfiguration: { events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] } }),
    );
    expect(check(POLICY, group).message).toContain("enabled is not set");
  });

  it.each([
    [["DEPLOYMENT_FAILURE"], "DEPLOYMENT_STOP_ON_ALARM"],
    [["DEPLOYMENT_STOP_ON_ALARM"], "DEPLOYMENT_FAILURE"],
    [[], "DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM"],
  ])("is mandatory when events %j lack %s, and names what is missing", (events, missing) => {
    const group = classic.group("api-dg", serverGroupProps({ autoRollbackConfiguration: { enabled: true, events } }));
    const result = check(POLICY, group);
    expect(result.verdict).toBe("mandatory");
    expect(result.message).toContain(`lack ${missing}`);
    expect(result.message).toContain("add them to autoRollbackConfiguration.events");
  });

  it("is mandatory when events are absent", () => {
    const group = classic.group("api-dg", serverGroupProps({ autoRollbackConfiguration: { enabled: true } }));
    expect(check(POLICY, group).verdict).toBe("mandatory");
  });

  it("follows requiredEvents from config", () => {
    const group = classic.group(
      "api-dg",
      serverGroupProps({ autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE"] } }),
    );
    expect(check(POLICY, group, [], { [POLICY]: { requiredEvents: ["DEPLOYMENT_FAILURE"] } }).verdict).toBe("pass");
    const strict = check(POLICY, group, [], { [POLICY]: { requiredEvents: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_REQUEST"] } });
    expect(strict.verdict).toBe("mandatory");
    expect(strict.message).toContain("DEPLOYMENT_STOP_ON_REQUEST");
  });

  it("reports an event CodeDeploy does not define without echoing it", () => {
    const group = classic.group(
      "api-dg",
      serverGroupProps({
        autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", SECRET_LOOKING] },
      }),
    );
    const result = check(POLICY, group);
    expect(result.verdict).toBe("mandatory");
    expect(result.message).not.toContain(SECRET_LOOKING);
  });

  describe("unknowns during preview", () => {
    it("decides from enabled: false even when events are unknown", () => {
      const group = classic.group("api-dg", serverGroupProps({ autoRollbackConfiguration: { enabled: false, events: SENTINEL } }));
      expect(check(POLICY, group).verdict).toBe("mandatory");
    });

    it("is advisory when only enabled is unknown", () => {
      const group = classic.group(
        "api-dg",
        serverGroupProps({
          autoRollbackConfiguration: { enabled: SENTINEL, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
        }),
      );
      const result = check(POLICY, group);
      expect(result.verdict).toBe("advisory");
      expect(result.message).toContain("can't be checked during preview");
    });

    it("is advisory when the whole block is an unknown proxy", () => {
      const group = classic.group("api-dg", withThrowingKeys(serverGroupProps(), ["autoRollbackConfiguration"]));
      expect(check(POLICY, group).verdict).toBe("advisory");
    });

    it("is advisory when one unknown event could be the missing one", () => {
      const group = classic.group(
        "api-dg",
        serverGroupProps({ autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", SENTINEL] } }),
      );
      expect(check(POLICY, group).verdict).toBe("advisory");
    });

    it("is mandatory when a single unknown event cannot supply both missing events", () => {
      const group = classic.group("api-dg", serverGroupProps({ autoRollbackConfiguration: { enabled: true, events: [SENTINEL] } }));
      expect(check(POLICY, group).verdict).toBe("mandatory");
    });
  });

  it("applies to Lambda groups too", () => {
    const group = classic.group("fn-dg", lambdaGroupProps({ autoRollbackConfiguration: { enabled: false, events: [] } }));
    expect(check(POLICY, group).verdict).toBe("mandatory");
  });

  it("reads AWS Native groups", () => {
    expect(check(POLICY, native.group("api-dg", nativeServerGroupProps())).verdict).toBe("pass");
    const bad = native.group(
      "api-dg",
      nativeServerGroupProps({ autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE"] } }),
    );
    expect(check(POLICY, bad).verdict).toBe("mandatory");
  });

  it("reports at the configured enforcement level", () => {
    const group = classic.group("api-dg", serverGroupProps({ autoRollbackConfiguration: { enabled: false, events: [] } }));
    expect(check(POLICY, group, [], { [POLICY]: "advisory" }).verdict).toBe("advisory");
    expect(check(POLICY, group, [], { [POLICY]: { enforcementLevel: "remediate" } }).verdict).toBe("mandatory");
    expect(check(POLICY, group, [], { [POLICY]: "disabled" }).verdict).toBe("pass");
  });
});
