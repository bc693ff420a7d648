// Unit tests of the mocks recorder's pure assembly (packages/tools/src/mocks/assembly.ts): hand-built
// intercepted data shaped as the Node SDK sends it to the engine (wire-encoded inputs with the unknown
// sentinel and whole-list secrets, engine URNs without the root stack in the type chain, provider
// references `<urn>::<id>`, property dependencies, components and stack outputs) in, the recording out.
// No child process and no SDK: tests/mocks/recorder.test.ts runs real programs end to end.

import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { SECRET_SIG, SPECIAL_SIG_KEY, UNKNOWN_SENTINEL, type WireProperties, type WireValue } from "../../packages/tools/src/engine/types";
import {
  assembleRecording,
  declarationSite,
  emptyIntercepted,
  missingInvokeLine,
  missingMocksMessage,
  regionOf,
  resourceOptions,
  resourcesOfType,
  splitProviderRef,
  stackReferenceAnswer,
  stackReferenceName,
  stackResources,
  withGivenOutputs,
  withoutPlaceholders,
  type AssemblyContext,
  type Intercepted,
  type InterceptedOptions,
  type InterceptedRegistration,
} from "../../packages/tools/src/mocks/assembly";

const GROUP = "aws:codedeploy/deploymentGroup:DeploymentGroup";
const CONFIG = "aws:codedeploy/deploymentConfig:DeploymentConfig";
const ROLE = "aws:iam/role:Role";
const COMPONENT = "acme:deploy:SafeDeploymentGroup";
const STACK_URN = "urn:pulumi:dev::svc::pulumi:pulumi:Stack::svc-dev";
const COMPONENT_URN = `urn:pulumi:dev::svc::${COMPONENT}::orders`;
const GROUP_URN = `urn:pulumi:dev::svc::${COMPONENT}$${GROUP}::orders`;
const CONFIG_URN = `urn:pulumi:dev::svc::${CONFIG}::canary`;
const ROLE_URN = `urn:pulumi:dev::svc::${ROLE}::deployer`;
const PROVIDER_URN = "urn:pulumi:dev::svc::pulumi:providers:aws::east2";
const RUNNER_DIR = path.resolve("/opt/tools/dist/mocks");
const PROGRAM = path.resolve("/home/dev/svc/index.ts");

function secret(value: WireValue): WireValue {
  return { [SPECIAL_SIG_KEY]: SECRET_SIG, value };
}

const NO_OPTIONS: InterceptedOptions = {
  protect: false,
  ignoreChanges: [],
  deleteBeforeReplace: false,
  aliasUrns: [],
  aliases: [],
  additionalSecretOutputs: [],
};

function registration(
  fields: Partial<InterceptedRegistration> & Pick<InterceptedRegistration, "urn" | "type" | "name" | "custom">,
): InterceptedRegistration {
  return { inputs: {}, dependencies: [], propertyDependencies: {}, options: NO_OPTIONS, frames: [], ...fields };
}

function intercepted(registrations: InterceptedRegistration[], registeredOutputs: Record<string, WireProperties> = {}): Intercepted {
  return { ...emptyIntercepted(), registrations, registeredOutputs };
}

function context(fields: Partial<AssemblyContext> = {}): AssemblyContext {
  return {
    stack: "dev",
    project: "svc",
    mode: "preview",
    config: { "aws:region": "eu-west-1", "aws:skipCredentialsValidation": "true", "svc:fleetSize": "3" },
    runnerDir: RUNNER_DIR,
    ...fields,
  };
}

const stack = registration({ urn: STACK_URN, type: "pulumi:pulumi:Stack", name: "svc-dev", custom: false });
const component = registration({
  urn: COMPONENT_URN,
  type: COMPONENT,
  name: "orders",
  custom: false,
  parent: STACK_URN,
  inputs: {},
});
/** A classic group in a preview: the config and role are created in the same stack, so their names are unknown. */
const groupInputs: WireProperties = {
  appName: "orders-app",
  deploymentGroupName: "orders",
  deploymentConfigName: UNKNOWN_SENTINEL,
  serviceRoleArn: UNKNOWN_SENTINEL,
  autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
  alarmConfiguration: { enabled: true, alarms: secret(["orders-5xx", "orders-latency"]) },
};
const group = registration({
  urn: GROUP_URN,
  type: GROUP,
  name: "orders",
  custom: true,
  parent: COMPONENT_URN,
  version: "6.83.0",
  inputs: groupInputs,
  dependencies: [CONFIG_URN, ROLE_URN],
  propertyDependencies: { deploymentConfigName: [CONFIG_URN], serviceRoleArn: [ROLE_URN], appName: [] },
});

describe("assembleRecording: resources as the engine sends them to Analyze", () => {
  it("passes inputs, dependencies and property dependencies through exactly as the SDK sent them", () => {
    const recording = assembleRecording(intercepted([stack, component, group]), context());
    const recorded = recording.resources.find((r) => r.urn === GROUP_URN);
    expect(recorded).toBeDefined();
    expect(recorded!.properties).toEqual(groupInputs);
    expect(recorded!.properties["deploymentConfigName"]).toBe(UNKNOWN_SENTINEL);
    expect(recorded!.properties["alarmConfiguration"]).toEqual({ enabled: true, alarms: secret(["orders-5xx", "orders-latency"]) });
    expect(recorded!.dependencies).toEqual([CONFIG_URN, ROLE_URN]);
    expect(recorded!.propertyDependencies).toEqual({ deploymentConfigName: [CONFIG_URN], serviceRoleArn: [ROLE_URN], appName: [] });
    expect(recorded!.parent).toBe(COMPONENT_URN);
    expect(recorded!.options).toEqual({ parent: COMPONENT_URN });
  });

  it("gives a custom resource that names no provider the engine's default provider for its package and version, listed first", () => {
    const config = registration({ urn: CONFIG_URN, type: CONFIG, name: "canary", custom: true, parent: STACK_URN, version: "6.83.0" });
    const unversioned = registration({ urn: ROLE_URN, type: ROLE, name: "deployer", custom: true, parent: STACK_URN });
    const recording = assembleRecording(intercepted([stack, component, config, group, unversioned]), context());
    const versionedUrn = "urn:pulumi:dev::svc::pulumi:providers:aws::default_6_83_0";
    const plainUrn = "urn:pulumi:dev::svc::pulumi:providers:aws::default";
    expect(recording.defaultProviders).toEqual([versionedUrn, plainUrn]);
    expect(recording.resources.map((r) => r.urn)).toEqual([
      versionedUrn,
      plainUrn,
      STACK_URN,
      COMPONENT_URN,
      CONFIG_URN,
      GROUP_URN,
      ROLE_URN,
    ]);
    const versioned = {
      urn: versionedUrn,
      type: "pulumi:providers:aws",
      name: "default_6_83_0",
      // Only the `aws:` config, without its namespace; the project's own keys are not the provider's.
      properties: { region: "eu-west-1", skipCredentialsValidation: "true", version: "6.83.0" },
    };
    expect(recording.resources[0]).toEqual({ ...versioned, dependencies: [], propertyDependencies: {} });
    expect(recording.resources.find((r) => r.urn === GROUP_URN)!.provider).toEqual(versioned);
    expect(recording.resources.find((r) => r.urn === CONFIG_URN)!.provider).toEqual(versioned);
    expect(recording.resources.find((r) => r.urn === ROLE_URN)!.provider).toEqual({
      urn: plainUrn,
      type: "pulumi:providers:aws",
      name: "default",
      properties: { region: "eu-west-1", skipCredentialsValidation: "true" },
    });
    // Components and the stack have no provider.
    expect(recording.resources.find((r) => r.urn === COMPONENT_URN)!.provider).toBeUndefined();
    expect(recording.resources.find((r) => r.urn === STACK_URN)!.provider).toBeUndefined();
    // A preview does not know the default provider's id; an update does.
    expect(recording.outputs[versionedUrn]).toEqual({ state: versioned.properties });
    const update = assembleRecording(intercepted([stack, group]), context({ mode: "update" }));
    expect(update.outputs[versionedUrn]).toEqual({ id: "default_6_83_0-id", state: versioned.properties });
  });

  it("resolves an explicit provider reference to the registered provider's inputs, in whatever order they were registered", () => {
    const provider = registration({
      urn: PROVIDER_URN,
      type: "pulumi:providers:aws",
      name: "east2",
      custom: true,
      parent: STACK_URN,
      inputs: { region: "us-east-2", version: "6.83.0" },
    });
    const explicit = { ...group, providerRef: `${PROVIDER_URN}::${UNKNOWN_SENTINEL}` };
    const recording = assembleRecording(intercepted([stack, component, explicit, provider]), context());
    expect(recording.resources.find((r) => r.urn === GROUP_URN)!.provider).toEqual({
      urn: PROVIDER_URN,
      type: "pulumi:providers:aws",
      name: "east2",
      properties: { region: "us-east-2", version: "6.83.0" },
    });
    // A provider resource itself and a resource with an explicit provider need no default provider.
    expect(recording.defaultProviders).toEqual([]);
    expect(recording.resources.find((r) => r.urn === PROVIDER_URN)!.provider).toBeUndefined();
  });

  it("names a provider the program never registered from its URN, without properties", () => {
    const ghostUrn = `urn:pulumi:dev::svc::${COMPONENT}$pulumi:providers:aws::ghost`;
    const recording = assembleRecording(intercepted([stack, component, { ...group, providerRef: `${ghostUrn}::1f2e` }]), context());
    expect(recording.resources.find((r) => r.urn === GROUP_URN)!.provider).toEqual({
      urn: ghostUrn,
      type: "pulumi:providers:aws",
      name: "ghost",
      properties: {},
    });
  });

  it("records only the options that were set, aliases from both fields", () => {
    const options: InterceptedOptions = {
      protect: true,
      ignoreChanges: ["tags"],
      deleteBeforeReplace: true,
      aliasUrns: [`urn:pulumi:dev::svc::${GROUP}::orders`],
      aliases: ["urn:pulumi:dev::svc::acme:Old$aws:codedeploy/deploymentGroup:DeploymentGroup::orders"],
      additionalSecretOutputs: ["arn"],
    };
    const recording = assembleRecording(intercepted([stack, { ...group, options }]), context());
    expect(recording.resources.find((r) => r.urn === GROUP_URN)!.options).toEqual({
      protect: true,
      ignoreChanges: ["tags"],
      deleteBeforeReplace: true,
      aliases: [...options.aliasUrns, ...options.aliases],
      additionalSecretOutputs: ["arn"],
      parent: COMPONENT_URN,
    });
    // The root stack has no parent and no options: no `options` key at all.
    expect("options" in recording.resources.find((r) => r.urn === STACK_URN)!).toBe(false);
    expect(resourceOptions(NO_OPTIONS, undefined)).toEqual({});
  });
});

describe("assembleRecording: outputs, stack outputs, invokes and reads", () => {
  it("keeps a custom resource's mocked id and state, a component's and the stack's registered outputs", () => {
    const created = {
      ...group,
      id: "dg-0f3a",
      state: { ...groupInputs, arn: "arn:aws:codedeploy:eu-west-1:123456789012:deploymentgroup:orders-app/orders" },
    };
    const planned = registration({ urn: ROLE_URN, type: ROLE, name: "deployer", custom: true, parent: STACK_URN, version: "6.83.0" });
    const exports: WireProperties = { groupName: "orders", token: secret("s3cr3t"), roleArn: UNKNOWN_SENTINEL };
    const recording = assembleRecording(
      intercepted([stack, component, created, planned], { [STACK_URN]: exports, [COMPONENT_URN]: { groupName: "orders" } }),
      context(),
    );
    expect(recording.outputs[GROUP_URN]).toEqual({ id: "dg-0f3a", state: created.state });
    // No answer (or none yet): empty state and no id key.
    expect(recording.outputs[ROLE_URN]).toEqual({ state: {} });
    expect("id" in recording.outputs[ROLE_URN]!).toBe(false);
    expect(recording.outputs[COMPONENT_URN]).toEqual({ state: { groupName: "orders" } });
    expect(recording.outputs[STACK_URN]).toEqual({ state: exports });
    expect(recording.stackOutputs).toEqual(exports);
  });

  it("has empty stack outputs when nothing registered them, and passes invokes and reads through", () => {
    const data = intercepted([stack, group]);
    data.invokes.push({
      token: "aws:index/getCallerIdentity:getCallerIdentity",
      args: {},
      provider: `${PROVIDER_URN}::${UNKNOWN_SENTINEL}`,
    });
    data.reads.push({
      urn: ROLE_URN,
      type: ROLE,
      name: "deployer",
      id: "deployer",
      state: { arn: "arn:aws:iam::123456789012:role/deployer" },
    });
    const recording = assembleRecording(data, context());
    expect(recording.stackOutputs).toEqual({});
    expect(recording.invokes).toEqual(data.invokes);
    expect(recording.reads).toEqual(data.reads);
    expect(assembleRecording(intercepted([group]), context()).stackOutputs).toEqual({});
  });
});

describe("declaration sites", () => {
  const at = (file: string, line: number, column = 5) => ({ uri: pathToFileURL(file).href, line, column });
  const sdkFrame = at(path.resolve("/home/dev/svc/node_modules/@pulumi/pulumi/resource.js"), 210);
  const runnerFrame = at(path.join(RUNNER_DIR, "runner.js"), 40);

  it("is the innermost frame of the user's own code, skipping installed packages, the runner and unusable frames", () => {
    const frames = [
      sdkFrame,
      runnerFrame,
      { uri: "", line: 3, column: 1 },
      { ...at(PROGRAM, 0), line: 0 },
      { uri: "node:internal/x", line: 9, column: 1 },
      at(PROGRAM, 12, 19),
      at(PROGRAM, 40),
    ];
    expect(declarationSite(frames, RUNNER_DIR)).toEqual({ file: PROGRAM, line: 12, column: 19 });
    // A resource created inside a component is located in the component's file, when that is the user's.
    const componentFile = path.resolve("/home/dev/svc/safeGroup.ts");
    expect(declarationSite([sdkFrame, at(componentFile, 30), at(PROGRAM, 12)], RUNNER_DIR)).toEqual({
      file: componentFile,
      line: 30,
      column: 5,
    });
  });

  it("is absent when no frame is the user's, and recorded per URN only where found", () => {
    expect(declarationSite([sdkFrame, runnerFrame], RUNNER_DIR)).toBeUndefined();
    expect(declarationSite([], RUNNER_DIR)).toBeUndefined();
    const recording = assembleRecording(intercepted([stack, { ...group, frames: [sdkFrame, at(PROGRAM, 7, 15)] }]), context());
    expect(recording.locations).toEqual({ [GROUP_URN]: { file: PROGRAM, line: 7, column: 15 } });
  });
});

describe("the mocks' answers during the run", () => {
  it("splits a provider reference at its last `::`", () => {
    expect(splitProviderRef(`${PROVIDER_URN}::${UNKNOWN_SENTINEL}`)).toEqual({ urn: PROVIDER_URN, id: UNKNOWN_SENTINEL });
    expect(splitProviderRef("not-a-reference")).toEqual({ urn: "not-a-reference", id: "" });
  });

  it("answers in the explicit provider's known region, else the stack's aws:region, else the fallback", () => {
    const providers = new Map([
      [PROVIDER_URN, { inputs: { region: "us-east-2" } }],
      ["urn:pulumi:dev::svc::pulumi:providers:aws::planned", { inputs: { region: UNKNOWN_SENTINEL } }],
    ]);
    const config = { "aws:region": "eu-west-1" };
    expect(regionOf(providers, `${PROVIDER_URN}::${UNKNOWN_SENTINEL}`, config, "us-east-1")).toBe("us-east-2");
    expect(regionOf(providers, `urn:pulumi:dev::svc::pulumi:providers:aws::planned::${UNKNOWN_SENTINEL}`, config, "us-east-1")).toBe(
      "eu-west-1",
    );
    expect(regionOf(providers, "urn:pulumi:dev::svc::pulumi:providers:aws::unknown::x", config, "us-east-1")).toBe("eu-west-1");
    expect(regionOf(providers, undefined, config, "us-east-1")).toBe("eu-west-1");
    expect(regionOf(providers, undefined, {}, "us-east-1")).toBe("us-east-1");
  });

  it("gives a stack reference the mocks file's outputs, or says how to add them", () => {
    expect(stackReferenceName("network", { name: "acme/network/prod" })).toBe("acme/network/prod");
    expect(stackReferenceName("network", {})).toBe("network");
    const outputs = { vpcId: "vpc-0a1b", alarmNames: ["orders-5xx"] };
    const answer = stackReferenceAnswer("acme/network/prod", outputs);
    expect(answer).toEqual({ id: "acme/network/prod", state: { name: "acme/network/prod", outputs, secretOutputNames: [] } });
    expect("state" in answer && answer.state["outputs"]).not.toBe(outputs);
    expect(stackReferenceAnswer("acme/network/prod", undefined)).toEqual({
      missing: expect.stringContaining(`{"stackReferences": {"acme/network/prod": {<outputs>}}}`) as unknown,
    });
    expect(stackReferenceAnswer("prod", undefined)).toEqual({
      missing: expect.stringContaining(`{"stackReferences": {"<org>/<project>/<stack>": {<outputs>}}}`) as unknown,
    });
  });

  it("names what an unanswered invoke lacks, and lists each missing mock once", () => {
    const noMatch = missingInvokeLine("aws:iam/getRole:getRole", { name: "deployer", arn: "x" }, "no-match");
    expect(noMatch).toContain("with arguments (arn, name)");
    expect(missingInvokeLine("aws:iam/getRole:getRole", {}, "no-match")).toContain("with arguments (none)");
    expect(missingInvokeLine("acme:index:lookup", {}, "absent")).toContain(`{"invokes": {"acme:index:lookup": {<result>}}}`);
    expect(missingMocksMessage(["a", "b", "a", "c"])).toBe(
      "a (and 2 more: b; c). This is not a fault in the program: check cannot know what the cloud would answer.",
    );
    expect(missingMocksMessage(["a", "a"])).toBe("a. This is not a fault in the program: check cannot know what the cloud would answer.");
  });

  it("applies a mocks file's resource outputs after an update and to a read, never to a planned create", () => {
    const mocked: WireProperties = { arn: UNKNOWN_SENTINEL, name: "orders" };
    const given = { arn: "arn:aws:codedeploy:eu-west-1:123456789012:deploymentgroup:orders-app/orders" };
    expect(withGivenOutputs(mocked, given, "preview", undefined)).toEqual(mocked);
    expect(withGivenOutputs(mocked, given, "preview", "orders-app:orders")).toEqual({ ...mocked, ...given });
    expect(withGivenOutputs(mocked, given, "update", undefined)).toEqual({ ...mocked, ...given });
    expect(withGivenOutputs(mocked, undefined, "update", undefined)).toEqual(mocked);
  });
});

describe("after the run", () => {
  const PLACEHOLDER = "codedeploy-guardrails-check-secure-value";

  it("turns every value carrying the secure placeholder unknown, keeping secrets secret and other values as they are", () => {
    const provider = registration({
      urn: PROVIDER_URN,
      type: "pulumi:providers:aws",
      name: "east2",
      custom: true,
      inputs: { region: "us-east-2", assumeRole: { roleArn: `arn:aws:iam::123456789012:role/${PLACEHOLDER}` } },
    });
    const withSecret = {
      ...group,
      providerRef: `${PROVIDER_URN}::${UNKNOWN_SENTINEL}`,
      inputs: {
        ...groupInputs,
        alarmConfiguration: { enabled: true, alarms: secret([PLACEHOLDER, "orders-latency"]) },
        count: 3,
        flag: null,
      },
      state: { arn: `prefix-${PLACEHOLDER}` },
    };
    const recording = assembleRecording(
      intercepted([stack, provider, withSecret], { [STACK_URN]: { token: secret(PLACEHOLDER) } }),
      context(),
    );
    const before = JSON.stringify(recording);
    const cleaned = withoutPlaceholders(recording, PLACEHOLDER);
    const cleanedGroup = cleaned.resources.find((r) => r.urn === GROUP_URN)!;
    expect(cleanedGroup.properties["alarmConfiguration"]).toEqual({ enabled: true, alarms: secret([UNKNOWN_SENTINEL, "orders-latency"]) });
    expect(cleanedGroup.properties["appName"]).toBe("orders-app");
    expect(cleanedGroup.properties["count"]).toBe(3);
    expect(cleanedGroup.properties["flag"]).toBeNull();
    expect(cleanedGroup.provider!.properties).toEqual({ region: "us-east-2", assumeRole: { roleArn: UNKNOWN_SENTINEL } });
    expect(cleaned.resources.find((r) => r.urn === PROVIDER_URN)!.properties["assumeRole"]).toEqual({ roleArn: UNKNOWN_SENTINEL });
    expect(cleaned.outputs[GROUP_URN]!.state).toEqual({ arn: UNKNOWN_SENTINEL });
    expect(cleaned.stackOutputs).toEqual({ token: secret(UNKNOWN_SENTINEL) });
    expect(JSON.stringify(cleaned)).not.toContain(PLACEHOLDER);
    // The recording it was given is left as it was.
    expect(JSON.stringify(recording)).toBe(before);
  });

  it("gives AnalyzeStack each resource's outputs over its inputs, and filters by type", () => {
    const created = { ...group, state: { deploymentConfigName: "canary-10", arn: "arn:x" } };
    const recording = assembleRecording(intercepted([stack, created]), context());
    const withoutStackOutputs = {
      ...recording,
      outputs: Object.fromEntries(Object.entries(recording.outputs).filter(([urn]) => urn !== STACK_URN)),
    };
    const merged = stackResources(withoutStackOutputs);
    const mergedGroup = merged.find((r) => r.urn === GROUP_URN)!;
    expect(mergedGroup.properties).toEqual({ ...groupInputs, deploymentConfigName: "canary-10", arn: "arn:x" });
    expect(merged.find((r) => r.urn === STACK_URN)).toBe(withoutStackOutputs.resources.find((r) => r.urn === STACK_URN));
    expect(resourcesOfType(recording, GROUP).map((r) => r.urn)).toEqual([GROUP_URN]);
  });
});

describe("assembly.ts stays pure", () => {
  it("imports no SDK, file system or process module, and touches no process global", () => {
    const source = fs.readFileSync(path.resolve(__dirname, "../../packages/tools/src/mocks/assembly.ts"), "utf8");
    const imports = [...source.matchAll(/^import[^;]*? from "([^"]+)";/gms)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((specifier) => !["node:path", "node:url", "../engine/types", "./types", "./urn"].includes(specifier!))).toEqual(
      [],
    );
    expect(source).not.toMatch(/\b(process|require)\s*[.(]/);
  });
});
