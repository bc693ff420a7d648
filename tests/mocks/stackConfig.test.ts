// Issue 12: stack config as Pulumi reads it, offline. A secure value reaches the program as a secret
// placeholder and the recording as a secret unknown value; the stack is the one asked for (which must
// exist), else the only stack file; every resource has the location of its declaration.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECRET_SIG, SPECIAL_SIG_KEY, UNKNOWN_SENTINEL } from "../../packages/tools/src/engine/types";
import { recordProgram, RecordingError, resolveStackName, SECURE_PLACEHOLDER, type Recording } from "../../packages/tools/src/mocks";

const programs = path.resolve(__dirname, "../check/programs");
const GROUP = "aws:codedeploy/deploymentGroup:DeploymentGroup";

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mocks-stack-config-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("choosing the stack", () => {
  function projectWith(files: string[]): string {
    const dir = fs.mkdtempSync(path.join(tmp, "p-"));
    for (const file of files) fs.writeFileSync(path.join(dir, file), "config: {}\n");
    return dir;
  }

  it("the one asked for, else the only stack file, else dev", () => {
    expect(resolveStackName(projectWith(["Pulumi.yaml"]), undefined)).toBe("dev");
    expect(resolveStackName(projectWith(["Pulumi.yaml", "Pulumi.prod.yaml"]), undefined)).toBe("prod");
    expect(resolveStackName(projectWith(["Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.test.yml"]), undefined)).toBe("dev");
    expect(resolveStackName(projectWith(["Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.test.yml"]), "test")).toBe("test");
  });

  it("a stack with no file is an error naming the ones there are", () => {
    expect(() => resolveStackName(projectWith(["Pulumi.yaml", "Pulumi.prod.yaml"]), "prdo")).toThrow(
      /no Pulumi\.prdo\.yaml in .*: the stacks there are prod; give one of them to --stack\./,
    );
    expect(() => resolveStackName(projectWith(["Pulumi.yaml"]), "dev")).toThrow(/give no --stack/);
  });
});

describe("a secure value in the stack file", () => {
  let recording: Recording;
  beforeAll(async () => {
    recording = await recordProgram({ programDir: path.join(programs, "secure-config"), mode: "preview" });
  });

  it("reaches the recording as a secret whose value is unknown, never as the placeholder", () => {
    expect(recording.stack).toBe("staging");
    expect(recording.securePlaceholders).toEqual(["secure-config:deploymentConfig"]);
    const group = recording.resources.find((resource) => resource.type === GROUP)!;
    expect(group.properties["deploymentConfigName"]).toEqual({ [SPECIAL_SIG_KEY]: SECRET_SIG, value: UNKNOWN_SENTINEL });
    // Plain values from the same file and defaults from Pulumi.yaml arrive as they are.
    expect(group.properties["alarmConfiguration"]).toMatchObject({ alarms: ["api-5xx"] });
    expect(group.properties["tags"]).toEqual({ minHealthyHosts: "2" });
    expect(JSON.stringify(recording.resources)).not.toContain(SECURE_PLACEHOLDER);
    expect(JSON.stringify(recording.outputs)).not.toContain(SECURE_PLACEHOLDER);
  });

  it("a --config value for the key replaces the placeholder and stays secret", async () => {
    const given = await recordProgram({
      programDir: path.join(programs, "secure-config"),
      mode: "preview",
      config: { deploymentConfig: "CodeDeployDefault.OneAtATime" },
    });
    expect(given.securePlaceholders).toEqual([]);
    const group = given.resources.find((resource) => resource.type === GROUP)!;
    expect(group.properties["deploymentConfigName"]).toEqual({ [SPECIAL_SIG_KEY]: SECRET_SIG, value: "CodeDeployDefault.OneAtATime" });
  });

  it("an unknown stack is a bad-config recording error", async () => {
    const error = await recordProgram({ programDir: path.join(programs, "secure-config"), mode: "preview", stack: "prod" }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RecordingError);
    expect((error as RecordingError).kind).toBe("bad-config");
  });
});

describe("locations", () => {
  it("every resource the program declares has its file and line; the root stack and default providers have none", async () => {
    const recording = await recordProgram({ programDir: path.join(programs, "components"), mode: "preview" });
    const source = fs.readFileSync(path.join(programs, "components", "index.ts"), "utf8").split("\n");
    for (const resource of recording.resources) {
      const location = recording.locations[resource.urn];
      if (resource.type === "pulumi:pulumi:Stack" || resource.type.startsWith("pulumi:providers:")) {
        expect(location, resource.urn).toBeUndefined();
        continue;
      }
      expect(location?.file, resource.urn).toBe(path.join(programs, "components", "index.ts"));
      // The line holds the `new` of this resource's class (or of the component that wraps it).
      expect(source[location!.line - 1], resource.urn).toMatch(/new /);
    }
  });
});
