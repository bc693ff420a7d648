import { describe, expect, it } from "vitest";
import { check, classic, ecsGroupProps, native, nativeServerGroupProps, SENTINEL, serverGroupProps } from "./fixtures";

const POLICY = "codedeploy-outdated-instances-update";

describe(POLICY, () => {
  it.each([["UPDATE"], [undefined]])("passes a Server group with outdatedInstancesStrategy %s", (strategy) => {
    expect(check(POLICY, classic.group("api-dg", serverGroupProps({ outdatedInstancesStrategy: strategy }))).verdict).toBe("pass");
  });

  it("is advisory for IGNORE, naming the group, the value and the fix", () => {
    const result = check(POLICY, classic.group("api-dg", serverGroupProps({ outdatedInstancesStrategy: "IGNORE" })));
    expect(result.verdict).toBe("advisory");
    expect(result.message).toContain('"api-dg"');
    expect(result.message).toContain("outdatedInstancesStrategy IGNORE");
    expect(result.message).toContain("set it to UPDATE");
    expect(result.finding?.reason).toBe("violation");
  });

  it("is mandatory when the config raises its level", () => {
    const group = classic.group("api-dg", serverGroupProps({ outdatedInstancesStrategy: "IGNORE" }));
    expect(check(POLICY, group, [], { [POLICY]: "mandatory" }).verdict).toBe("mandatory");
  });

  it("does not apply to ECS groups", () => {
    expect(check(POLICY, classic.group("svc-dg", ecsGroupProps({ outdatedInstancesStrategy: "IGNORE" }))).verdict).toBe("pass");
  });

  it("is advisory (undecidable) when the strategy is unknown", () => {
    const result = check(POLICY, classic.group("api-dg", serverGroupProps({ outdatedInstancesStrategy: SENTINEL })));
    expect(result.verdict).toBe("advisory");
    expect(result.finding?.reason).toBe("undecidable");
  });

  it("reads AWS Native groups", () => {
    expect(check(POLICY, native.group("api-dg", nativeServerGroupProps({ outdatedInstancesStrategy: "IGNORE" }))).verdict).toBe("advisory");
  });
});
