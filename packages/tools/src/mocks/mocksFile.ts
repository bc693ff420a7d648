// The mocks file (`check --mocks FILE`): results for what the built-in mocks cannot know.
//
//   {
//     "invokes": { "<token>": { <result> } | [ { "args": { ... }, "result": { ... } }, ... ] },
//     "stackReferences": { "<org>/<project>/<stack>": { <outputs> } },
//     "resources": { "<type>::<name>": { <outputs> } }
//   }
//
// An invoke entry that is a list is matched on arguments: the first case whose every `args` key
// equals the invoke's argument of that name (a case without `args` matches any call). Resource
// outputs are merged over what the mocks compute, after an update and for a read (`.get`); a planned
// create in a preview keeps its computed outputs unknown, as the engine does.

import { isDeepStrictEqual } from "node:util";
import { InputError } from "../shared/inputError";
import { readInputJson } from "../shared/inputFile";

type JsonObject = Readonly<Record<string, unknown>>;

export interface InvokeCase {
  readonly args?: JsonObject;
  readonly result: JsonObject;
}

export interface MocksFile {
  readonly invokes: Readonly<Record<string, JsonObject | readonly InvokeCase[]>>;
  readonly stackReferences: Readonly<Record<string, JsonObject>>;
  readonly resources: Readonly<Record<string, JsonObject>>;
}

export const EMPTY_MOCKS: MocksFile = { invokes: {}, stackReferences: {}, resources: {} };

const SECTIONS = ["invokes", "stackReferences", "resources"] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validates a parsed mocks file; `where` names it in the one-line error. */
export function parseMocksFile(raw: unknown, where: string): MocksFile {
  const fail = (reason: string): never => {
    throw new InputError(`${where}: ${reason}; see "--mocks FILE" in \`check --help\` for the format`);
  };
  if (!isObject(raw)) return fail("a mocks file is a JSON object with invokes, stackReferences and resources");
  for (const key of Object.keys(raw)) {
    if (!(SECTIONS as readonly string[]).includes(key)) fail(`unknown section "${key}" (the sections are ${SECTIONS.join(", ")})`);
  }
  const section = (name: (typeof SECTIONS)[number]): Record<string, unknown> => {
    const value = raw[name] ?? {};
    return isObject(value) ? value : fail(`"${name}" must be an object`);
  };
  const invokes: Record<string, JsonObject | InvokeCase[]> = {};
  for (const [token, entry] of Object.entries(section("invokes"))) {
    if (!/^[^:\s]+:[^:\s]*:[^:\s]+$/.test(token)) fail(`invokes: "${token}" is not an invoke token such as aws:ec2/getVpc:getVpc`);
    if (isObject(entry)) {
      invokes[token] = entry;
    } else if (Array.isArray(entry) && entry.length > 0) {
      invokes[token] = entry.map((item: unknown, index): InvokeCase => {
        if (!isObject(item) || !isObject(item["result"]))
          return fail(`invokes["${token}"][${index}] must be an object with a "result" object`);
        const extra = Object.keys(item).filter((key) => key !== "args" && key !== "result");
        if (extra.length > 0) fail(`invokes["${token}"][${index}] has unknown key "${extra[0]}" (only "args" and "result")`);
        if (item["args"] !== undefined && !isObject(item["args"])) fail(`invokes["${token}"][${index}].args must be an object`);
        return { ...(item["args"] !== undefined ? { args: item["args"] as JsonObject } : {}), result: item["result"] };
      });
    } else {
      fail(`invokes["${token}"] must be a result object or a non-empty list of {"args", "result"}`);
    }
  }
  const stackReferences: Record<string, JsonObject> = {};
  for (const [name, outputs] of Object.entries(section("stackReferences"))) {
    if (!/^[^/\s]+(\/[^/\s]+){0,2}$/.test(name)) fail(`stackReferences: "${name}" is not a stack name such as org/project/stack`);
    stackReferences[name] = isObject(outputs) ? outputs : fail(`stackReferences["${name}"] must be an object of outputs`);
  }
  const resources: Record<string, JsonObject> = {};
  for (const [key, outputs] of Object.entries(section("resources"))) {
    const separator = key.lastIndexOf("::");
    if (separator <= 0 || separator === key.length - 2 || key.slice(0, separator).split(":").length !== 3) {
      fail(`resources: "${key}" is not "<type>::<name>", such as aws:s3/bucketV2:BucketV2::revisions`);
    }
    resources[key] = isObject(outputs) ? outputs : fail(`resources["${key}"] must be an object of outputs`);
  }
  return { invokes, stackReferences, resources };
}

export function loadMocksFile(path: string): MocksFile {
  return parseMocksFile(readInputJson(path, `--mocks ${path}`), `--mocks ${path}`);
}

export type InvokeAnswer =
  | { readonly kind: "result"; readonly result: JsonObject }
  /** The file has the token, but no case matches these arguments. */
  | { readonly kind: "no-match" }
  | { readonly kind: "absent" };

/** The mocks file's answer to an invoke. */
export function mockedInvoke(mocks: MocksFile, token: string, args: JsonObject): InvokeAnswer {
  const entry = mocks.invokes[token];
  if (entry === undefined) return { kind: "absent" };
  if (!Array.isArray(entry)) return { kind: "result", result: entry as JsonObject };
  const match = (entry as readonly InvokeCase[]).find((candidate) =>
    Object.entries(candidate.args ?? {}).every(([key, expected]) => isDeepStrictEqual(args[key], expected)),
  );
  return match ? { kind: "result", result: match.result } : { kind: "no-match" };
}

/**
 * The outputs the mocks file gives a stack reference. The program may name the stack in full
 * (`org/project/stack`) or relative to its own organization and project, as Pulumi resolves it.
 */
export function stackReferenceOutputs(mocks: MocksFile, name: string, organization: string, project: string): JsonObject | undefined {
  const parts = name.split("/");
  const candidates = [
    name,
    parts.length === 2 ? `${organization}/${name}` : parts.length === 1 ? `${organization}/${project}/${name}` : name,
  ];
  for (const candidate of candidates) {
    const outputs = mocks.stackReferences[candidate];
    if (outputs) return outputs;
  }
  return undefined;
}

/** The outputs the mocks file gives a resource (`<type>::<name>`), if any. */
export function resourceOutputs(mocks: MocksFile, type: string, name: string): JsonObject | undefined {
  return mocks.resources[`${type}::${name}`];
}
