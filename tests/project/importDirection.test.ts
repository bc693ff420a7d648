// The direction of every import, as CONTRIBUTING.md's picture draws it. The rule core is pure and
// self-contained, the rules and the adapters build on it side by side, the pack loads nothing but its
// runtime dependencies (what `npm install --omit=dev` of the published pack installs), the tools
// package reaches the pack only through the entry points the pack publishes (`exports`), and the
// scripts never lean on test code. Imports are read from the sources as text: static imports and
// re-exports, side-effect imports, `import()` and `require()`.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const PACK_NAME = "codedeploy-guardrails";

interface Manifest {
  readonly dependencies?: Record<string, string>;
  readonly exports?: Record<string, string>;
}
const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(ROOT, file), "utf8")) as T;
const packManifest = readJson<Manifest>("package.json");

/** One import: the file that makes it (relative to the repository, `/`-separated) and what it names. */
export interface ImportEdge {
  readonly from: string;
  readonly specifier: string;
}

const IMPORT_PATTERNS = [
  /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*["']([^"']+)["']/g,
  /\bimport\s*["']([^"']+)["']/g,
  /\b(?:import|require)\(\s*["']([^"']+)["']\s*\)/g,
];

function importsOf(text: string): string[] {
  // Comments may quote an import; they import nothing.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return IMPORT_PATTERNS.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1]!));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "dist" ? [] : sourceFiles(path);
    return /\.(?:ts|mts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

function edgesUnder(dir: string): ImportEdge[] {
  return sourceFiles(dir).flatMap((from) => importsOf(readFileSync(join(ROOT, from), "utf8")).map((specifier) => ({ from, specifier })));
}

/** Where a relative specifier points, relative to the repository and `/`-separated; undefined for a package. */
function target(edge: ImportEdge): string | undefined {
  if (!edge.specifier.startsWith(".")) return undefined;
  return relative(ROOT, resolve(ROOT, dirname(edge.from), edge.specifier))
    .split(sep)
    .join("/");
}

const inside = (path: string | undefined, folder: string) => path !== undefined && (path === folder || path.startsWith(`${folder}/`));
const isBuiltin = (specifier: string) => specifier.startsWith("node:");
/** The package a bare specifier names: `@scope/name` or `name`. */
const packageOf = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

/** Whether `subpath` (`./evaluate`, `./core/model`) is one of the pack's published entry points. */
function isPackEntryPoint(subpath: string): boolean {
  return Object.keys(packManifest.exports ?? {}).some((key) => {
    const star = key.indexOf("*");
    if (star < 0) return key === subpath;
    const [prefix, suffix] = [key.slice(0, star), key.slice(star + 1)];
    return (
      subpath.length > prefix.length + suffix.length &&
      subpath.startsWith(prefix) &&
      subpath.endsWith(suffix) &&
      !subpath.slice(prefix.length).includes("/")
    );
  });
}

/** A layer: the files it covers, and the reason an import of theirs breaks the direction (undefined when allowed). */
interface Layer {
  readonly name: string;
  readonly dir: string;
  readonly violation: (edge: ImportEdge) => string | undefined;
}

const packRuntime = new Set(Object.keys(packManifest.dependencies ?? {}));

export const LAYERS: readonly Layer[] = [
  {
    name: "the rule core imports nothing outside policy-pack/core",
    dir: "policy-pack/core",
    violation: (edge) => (inside(target(edge), "policy-pack/core") ? undefined : "outside the core"),
  },
  {
    name: "the rules import only the core",
    dir: "policy-pack/rules",
    violation: (edge) =>
      inside(target(edge), "policy-pack/core") || inside(target(edge), "policy-pack/rules") ? undefined : "neither core nor rules",
  },
  {
    name: "the adapters import only the core",
    dir: "policy-pack/adapters",
    violation: (edge) =>
      inside(target(edge), "policy-pack/core") || inside(target(edge), "policy-pack/adapters") ? undefined : "neither core nor adapters",
  },
  {
    name: "the pack imports only itself and its runtime dependencies (never the tools or the tests)",
    dir: "policy-pack",
    violation: (edge) => {
      const to = target(edge);
      if (to !== undefined) return inside(to, "policy-pack") ? undefined : "outside policy-pack/";
      return isBuiltin(edge.specifier) || packRuntime.has(packageOf(edge.specifier)) ? undefined : "not a runtime dependency of the pack";
    },
  },
  {
    name: "the tools import the pack only through its published entry points",
    dir: "packages/tools/src",
    violation: (edge) => {
      const to = target(edge);
      if (to !== undefined) return inside(to, "packages/tools/src") ? undefined : "a relative import out of the tools package";
      if (edge.specifier === PACK_NAME) return "the pack's main module (it starts the policy pack server)";
      if (edge.specifier.startsWith(`${PACK_NAME}/`)) {
        return isPackEntryPoint(`.${edge.specifier.slice(PACK_NAME.length)}`) ? undefined : "not an entry point in the pack's exports";
      }
      return undefined;
    },
  },
  {
    name: "the scripts import nothing from the tests",
    dir: "scripts",
    violation: (edge) => (inside(target(edge), "tests") ? "test code" : undefined),
  },
];

/** Every import under `layer.dir` that breaks its direction, as `file -> specifier (why)`. */
export function violations(layer: Layer, edges: readonly ImportEdge[]): string[] {
  return edges.flatMap((edge) => {
    const why = layer.violation(edge);
    return why === undefined ? [] : [`${edge.from} -> ${edge.specifier} (${why})`];
  });
}

describe("import direction", () => {
  for (const layer of LAYERS) {
    it(layer.name, () => {
      const edges = edgesUnder(layer.dir);
      expect(edges.length, `no imports found under ${layer.dir}`).toBeGreaterThan(0);
      expect(violations(layer, edges)).toEqual([]);
    });
  }

  it("each layer rejects the import it exists to forbid", () => {
    const layer = (dir: string, name?: string) =>
      LAYERS.find((candidate) => candidate.dir === dir && (name === undefined || candidate.name.includes(name)))!;
    const rejected = (dir: string, edge: ImportEdge, name?: string) => violations(layer(dir, name), [edge]);
    expect(rejected("policy-pack/core", { from: "policy-pack/core/model.ts", specifier: "../rules/rule" })).toHaveLength(1);
    expect(rejected("policy-pack/core", { from: "policy-pack/core/model.ts", specifier: "./findings" })).toEqual([]);
    expect(rejected("policy-pack/rules", { from: "policy-pack/rules/rule.ts", specifier: "../adapters" })).toHaveLength(1);
    expect(rejected("policy-pack/adapters", { from: "policy-pack/adapters/awsClassic.ts", specifier: "../rules/rule" })).toHaveLength(1);
    expect(rejected("policy-pack", { from: "policy-pack/policies.ts", specifier: "../packages/tools/src/report" })).toHaveLength(1);
    expect(rejected("policy-pack", { from: "policy-pack/policies.ts", specifier: "ajv" })).toHaveLength(1);
    expect(rejected("policy-pack", { from: "policy-pack/policies.ts", specifier: "@pulumi/policy" })).toEqual([]);
    const tool = { from: "packages/tools/src/audit/audit.ts" };
    expect(rejected("packages/tools/src", { ...tool, specifier: "../../../../policy-pack/evaluate" })).toHaveLength(1);
    expect(rejected("packages/tools/src", { ...tool, specifier: "codedeploy-guardrails" })).toHaveLength(1);
    expect(rejected("packages/tools/src", { ...tool, specifier: "codedeploy-guardrails/remediate" })).toHaveLength(1);
    expect(rejected("packages/tools/src", { ...tool, specifier: "codedeploy-guardrails/core/sub/model" })).toHaveLength(1);
    expect(rejected("packages/tools/src", { ...tool, specifier: "codedeploy-guardrails/core/model" })).toEqual([]);
    expect(rejected("scripts", { from: "scripts/docs.ts", specifier: "../tests/support/fixtures" })).toHaveLength(1);
  });

  it("reads every form of import, and none from comments", () => {
    const text = [
      'import { a } from "./a";',
      'import type { B } from "./b";',
      "export { c } from './c';",
      'import "./d";',
      'const e = require("./e");',
      'const f = await import("./f");',
      'import {\n  g,\n  type H,\n} from "./g";',
      '// import { x } from "./commented";',
      '/* import { y } from "./block"; */',
    ].join("\n");
    expect(importsOf(text).sort()).toEqual(["./a", "./b", "./c", "./d", "./e", "./f", "./g"]);
  });

  it("the checkout resolves the pack's entry points (tsconfig.json paths) to the sources of what `exports` publishes", () => {
    // Read as `tsc` reads it (a tsconfig may hold comments, which JSON.parse refuses).
    const tsconfig = ts.parseConfigFileTextToJson("tsconfig.json", readFileSync(join(ROOT, "tsconfig.json"), "utf8"));
    const paths = (tsconfig.config as { compilerOptions: { paths: Record<string, string[]> } }).compilerOptions.paths;
    const published = Object.entries(packManifest.exports ?? {}).filter(([key]) => key !== "." && key !== "./package.json");
    const asSource = (file: string) => file.replace(/^\.\/dist\//, "./").replace(/\.js$/, "");
    expect(Object.fromEntries(Object.entries(paths).map(([key, [file]]) => [key, file!.replace(/\.ts$/, "")]))).toEqual(
      Object.fromEntries(published.map(([key, file]) => [`${PACK_NAME}${key.slice(1)}`, asSource(file)])),
    );
  });
});
