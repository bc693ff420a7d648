// The packs the benchmarks start, each in its own temporary directory with a PulumiPolicy.yaml, a
// package.json and a symlink to the repository's node_modules, so every one is started exactly as
// the engine starts a pack (`run-policy-pack` resolved from the pack directory, cwd = the pack).
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(__dirname, "..");

export interface PackDirs {
  readonly work: string;
  /** This pack, compiled from the current sources (package.json main = dist/policy-pack/index.js). */
  readonly compiled: string;
  /** An empty PolicyPack: no policies at all. The SDK's floor. */
  readonly empty: string;
  /**
   * An empty pack plus three stack policies that do nothing: what the SDK costs a pack with three
   * stack policies (it decodes the request's resources once per stack policy), the pack's own work
   * left out.
   */
  readonly noopStack: string;
  /** This pack run from its TypeScript sources, as a fresh `pulumi policy new` pack runs. */
  readonly typescript: string;
  /** The 3 resource policies plus the first k stack policies (k = 0..3), from the compiled policies. */
  readonly stackVariants: readonly string[];
  /**
   * This pack on a patched copy of @pulumi/policy (prototypes of an SDK change, not shipped):
   * `shared` decodes a request's resources once for all stack policies; `lazy` decodes a resource's
   * props (and its provider's) only when a policy reads them; `sharedLazy` both.
   */
  readonly sdkPrototypes: Readonly<Record<"shared" | "lazy" | "sharedLazy", string>>;
}

const POLICY_YAML = "runtime: nodejs\nversion: 0.1.0\ndescription: benchmark pack\n";

function packDir(work: string, name: string, packageJson: Record<string, unknown>): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "PulumiPolicy.yaml"), POLICY_YAML);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, version: "0.1.0", ...packageJson }, null, 2));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

export function preparePacks(): PackDirs {
  const work = mkdtempSync(join(tmpdir(), "cdg-bench-"));

  // (a) The compiled pack: the current sources compiled as `npm run build` does (tsconfig.build.json
  // settings), into the bench's own directory, so a stale or concurrently rebuilt dist/ of the
  // repository cannot skew the numbers.
  const compiled = packDir(work, "compiled", { main: "dist/policy-pack/index.js" });
  const rootPackage = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(
    join(compiled, "package.json"),
    JSON.stringify({ ...rootPackage, scripts: {}, main: "dist/policy-pack/index.js" }, null, 2),
  );
  writeFileSync(
    join(work, "tsconfig.bench.json"),
    JSON.stringify({
      extends: join(ROOT, "tsconfig.build.json"),
      compilerOptions: {
        outDir: join(compiled, "dist"),
        rootDir: ROOT,
        declaration: false,
        typeRoots: [join(ROOT, "node_modules/@types")],
      },
      include: [join(ROOT, "policy-pack")],
      exclude: [join(ROOT, "node_modules"), "**/*.test.ts"],
    }),
  );
  const tsc = require.resolve("typescript/bin/tsc", { paths: [ROOT] });
  execFileSync(process.execPath, [tsc, "-p", join(work, "tsconfig.bench.json")], { cwd: ROOT, stdio: "pipe" });

  // (b) The empty pack.
  const empty = packDir(work, "empty", { main: "index.js" });
  writeFileSync(join(empty, "index.js"), `const { PolicyPack } = require("@pulumi/policy");\nnew PolicyPack("empty", { policies: [] });\n`);

  // (b') The empty pack plus three no-op stack policies, on the same SDK.
  const noopStack = packDir(work, "noop-stack", { main: "index.js" });
  writeFileSync(
    join(noopStack, "index.js"),
    [
      `const { PolicyPack } = require("@pulumi/policy");`,
      `const noop = (name) => ({ name, description: "does nothing", enforcementLevel: "advisory", validateStack: () => undefined });`,
      `new PolicyPack("noop-stack", { policies: [noop("noop-1"), noop("noop-2"), noop("noop-3")] });`,
      ``,
    ].join("\n"),
  );

  // (c) The pack from its TypeScript sources: main names the .ts entry, so run-policy-pack
  // registers ts-node with typeCheck: true and the tsconfig.json of the pack directory.
  const typescript = packDir(work, "typescript", { main: "policy-pack/index.ts" });
  cpSync(join(ROOT, "policy-pack"), join(typescript, "policy-pack"), { recursive: true });
  const tsconfig = JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(typescript, "tsconfig.json"), JSON.stringify({ ...tsconfig, include: ["policy-pack"] }, null, 2));

  // Stack-policy variants: the same compiled policies, with 0..3 of the stack policies.
  const policiesModule = join(compiled, "dist/policy-pack/policies.js");
  const stackVariants = [0, 1, 2, 3].map((k) => {
    const dir = packDir(work, `stack-${k}`, { main: "index.js" });
    writeFileSync(
      join(dir, "index.js"),
      [
        `const { PolicyPack, isStackPolicy } = require("@pulumi/policy");`,
        `const { buildPolicies } = require(${JSON.stringify(policiesModule)});`,
        `let stack = 0;`,
        `const policies = buildPolicies().filter((p) => !isStackPolicy(p) || stack++ < ${k});`,
        `new PolicyPack("stack-${k}", { policies });`,
        ``,
      ].join("\n"),
    );
    return dir;
  });

  const sdkPrototypes = {
    shared: prototypePack(work, compiled, "shared", { shared: true, lazy: false }),
    lazy: prototypePack(work, compiled, "lazy", { shared: false, lazy: true }),
    sharedLazy: prototypePack(work, compiled, "shared-lazy", { shared: true, lazy: true }),
  };

  return { work, compiled, empty, noopStack, typescript, stackVariants, sdkPrototypes };
}

function replaceOnce(text: string, search: string, replacement: string): string {
  const at = text.indexOf(search);
  if (at < 0 || text.indexOf(search, at + 1) >= 0) {
    throw new Error(`the @pulumi/policy prototype patch no longer applies (${JSON.stringify(search.slice(0, 60))}); update bench/packs.ts`);
  }
  return text.slice(0, at) + replacement + text.slice(at + search.length);
}

/** Patches makeAnalyzeStackRpcFun of @pulumi/policy 1.21's server.js. */
export function patchAnalyzeStack(server: string, options: { shared: boolean; lazy: boolean }): string {
  const begin = server.indexOf("function makeAnalyzeStackRpcFun(");
  const end = server.indexOf("exports.makeAnalyzeStackRpcFun = makeAnalyzeStackRpcFun;");
  if (begin < 0 || end < 0) throw new Error("makeAnalyzeStackRpcFun not found in @pulumi/policy/server.js; update bench/packs.ts");
  let body = server.slice(begin, end);
  if (options.lazy) {
    body = replaceOnce(
      body,
      `const deserd = deserialize_1.deserializeProperties(r.getProperties(), false);
                            const props = proxy_1.unknownCheckingProxy(deserd);
                            const resource = {
                                type,
                                props,`,
      `let lazyProps;
                            const getProps = () => lazyProps !== undefined ? lazyProps : (lazyProps = proxy_1.unknownCheckingProxy(deserialize_1.deserializeProperties(r.getProperties(), false)));
                            const resource = {
                                type,
                                get props() { return getProps(); },`,
    );
    body = replaceOnce(
      body,
      `return isTypeOf(type, resourceClass)
                                        ? props
                                        : undefined;`,
      `return isTypeOf(type, resourceClass)
                                        ? getProps()
                                        : undefined;`,
    );
    body = replaceOnce(
      body,
      `const provider = getProviderResource(r);
                            if (provider) {
                                resource.provider = provider;
                            }`,
      `if (r.getProvider()) {
                                let lazyProvider;
                                Object.defineProperty(resource, "provider", { enumerable: true, get: () => lazyProvider !== undefined ? lazyProvider : (lazyProvider = getProviderResource(r)) });
                            }`,
    );
  }
  if (options.shared) {
    body = replaceOnce(body, "let notApplicable = undefined;", "let notApplicable = undefined;\n            let sharedResources;");
    body = replaceOnce(
      body,
      "const intermediates = [];",
      "if (sharedResources === undefined) {\n                        const intermediates = [];",
    );
    body = replaceOnce(
      body,
      `const args = {
                            resources: intermediates.map(r => r.resource),`,
      `sharedResources = intermediates.map(r => r.resource);
                        }
                        const args = {
                            resources: sharedResources,`,
    );
  }
  return server.slice(0, begin) + body + server.slice(end);
}

/** The compiled pack on its own node_modules: links to the repository's, but a patched @pulumi/policy. */
function prototypePack(work: string, compiled: string, name: string, options: { shared: boolean; lazy: boolean }): string {
  const dir = join(work, `prototype-${name}`);
  mkdirSync(join(dir, "node_modules/@pulumi"), { recursive: true });
  writeFileSync(join(dir, "PulumiPolicy.yaml"), POLICY_YAML);
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: `prototype-${name}`, version: "0.1.0", main: "dist/policy-pack/index.js" }),
  );
  cpSync(join(compiled, "dist"), join(dir, "dist"), { recursive: true });
  const modules = join(ROOT, "node_modules");
  for (const entry of readdirSync(modules)) {
    if (entry !== "@pulumi") symlinkSync(join(modules, entry), join(dir, "node_modules", entry));
  }
  for (const entry of readdirSync(join(modules, "@pulumi"))) {
    if (entry !== "policy") symlinkSync(join(modules, "@pulumi", entry), join(dir, "node_modules/@pulumi", entry));
  }
  const policy = join(dir, "node_modules/@pulumi/policy");
  cpSync(join(modules, "@pulumi/policy"), policy, { recursive: true });
  const server = join(policy, "server.js");
  writeFileSync(server, patchAnalyzeStack(readFileSync(server, "utf8"), options));
  return dir;
}
