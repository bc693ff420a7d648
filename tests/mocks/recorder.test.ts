import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNKNOWN_SENTINEL } from "../../packages/tools/src/engine/types";
import { recordProgram, RecordingError, stackResources, type Recording } from "../../packages/tools/src/mocks";

const repo = path.resolve(__dirname, "../..");
const faultyDir = path.join(repo, "examples/faulty-auto-rollback");
const GROUP = "aws:codedeploy/deploymentGroup:DeploymentGroup";
const CONFIG = "aws:codedeploy/deploymentConfig:DeploymentConfig";

let tmp: string;
function project(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

async function recordingError(promise: Promise<unknown>): Promise<RecordingError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(RecordingError);
    return err as RecordingError;
  }
  throw new Error("expected the recording to fail");
}

beforeAll(() => {
  // Outside the repository, so nothing resolves from the repo's node_modules by walking up.
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mocks-recorder-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("the faulty tutorial example", () => {
  let preview: Recording;
  let update: Recording;
  beforeAll(async () => {
    [preview, update] = await Promise.all([
      recordProgram({ programDir: faultyDir, mode: "preview" }),
      recordProgram({ programDir: faultyDir, mode: "update" }),
    ]);
  });

  it("records every resource with inputs, parent and the default provider", () => {
    expect(preview.project).toBe("faulty-auto-rollback");
    expect(preview.entry).toBe(path.join(faultyDir, "index.ts"));
    const types = preview.resources.map((r) => r.type);
    expect(types).toEqual(
      expect.arrayContaining([
        "pulumi:pulumi:Stack",
        "pulumi:providers:aws",
        "aws:iam/role:Role",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:codedeploy/application:Application",
        "aws:sns/topic:Topic",
        CONFIG,
        GROUP,
      ]),
    );
    const group = preview.resources.find((r) => r.type === GROUP)!;
    expect(group.parent).toBe(preview.resources.find((r) => r.type === "pulumi:pulumi:Stack")!.urn);
    expect(group.provider?.urn).toMatch(/::pulumi:providers:aws::default_\d+_\d+_\d+$/);
    expect(preview.defaultProviders).toEqual([group.provider!.urn]);
    expect(group.properties["autoRollbackConfiguration"]).toEqual({
      enabled: true,
      events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
    });
    expect(group.properties["alarmConfiguration"]).toBeUndefined();
  });

  it("leaves the config id unknown in preview, linked through propertyDependencies", () => {
    const group = preview.resources.find((r) => r.type === GROUP)!;
    const config = preview.resources.find((r) => r.type === CONFIG)!;
    expect(group.properties["deploymentConfigName"]).toBe(UNKNOWN_SENTINEL);
    expect(group.propertyDependencies?.["deploymentConfigName"]).toEqual([config.urn]);
    expect(group.dependencies).toContain(config.urn);
    expect(preview.outputs[config.urn]?.id).toBeUndefined();
  });

  it("resolves ids and outputs in update mode", () => {
    const group = update.resources.find((r) => r.type === GROUP)!;
    const config = update.resources.find((r) => r.type === CONFIG)!;
    expect(update.outputs[config.urn]?.id).toBe("test-deployment-config");
    expect(group.properties["deploymentConfigName"]).toBe("test-deployment-config");
    expect(group.properties["appName"]).toBe("foo-app");
    expect(group.properties["serviceRoleArn"]).toBe("arn:aws:iam::123456789012:role/foo-role");
    expect(update.stackOutputs).toEqual({ deploymentGroupName: "bar", deploymentConfigName: "test-deployment-config" });
    const stackGroup = stackResources(update).find((r) => r.type === GROUP)!;
    expect(stackGroup.properties["computePlatform"]).toBe("Server");
    expect(stackGroup.properties["arn"]).toBe("arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:foo-app/bar");
  });
});

describe("programs outside the repository", () => {
  it("runs a TypeScript program with its own node_modules and its own config", async () => {
    const dir = project("outside-ts", {
      "Pulumi.yaml": "name: outside\nruntime: nodejs\nmain: src/main.ts\nconfig:\n  greeting:\n    default: hello\n",
      "Pulumi.dev.yaml": 'config:\n  outside:size: "3"\n',
      "package.json": JSON.stringify({ name: "outside", main: "ignored.js" }),
    });
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(dir, "node_modules"), "dir");
    fs.mkdirSync(path.join(dir, "src"));
    fs.writeFileSync(
      path.join(dir, "src/main.ts"),
      `import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
const cfg = new pulumi.Config();
const size: number = cfg.requireNumber("size");
const topic = new aws.sns.Topic("t", { displayName: cfg.require("greeting") });
export const arn = topic.arn;
export const total = size + 1;
export const secret = cfg.getSecret("token");
`,
    );
    const rec = await recordProgram({
      programDir: dir,
      mode: "update",
      config: { token: "s3cr3t", "aws:region": "eu-west-1" },
      secretConfigKeys: ["token"],
    });
    expect(rec.entry).toBe(path.join(dir, "src/main.ts"));
    const topic = rec.resources.find((r) => r.type === "aws:sns/topic:Topic")!;
    expect(topic.properties).toEqual({ displayName: "hello" });
    expect(topic.provider?.properties["region"]).toBe("eu-west-1");
    expect(rec.stackOutputs["arn"]).toMatch(/^arn:aws:sns:eu-west-1:123456789012:t-[0-9a-f]{7}$/);
    expect(rec.stackOutputs["total"]).toBe(4);
    expect(rec.stackOutputs["secret"]).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "s3cr3t" });
  });

  it("runs an ES module JavaScript program with a default-exported function", async () => {
    const dir = project("outside-esm", {
      "Pulumi.yaml": "name: esm\nruntime: nodejs\n",
      "package.json": JSON.stringify({ name: "esm", type: "module", main: "index.js" }),
      "index.js": `import * as aws from "@pulumi/aws";
export default async () => {
  const app = new aws.codedeploy.Application("app", { computePlatform: "Lambda" });
  return { app: app.name };
};
`,
    });
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(dir, "node_modules"), "dir");
    const rec = await recordProgram({ programDir: dir, mode: "preview" });
    expect(rec.resources.map((r) => r.type)).toContain("aws:codedeploy/application:Application");
    expect(rec.stackOutputs).toEqual({ app: UNKNOWN_SENTINEL });
  });
});

describe("failures are clear errors, never partial recordings", () => {
  it("a program that throws", async () => {
    const dir = project("throws", {
      "Pulumi.yaml": "name: throws\nruntime: nodejs\nmain: index.ts\n",
      "index.ts": `import * as aws from "@pulumi/aws";\nnew aws.sns.Topic("ok");\nthrow new Error("fleetSize must be at least 4");\n`,
    });
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(dir, "node_modules"), "dir");
    const err = await recordingError(recordProgram({ programDir: dir, mode: "preview" }));
    expect(err.kind).toBe("program-failed");
    expect(err.message).toContain("fleetSize must be at least 4");
    expect(err.message).toContain("Fix the program");
  });

  it("a program whose apply callback throws after the program returned", async () => {
    const dir = project("apply-throws", {
      "Pulumi.yaml": "name: applythrows\nruntime: nodejs\nmain: index.js\n",
      "index.js": `const aws = require("@pulumi/aws");\nconst t = new aws.sns.Topic("t");\nt.arn.apply(() => { throw new Error("bad apply"); });\n`,
    });
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(dir, "node_modules"), "dir");
    const err = await recordingError(recordProgram({ programDir: dir, mode: "update" }));
    expect(err.kind).toBe("program-failed");
    expect(err.message).toContain("bad apply");
  });

  it("a program that does not compile", async () => {
    const dir = project("syntax", {
      "Pulumi.yaml": "name: syntax\nruntime: nodejs\nmain: index.ts\n",
      "index.ts": `const x: number = ;\n`,
    });
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(dir, "node_modules"), "dir");
    const err = await recordingError(recordProgram({ programDir: dir, mode: "preview" }));
    expect(err.kind).toBe("load-failed");
    expect(err.message).toMatch(/does not compile/);
  });

  it("a program without its dependencies installed", async () => {
    const dir = project("no-deps", { "Pulumi.yaml": "name: nodeps\nruntime: nodejs\n", "index.ts": `import "@pulumi/pulumi";\n` });
    const err = await recordingError(recordProgram({ programDir: dir, mode: "preview" }));
    expect(err.kind).toBe("dependencies-missing");
    expect(err.message).toContain(`npm install`);
  });

  it("a missing directory, a folder without Pulumi.yaml, another runtime, a missing entry point", async () => {
    expect((await recordingError(recordProgram({ programDir: path.join(tmp, "nope"), mode: "preview" }))).message).toMatch(
      /does not exist/,
    );
    const empty = project("empty", { "README.md": "" });
    expect((await recordingError(recordProgram({ programDir: empty, mode: "preview" }))).message).toMatch(/No Pulumi.yaml/);
    const py = project("python", { "Pulumi.yaml": "name: py\nruntime: python\n" });
    expect((await recordingError(recordProgram({ programDir: py, mode: "preview" }))).kind).toBe("unsupported-runtime");
    const noMain = project("no-main", { "Pulumi.yaml": "name: nomain\nruntime: nodejs\nmain: app.ts\n" });
    const err = await recordingError(recordProgram({ programDir: noMain, mode: "preview" }));
    expect(err.kind).toBe("entry-not-found");
    expect(err.message).toContain("main: app.ts");
  });

  it("a program that never finishes", async () => {
    const dir = project("hangs", {
      "Pulumi.yaml": "name: hangs\nruntime: nodejs\nmain: index.js\n",
      "index.js": `module.exports = new Promise(() => { setInterval(() => {}, 1000); });\n`,
    });
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(dir, "node_modules"), "dir");
    const err = await recordingError(recordProgram({ programDir: dir, mode: "preview", timeoutMs: 3000 }));
    expect(err.kind).toBe("timeout");
  });
});

describe("the recorder's temp directory", () => {
  it("is removed after a recording, a failed program and a timeout", async () => {
    const ok = project("tmp-ok", {
      "Pulumi.yaml": "name: tmpok\nruntime: nodejs\nmain: index.js\n",
      "index.js": `const aws = require("@pulumi/aws");\nnew aws.sns.Topic("t");\n`,
    });
    const throws = project("tmp-throws", {
      "Pulumi.yaml": "name: tmpthrows\nruntime: nodejs\nmain: index.js\n",
      "index.js": `throw new Error("boom");\n`,
    });
    const hangs = project("tmp-hangs", {
      "Pulumi.yaml": "name: tmphangs\nruntime: nodejs\nmain: index.js\n",
      "index.js": `module.exports = new Promise(() => { setInterval(() => {}, 1000); });\n`,
    });
    for (const dir of [ok, throws, hangs]) fs.symlinkSync(path.join(repo, "node_modules"), path.join(dir, "node_modules"), "dir");
    // os.tmpdir() follows TMPDIR, so the recorder's mkdtemp lands in a folder only this test uses.
    const tmpRoot = fs.mkdtempSync(path.join(tmp, "tmpdir-"));
    const saved = process.env["TMPDIR"];
    // tsx keeps its compile cache (tsx-<uid>) there too; only the recorder's own folders are counted.
    const recorderDirs = () => fs.readdirSync(tmpRoot).filter((name) => name.startsWith("pulumi-mocks-"));
    process.env["TMPDIR"] = tmpRoot;
    try {
      expect((await recordProgram({ programDir: ok, mode: "preview" })).resources.length).toBeGreaterThan(0);
      expect(recorderDirs()).toEqual([]);
      expect((await recordingError(recordProgram({ programDir: throws, mode: "preview" }))).kind).toBe("program-failed");
      expect(recorderDirs()).toEqual([]);
      expect((await recordingError(recordProgram({ programDir: hangs, mode: "preview", timeoutMs: 2000 }))).kind).toBe("timeout");
      expect(recorderDirs()).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env["TMPDIR"];
      else process.env["TMPDIR"] = saved;
    }
  });
});
