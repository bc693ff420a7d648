// Shared set-up of the gRPC-level tests: build the pack once (the tests start the compiled pack, as
// the engine does), start it with the engine client, and build engine resources.
import { afterAll, beforeAll } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  makeUrn,
  realEnginePayloads,
  secret,
  startPolicyPack,
  UNKNOWN_SENTINEL,
  type Diagnostic,
  type EngineResource,
  type PolicyPackClient,
  type PolicyPackConfig,
  type RealEngineOptions,
  type WireProperties,
  type WireValue,
} from "../../packages/tools/src/engine";
import { POLICY } from "../../policy-pack/rules";
import {
  classicEngineStack,
  classicGroupInputs,
  COMPLIANT_CONFIGS,
  COMPLIANT_GROUPS,
  nativeGroupProps,
  onConfig,
} from "../support/fixtures";

export const ROOT = resolve(__dirname, "../..");
/** The tools workspace package (check, audit, the engine client); its dist/ holds the bins. */
export const TOOLS_ROOT = join(ROOT, "packages", "tools");
export const UNKNOWN: WireValue = UNKNOWN_SENTINEL;
export { secret };

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function isBuilt(): boolean {
  // The pack, and the tools (their compiled copies are what bins and child processes of tests load).
  const entries = [join(ROOT, "dist/policy-pack/index.js"), join(TOOLS_ROOT, "dist/check/cli.js")];
  if (!entries.every((entry) => existsSync(entry))) return false;
  const sources = Math.max(
    newestSource(join(ROOT, "policy-pack")),
    newestSource(join(TOOLS_ROOT, "src")),
    statSync(join(ROOT, "tsconfig.build.json")).mtimeMs,
    statSync(join(TOOLS_ROOT, "tsconfig.build.json")).mtimeMs,
  );
  return Math.min(...entries.map((entry) => statSync(entry).mtimeMs)) >= sources;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `work` while holding `.tmp/<name>.lock`. Test files run in parallel forks, and some steps touch
 * shared files (dist/, package.json during `npm pack`): one fork does the step while the others wait.
 */
export function withRepositoryLock<T>(name: string, work: () => T): T {
  const lock = join(ROOT, ".tmp", `${name}.lock`);
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than two minutes belongs to a step that died.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited too long for ${lock}; remove it if no test is running`);
      sleep(200);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Compiles the pack and the tools when their dist/ is older than their sources, one fork at a time. */
export function ensurePackBuilt(): void {
  if (isBuilt()) return;
  withRepositoryLock("engine-build", () => {
    if (isBuilt()) return;
    try {
      // Without cleaning dist/ first: other test files may be running the pack from it.
      execFileSync(process.execPath, ["scripts/prepare.js", "--no-clean"], { cwd: ROOT, stdio: "pipe" });
    } catch (error) {
      const output = error as { stdout?: Buffer; stderr?: Buffer };
      throw new Error(
        `npm run build failed, so the pack cannot be started:\n${output.stdout?.toString() ?? ""}${output.stderr?.toString() ?? ""}`,
      );
    }
  });
}

export async function startPack(configure?: PolicyPackConfig): Promise<PolicyPackClient> {
  ensurePackBuilt();
  return startPolicyPack({ packDir: ROOT, timeoutMs: 30_000, configure });
}

/**
 * The compiled pack for the calling spec file: started before its tests, stopped after them. Call at
 * the top level of a spec; the client it returns forwards to the running pack.
 */
export function usePack(configure?: PolicyPackConfig): PolicyPackClient {
  let client: PolicyPackClient | undefined;
  const running = (): PolicyPackClient => {
    if (client === undefined) throw new Error("the pack is not running: call usePack() at the top level of the spec, not inside a test");
    return client;
  };
  beforeAll(async () => {
    client = await startPack(configure);
  });
  afterAll(async () => {
    await client?.close();
  });
  return {
    get port() {
      return running().port;
    },
    get pid() {
      return running().pid;
    },
    getAnalyzerInfo: () => running().getAnalyzerInfo(),
    getPluginInfo: () => running().getPluginInfo(),
    configure: (config) => running().configure(config),
    configureStack: (tags, context) => running().configureStack(tags, context),
    analyze: (resource) => running().analyze(resource),
    analyzeStack: (resources) => running().analyzeStack(resources),
    remediate: (resource) => running().remediate(resource),
    stderr: () => running().stderr(),
    close: () => running().close(),
  };
}

// ---- resources ---------------------------------------------------------------------------------

export const CLASSIC = {
  group: "aws:codedeploy/deploymentGroup:DeploymentGroup",
  config: "aws:codedeploy/deploymentConfig:DeploymentConfig",
  application: "aws:codedeploy/application:Application",
} as const;

export const NATIVE = {
  group: "aws-native:codedeploy:DeploymentGroup",
  config: "aws-native:codedeploy:DeploymentConfig",
  application: "aws-native:codedeploy:Application",
} as const;

/** Short handles on the policies' names, from the rule registry. */
export const POLICIES = POLICY;

export function resource(
  type: string,
  name: string,
  properties: WireProperties,
  extra: Partial<Pick<EngineResource, "propertyDependencies" | "dependencies" | "parent" | "options" | "provider">> = {},
): EngineResource {
  return { urn: makeUrn("dev", "ml-service", type, name), type, name, properties, ...extra };
}

export const PROVIDER = {
  urn: "urn:pulumi:dev::ml-service::pulumi:providers:aws::default_7_0_0",
  type: "pulumi:providers:aws",
  name: "default_7_0_0",
  properties: { region: "eu-west-1", version: "7.0.0" },
};

// The compliant resources are the shared fixtures (tests/support/fixtures). This tier's Server group
// deploys with the shared custom Server config, which its stack carries, so a config change reaches it.

/** A compliant AWS classic Server group on the custom config "safe-rolling", as its inputs arrive in Analyze. */
export function compliantClassicGroupProps(): WireProperties {
  return classicGroupInputs(onConfig(COMPLIANT_GROUPS.Server, COMPLIANT_CONFIGS.Server));
}

/** The compliant classic stack: application, custom Server config and group (given props, or the compliant ones). */
export function compliantClassicStack(groupProps: WireProperties = compliantClassicGroupProps()): {
  application: EngineResource;
  config: EngineResource;
  group: EngineResource;
} {
  const stack = classicEngineStack(COMPLIANT_GROUPS.Server, COMPLIANT_CONFIGS.Server, {
    stack: "dev",
    project: "ml-service",
    provider: PROVIDER,
    groupProps,
  });
  return { application: stack.application, config: stack.config!, group: stack.group };
}

/** A compliant AWS Native Server group (CloudFormation shape). */
export function compliantNativeGroupProps(): WireProperties {
  return nativeGroupProps(COMPLIANT_GROUPS.Server);
}

/** Sets `path` (dotted) in a copy of `props`. */
export function withValue(props: WireProperties, path: string, value: WireValue | undefined): WireProperties {
  const copy = structuredClone(props) as Record<string, WireValue>;
  const keys = path.split(".");
  let target = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, WireValue>;
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

export function mandatory(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.enforcementLevel === "mandatory");
}

export function byPolicy(diagnostics: readonly Diagnostic[], policy: string): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.policyName === policy);
}

// ---- what a real preview or update sends --------------------------------------------------------

/** A resource of `stack` (a test's own stack name keeps its URNs apart from other tests' in one pack process). */
export function stackResource(
  stack: string,
  type: string,
  name: string,
  properties: WireProperties,
  extra: Partial<Pick<EngineResource, "propertyDependencies" | "dependencies" | "parent" | "options" | "provider">> = {},
): EngineResource {
  return { urn: makeUrn(stack, "ml-service", type, name), type, name, properties, provider: PROVIDER, ...extra };
}

export interface RealRun {
  /** Analyze diagnostics, each given the URN of the resource analyzed. */
  readonly analyze: Diagnostic[];
  readonly stack: Diagnostic[];
  readonly all: Diagnostic[];
}

/**
 * One preview or update as the real engine runs it (tools/engine/realEngine.ts): Analyze on every
 * resource's checked inputs, in registration order, then AnalyzeStack on the outputs, in the
 * (seeded) order given. `analyze: false` skips Analyze, as when the pack saw none for these URNs.
 */
export async function realRun(
  pack: PolicyPackClient,
  resources: readonly EngineResource[],
  options: RealEngineOptions & { readonly analyze?: boolean },
): Promise<RealRun> {
  const payloads = realEnginePayloads(resources, options);
  const analyze: Diagnostic[] = [];
  if (options.analyze !== false) {
    for (const item of payloads.analyze) {
      for (const diagnostic of (await pack.analyze(item)).diagnostics) analyze.push({ ...diagnostic, urn: diagnostic.urn || item.urn });
    }
  }
  const stack = [...(await pack.analyzeStack(payloads.analyzeStack)).diagnostics];
  return { analyze, stack, all: [...analyze, ...stack] };
}

export function about(diagnostics: readonly Diagnostic[], urn: string): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.urn === urn);
}

/** A diagnostic as one comparable line (order-independent comparisons sort these). */
export function diagnosticKey(diagnostic: Diagnostic): string {
  return `${diagnostic.policyName}|${diagnostic.enforcementLevel}|${diagnostic.urn}|${diagnostic.message}`;
}
