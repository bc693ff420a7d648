// Reads a Pulumi Node.js project as the Pulumi CLI and language host do: Pulumi.yaml (name, runtime,
// main, project config), Pulumi.<stack>.yaml (stack config), and the npm package manifest
// (`exports` / `main` / `type`) found by searching up from the program directory.

import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

export class ProjectError extends Error {
  constructor(
    readonly kind: "not-a-project" | "unsupported-runtime" | "entry-not-found" | "bad-config",
    message: string,
  ) {
    super(message);
    this.name = "ProjectError";
  }
}

export interface ProjectInfo {
  readonly name: string;
  readonly projectDir: string;
  /** Absolute path of the module the language host would run. */
  readonly entry: string;
  readonly moduleType: "commonjs" | "module";
  /** Project-level config (Pulumi.yaml `config:` values and defaults), fully qualified. */
  readonly projectConfig: Record<string, unknown>;
}

type Yaml = { load(text: string): unknown };
let yaml: Yaml | undefined;
function loadYaml(text: string, file: string): unknown {
  if (!yaml) {
    // js-yaml ships with @pulumi/pulumi (it reads package.yaml manifests with it).
    const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
    yaml = pulumiRequire("js-yaml") as Yaml;
  }
  try {
    return yaml.load(text);
  } catch (err) {
    throw new ProjectError("not-a-project", `${file} is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function qualify(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

function searchupPackageJson(dir: string): string | undefined {
  let current = dir;
  for (;;) {
    const candidate = path.join(current, "package.json");
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

function resolveDirectoryEntry(dir: string, moduleType: "commonjs" | "module"): string | undefined {
  const order =
    moduleType === "module" ? ["index.js", "index.mjs", "index.ts", "index.mts"] : ["index.js", "index.ts", "index.cjs", "index.cts"];
  for (const file of order) {
    const p = path.join(dir, file);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

function resolveFileEntry(p: string): string | undefined {
  if (fs.existsSync(p) && fs.statSync(p).isFile()) return p;
  for (const ext of [".ts", ".js", ".mts", ".mjs", ".cts", ".cjs"]) {
    if (fs.existsSync(p + ext)) return p + ext;
  }
  return undefined;
}

export function readProject(programDir: string): ProjectInfo {
  const projectDir = path.resolve(programDir);
  if (!fs.existsSync(projectDir) || !fs.statSync(projectDir).isDirectory()) {
    throw new ProjectError("not-a-project", `Program directory ${projectDir} does not exist: pass the folder that holds Pulumi.yaml.`);
  }
  const yamlFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(projectDir, f)).find((f) => fs.existsSync(f));
  if (!yamlFile) {
    throw new ProjectError(
      "not-a-project",
      `No Pulumi.yaml in ${projectDir}: pass the folder of a Pulumi project (the one that holds Pulumi.yaml).`,
    );
  }
  const doc = loadYaml(fs.readFileSync(yamlFile, "utf8"), yamlFile);
  if (!isRecord(doc) || typeof doc["name"] !== "string" || !doc["name"]) {
    throw new ProjectError("not-a-project", `${yamlFile} has no project name: add a top-level 'name:'.`);
  }
  const name = doc["name"];
  const runtime = doc["runtime"];
  const runtimeName = typeof runtime === "string" ? runtime : isRecord(runtime) ? runtime["name"] : undefined;
  if (runtimeName !== "nodejs") {
    throw new ProjectError(
      "unsupported-runtime",
      `${yamlFile} declares runtime '${String(runtimeName)}': only Node.js programs (runtime: nodejs, TypeScript or JavaScript) can be run under mocks.`,
    );
  }

  const projectConfig: Record<string, unknown> = {};
  if (isRecord(doc["config"])) {
    for (const [key, raw] of Object.entries(doc["config"])) {
      let value: unknown = raw;
      if (isRecord(raw)) {
        if ("value" in raw) value = raw["value"];
        else if ("default" in raw) value = raw["default"];
        else if ("type" in raw || "description" in raw || "secret" in raw) continue;
      }
      projectConfig[qualify(key, name)] = value;
    }
  }

  const pkgFile = searchupPackageJson(projectDir);
  let pkg: Record<string, unknown> = {};
  if (pkgFile) {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(pkgFile, "utf8"));
      if (isRecord(parsed)) pkg = parsed;
    } catch {
      // Pulumi reads the manifest best-effort too.
    }
  }
  const moduleType = pkg["type"] === "module" ? "module" : "commonjs";
  const packageRoot = pkgFile ? path.dirname(pkgFile) : projectDir;

  let entry: string | undefined;
  let declared: string;
  if (typeof doc["main"] === "string" && doc["main"]) {
    declared = `main: ${doc["main"]} in ${yamlFile}`;
    const p = path.resolve(projectDir, doc["main"]);
    entry = fs.existsSync(p) && fs.statSync(p).isDirectory() ? resolveDirectoryEntry(p, moduleType) : resolveFileEntry(p);
  } else {
    let fromPackage: string | undefined;
    const exportsField = pkg["exports"];
    if (typeof exportsField === "string") fromPackage = exportsField;
    else if (isRecord(exportsField)) {
      const dot = exportsField["."];
      if (typeof dot === "string") fromPackage = dot;
      else if (isRecord(dot)) {
        const target = dot["default"] ?? dot["require"] ?? dot["import"];
        if (typeof target === "string") fromPackage = target;
      }
    } else if (typeof pkg["main"] === "string") fromPackage = pkg["main"];
    if (fromPackage && fs.existsSync(path.join(packageRoot, fromPackage))) {
      declared = `the entry point in ${pkgFile}`;
      entry =
        resolveFileEntry(path.join(packageRoot, fromPackage)) ?? resolveDirectoryEntry(path.join(packageRoot, fromPackage), moduleType);
    } else {
      declared = `index.js or index.ts in ${projectDir}`;
      entry = resolveDirectoryEntry(projectDir, moduleType);
    }
  }
  if (!entry) {
    throw new ProjectError("entry-not-found", `Cannot find the program's entry point (${declared}): create it or fix 'main'.`);
  }
  return { name, projectDir, entry, moduleType, projectConfig };
}

/**
 * What a program receives in place of a `secure:` stack config value, whose plaintext only the stack's
 * secrets provider can give. Any recorded value that contains it is turned into an unknown value
 * before the pack sees it, so a verdict that depends on it is advisory, never a pass or a violation
 * decided on a made-up value.
 */
export const SECURE_PLACEHOLDER = "codedeploy-guardrails-check-secure-value";

/** The stacks that have a `Pulumi.<stack>.yaml` in the project directory, sorted. */
export function stackNames(projectDir: string): string[] {
  const names = new Set<string>();
  for (const file of fs.readdirSync(projectDir)) {
    const match = /^Pulumi\.(.+)\.ya?ml$/.exec(file);
    if (match) names.add(match[1]!);
  }
  return [...names].sort();
}

/**
 * The stack to use: the one asked for, which must have a `Pulumi.<stack>.yaml`; otherwise the only
 * stack file in the directory; otherwise `dev` (with no stack config).
 */
export function resolveStackName(projectDir: string, requested: string | undefined): string {
  const stacks = stackNames(projectDir);
  if (requested === undefined) return stacks.length === 1 ? stacks[0]! : "dev";
  if (!stacks.includes(requested)) {
    throw new ProjectError(
      "bad-config",
      `There is no Pulumi.${requested}.yaml in ${projectDir}, so stack '${requested}' has no config to check with: ` +
        (stacks.length > 0
          ? `the stacks there are ${stacks.join(", ")}; give one of them to --stack.`
          : `give no --stack (then check runs with the project's config only), or create the file.`),
    );
  }
  return requested;
}

export interface StackConfig {
  /** Fully qualified config; a `secure:` value is SECURE_PLACEHOLDER. */
  readonly config: Record<string, unknown>;
  /** Fully qualified keys whose value is (or contains) a `secure:` value: secrets in the program. */
  readonly secureKeys: string[];
}

/** A config value with every `{secure: ...}` replaced by the placeholder; `found` is set when one was. */
function withPlaceholders(value: unknown, found: { secure: boolean }): unknown {
  if (Array.isArray(value)) return value.map((item) => withPlaceholders(item, found));
  if (!isRecord(value)) return value;
  if (Object.keys(value).length === 1 && "secure" in value) {
    found.secure = true;
    return SECURE_PLACEHOLDER;
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withPlaceholders(item, found)]));
}

/** Stack config from Pulumi.<stack>.yaml, fully qualified. Encrypted values become a placeholder. */
export function readStackConfig(
  projectDir: string,
  project: string,
  stack: string,
  overridden: ReadonlySet<string> = new Set(),
): StackConfig {
  const file = ["yaml", "yml"].map((e) => path.join(projectDir, `Pulumi.${stack}.${e}`)).find((f) => fs.existsSync(f));
  if (!file) return { config: {}, secureKeys: [] };
  const doc = loadYaml(fs.readFileSync(file, "utf8"), file);
  const config: Record<string, unknown> = {};
  const secureKeys: string[] = [];
  if (isRecord(doc) && isRecord(doc["config"])) {
    for (const [key, value] of Object.entries(doc["config"])) {
      const qualified = qualify(key, project);
      const found = { secure: false };
      const replaced = withPlaceholders(value, found);
      // A key overridden with --config keeps the override's value, but stays a secret if the stack says so.
      if (found.secure) secureKeys.push(qualified);
      if (overridden.has(qualified)) continue;
      config[qualified] = replaced;
    }
  }
  return { config, secureKeys };
}

/** PULUMI_CONFIG values are strings; structured values are JSON, as the CLI passes them. */
export function toConfigEnv(config: Record<string, unknown>, project: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    out[qualify(key, project)] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return out;
}

export { qualify as qualifyConfigKey };
