// Issue 12: the CI recipes in docs/ci.md are valid YAML and only run commands the packages have (the
// pack's npm scripts, the tools package's bins), with flags `check` accepts; the README and --help
// describe every flag of `check`.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHECK_FLAGS, CHECK_USAGE, parseCheckArgs } from "../../packages/tools/src/check/args";
import { ROOT, TOOLS_ROOT } from "./support";

// js-yaml comes with @pulumi/pulumi (the recorder reads Pulumi.yaml with it too).
const yaml = createRequire(require.resolve("@pulumi/pulumi/package.json"))("js-yaml") as { load(text: string): unknown };
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  engines: { node: string };
};
/** The package that publishes the bins (`npx --package codedeploy-guardrails-tools@...`). */
const toolsManifest = JSON.parse(readFileSync(join(TOOLS_ROOT, "package.json"), "utf8")) as {
  name: string;
  bin: Record<string, string>;
};
const CI_DOC = readFileSync(join(ROOT, "docs", "ci.md"), "utf8");
const README = readFileSync(join(ROOT, "README.md"), "utf8");

type Yaml = Record<string, unknown>;

function yamlBlocks(markdown: string): Yaml[] {
  return [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => yaml.load(match[1]!) as Yaml);
}

/** The words of a shell command line (the recipes use no quoting, so splitting on blanks is exact). */
function words(command: string): string[] {
  expect(command, "keep the recipes free of quotes and shell operators so this test reads them exactly").not.toMatch(/["'`|;&<>$\\]/);
  return command.trim().split(/\s+/);
}

/** npm's own commands the recipes may run (they install the program's dependencies). */
const NPM_BUILTINS = new Set(["ci", "install"]);

/**
 * Every command must exist: npm built-ins, `npm run <script>` of this package, or
 * `npx ... --package codedeploy-guardrails-tools@<range> <bin> <args>` with a bin of the tools package and, for
 * check, arguments its parser accepts. Returns the check invocations' arguments.
 */
function expectCommandsExist(commands: readonly string[]): string[][] {
  const checkRuns: string[][] = [];
  for (const command of commands) {
    const [tool, ...rest] = words(command);
    if (tool === "npm") {
      const [sub, name] = rest;
      if (sub === "run") expect(Object.keys(manifest.scripts), command).toContain(name);
      else expect(NPM_BUILTINS.has(sub!), command).toBe(true);
      continue;
    }
    expect(tool, command).toBe("npx");
    const packageIndex = rest.indexOf("--package");
    expect(packageIndex, `${command}: name the package, so npx runs this one`).toBeGreaterThanOrEqual(0);
    expect(rest[packageIndex + 1]?.split("@")[0], command).toBe(toolsManifest.name);
    const bin = rest[packageIndex + 2]!;
    expect(Object.keys(toolsManifest.bin), command).toContain(bin);
    const args = rest.slice(packageIndex + 3);
    if (bin === "codedeploy-guardrails-check") {
      expect(() => parseCheckArgs(args), command).not.toThrow();
      checkRuns.push(args);
    }
  }
  return checkRuns;
}

function flagValue(args: readonly string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  return index < 0 ? undefined : args[index + 1];
}

describe("docs/ci.md", () => {
  const blocks = yamlBlocks(CI_DOC);

  it("holds a GitHub Actions workflow and a GitLab CI job, both valid YAML", () => {
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toHaveProperty("jobs");
    expect(blocks[0]).toHaveProperty("on");
    expect(Object.values(blocks[1]!).some((job) => Array.isArray((job as Yaml)["script"]))).toBe(true);
  });

  it("GitHub: runs check on pull requests, fails on new mandatory violations, uploads the SARIF it wrote", () => {
    const workflow = blocks[0]!;
    expect(workflow["on"]).toHaveProperty("pull_request");
    expect(workflow["permissions"]).toMatchObject({ "security-events": "write" });
    const steps = Object.values(workflow["jobs"] as Record<string, { steps: Yaml[] }>).flatMap((job) => job.steps);
    const runs = expectCommandsExist(steps.filter((step) => typeof step["run"] === "string").map((step) => step["run"] as string));
    expect(runs).toHaveLength(1);
    const args = runs[0]!;
    const parsed = parseCheckArgs(args);
    expect(parsed.format).toBe("sarif");
    expect(parsed.baseline).toBeDefined();
    const upload = steps.find((step) => String(step["uses"]).startsWith("github/codeql-action/upload-sarif@"))!;
    expect(upload, "a step uploads the SARIF to code scanning").toBeDefined();
    expect((upload["with"] as Yaml)["sarif_file"]).toBe(flagValue(args, "--output"));
    // It runs when the check step failed too, or a failing build would hide its findings.
    expect(String(upload["if"])).toMatch(/always\(\)/);
    // The check step itself must fail the job: nothing masks its exit status.
    const checkStep = steps.find((step) => String(step["run"]).includes("codedeploy-guardrails-check"))!;
    expect(checkStep["continue-on-error"]).toBeUndefined();
  });

  it("both run a Node version the package supports (package.json engines)", () => {
    const minimum = Number(/>=\s*(\d+)/.exec(manifest.engines.node)![1]);
    const steps = Object.values(blocks[0]!["jobs"] as Record<string, { steps: Yaml[] }>).flatMap((job) => job.steps);
    const setup = steps.find((step) => String(step["uses"]).startsWith("actions/setup-node@"))!;
    expect(Number((setup["with"] as Yaml)["node-version"])).toBeGreaterThanOrEqual(minimum);
    const [job] = Object.values(blocks[1]!) as Yaml[];
    expect(Number(/^node:(\d+)/.exec(String(job!["image"]))?.[1])).toBeGreaterThanOrEqual(minimum);
  });

  it("GitLab: runs check on merge requests with the baseline and keeps the report it wrote", () => {
    const [job] = Object.values(blocks[1]!) as Yaml[];
    expect(JSON.stringify(job!["rules"])).toContain("merge_request_event");
    const runs = expectCommandsExist(job!["script"] as string[]);
    expect(runs).toHaveLength(1);
    const args = runs[0]!;
    expect(parseCheckArgs(args).baseline).toBeDefined();
    const artifacts = job!["artifacts"] as Yaml;
    expect(artifacts["when"]).toBe("always");
    expect(artifacts["paths"]).toContain(flagValue(args, "--output"));
    expect(job!["allow_failure"]).toBeUndefined();
  });

  it("its one-off baseline command is a valid check invocation that writes JSON", () => {
    const command = /```bash\n([\s\S]*?)```/.exec(CI_DOC)![1]!.replace(/\\\n/g, " ");
    const [args] = expectCommandsExist([command]);
    expect(parseCheckArgs(args!).format).toBe("json");
    expect(flagValue(args!, "--output")).toBe("guardrails/baseline.json");
  });

  it("the commands checker rejects what does not exist (so the checks above can fail)", () => {
    expect(() => expectCommandsExist(["npx --yes --package codedeploy-guardrails-tools@0.1 codedeploy-guardrails-lint infra"])).toThrow();
    expect(() =>
      expectCommandsExist(["npx --yes --package codedeploy-guardrails-tools@0.1 codedeploy-guardrails-check infra --strict"]),
    ).toThrow();
    expect(() => expectCommandsExist(["npm run deploy"])).toThrow();
  });
});

describe("every flag of check is described", () => {
  const section = README.slice(README.indexOf("## `check`"), README.indexOf("## `audit`"));

  it.each(CHECK_FLAGS)("%s: in --help and in the README's check section", (flag) => {
    expect(CHECK_USAGE).toMatch(new RegExp(`^\\s+${flag}\\b`, "m"));
    expect(section).toContain(`\`${flag}`);
  });

  it("the list is the parser's: every flag it lists parses, and an unlisted one does not", () => {
    for (const flag of CHECK_FLAGS) {
      const value = flag === "--config" ? "key=value" : flag === "--format" ? "json" : flag === "--mode" ? "update" : "x";
      const argv = flag === "--help" ? [flag] : flag === "--state" ? [flag, value] : ["program", flag, value];
      expect(() => parseCheckArgs(argv), flag).not.toThrow();
    }
    expect(() => parseCheckArgs(["program", "--verbose", "x"])).toThrow(/unknown option/);
  });

  it("the README's examples write reports with --output or the bin, never a redirect of npm run", () => {
    const examples = [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1]!).join("\n");
    expect(examples).toMatch(/--format sarif --output results\.sarif/);
    expect(examples).not.toMatch(/npm run [^\n#]*>\s*\S+/);
  });
});
