// Props the pack cannot take at face value (docs/resolution.md, "AnalyzeStack gets outputs, not
// inputs"): outputs that are empty while the provider's configuration is unknown, or that lack the
// field identifying the resource, are not what the engine would check; and the plain value behind
// the policy SDK's proxies is read without ever looping on a proxy that answers with itself.
import { describe, expect, it } from "vitest";
import { unreadableModel, unreadableReason } from "../../policy-pack/adapters";
import { AWS_CLASSIC_TYPES } from "../../policy-pack/adapters/awsClassic";
import { AWS_NATIVE_TYPES } from "../../policy-pack/adapters/awsNative";
import { proxyTarget } from "../../policy-pack/adapters/read";
import { UNKNOWN } from "../../policy-pack/core/model";
import { native } from "../policies/fixtures";

const NO_PROPERTIES =
  "the engine sent no properties for it (outputs are empty while its provider's configuration is unknown during preview)";

describe("unreadableReason", () => {
  it("props that are not an object are no properties at all", () => {
    for (const props of ["appName", 0, null, undefined]) {
      expect(unreadableReason(AWS_CLASSIC_TYPES.deploymentGroup, props)).toBe(NO_PROPERTIES);
    }
  });

  it("one key of the user's among `__` keys is enough to be read; an `_` key is the user's", () => {
    expect(unreadableReason(AWS_CLASSIC_TYPES.deploymentGroup, { __defaults: [], __meta: "x", appName: "api" })).toBeUndefined();
    expect(unreadableReason(AWS_NATIVE_TYPES.deploymentConfig, { _note: "x" })).toBeUndefined();
    expect(unreadableReason(AWS_NATIVE_TYPES.deploymentConfig, { __defaults: [] })).toBe(NO_PROPERTIES);
  });

  it("the AWS Native application and config name themselves, so no field is required of them", () => {
    expect(unreadableReason(AWS_NATIVE_TYPES.application, { computePlatform: "Lambda" })).toBeUndefined();
    expect(unreadableReason(AWS_NATIVE_TYPES.deploymentConfig, { computePlatform: "Lambda" })).toBeUndefined();
  });

  it("each identifying field is the one its provider requires", () => {
    expect(unreadableReason(AWS_CLASSIC_TYPES.deploymentGroup, { appName: "api" })).toBeUndefined();
    expect(unreadableReason(AWS_CLASSIC_TYPES.deploymentConfig, { deploymentConfigName: "rollout" })).toBeUndefined();
    expect(unreadableReason(AWS_CLASSIC_TYPES.application, { name: "api" })).toBeUndefined();
    expect(unreadableReason(AWS_NATIVE_TYPES.deploymentGroup, { applicationName: "api" })).toBeUndefined();
    expect(unreadableReason(AWS_NATIVE_TYPES.deploymentGroup, { appName: "api" })).toBe(
      "the engine sent its properties without applicationName",
    );
  });
});

describe("unreadableModel", () => {
  it("an AWS Native group: every field unknown, its dependencies none, and why", () => {
    const model = unreadableModel(native.group("dg", {}), "why");
    expect(model).toMatchObject({
      kind: "deploymentGroup",
      resource: { name: "dg" },
      unreadable: "why",
      applicationName: UNKNOWN,
      deploymentConfigName: UNKNOWN,
      autoRollback: UNKNOWN,
      alarmConfiguration: UNKNOWN,
      applicationDependencies: [],
      deploymentConfigDependencies: [],
    });
  });
});

describe("proxyTarget", () => {
  /** An object that answers `__getSpecialProxyTarget` with `next()`, as the SDK's proxies do. */
  const wrapper = (label: string, next: () => unknown) => ({
    label,
    get __getSpecialProxyTarget() {
      return next();
    },
  });

  it("unwraps nested proxies to the plain value", () => {
    const plain = { appName: "api" };
    expect(proxyTarget(wrapper("outer", () => wrapper("inner", () => plain)))).toBe(plain);
  });

  it("a target that is not an object (null, a string) is no proxy: the value itself", () => {
    const nullTarget = wrapper("null", () => null);
    expect(proxyTarget(nullTarget)).toBe(nullTarget);
    const stringTarget = wrapper("string", () => "text");
    expect(proxyTarget(stringTarget)).toBe(stringTarget);
  });

  it("a proxy that answers with itself, or a cycle, ends after four unwrappings", () => {
    const self: { label: string; __getSpecialProxyTarget?: unknown } = { label: "self" };
    self.__getSpecialProxyTarget = self;
    expect(proxyTarget(self)).toBe(self);
    // a -> b -> a -> b -> a: four steps from a end on a.
    const a: { label: string; __getSpecialProxyTarget?: unknown } = { label: "a" };
    const b = { label: "b", __getSpecialProxyTarget: a };
    a.__getSpecialProxyTarget = b;
    expect(proxyTarget(a)).toBe(a);
    expect(proxyTarget(b)).toBe(b);
  });
});
