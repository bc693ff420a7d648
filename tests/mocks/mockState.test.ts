import { describe, expect, it } from "vitest";
import { autoname, mockResource } from "../../packages/tools/src/mocks/mockState";

const lookup = { findByType: () => [] };
const req = {
  urn: "urn:pulumi:dev::p::aws:codedeploy/application:Application::app",
  type: "aws:codedeploy/application:Application",
  name: "app",
  custom: true,
  inputs: { computePlatform: "Lambda" },
  region: "eu-west-1",
};

describe("mock resource state", () => {
  it("plans a create in preview: inputs only, no id", () => {
    expect(mockResource(req, "preview", lookup)).toEqual({ id: undefined, state: { computePlatform: "Lambda" } });
  });

  it("returns provider-computed outputs in update, deterministically", () => {
    const a = mockResource(req, "update", lookup);
    expect(a).toEqual(mockResource(req, "update", lookup));
    expect(a.state["name"]).toMatch(/^app-[0-9a-f]{7}$/);
    expect(a.state["arn"]).toBe(`arn:aws:codedeploy:eu-west-1:123456789012:application:${a.state["name"] as string}`);
    expect(a.state["computePlatform"]).toBe("Lambda");
    expect(a.id).toMatch(/:app-[0-9a-f]{7}$/);
  });

  it("keeps a name the program gave and honours length limits", () => {
    expect(mockResource({ ...req, inputs: { name: "given" } }, "update", lookup).state["name"]).toBe("given");
    expect(autoname("a-very-long-load-balancer-name-indeed", "s", 32)).toHaveLength(32);
  });
});
