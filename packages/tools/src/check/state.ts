// Reads the JSON that `pulumi stack export` writes (checkpoint version 3) into engine resources:
// inputs for Analyze, outputs for AnalyzeStack, as the engine sends them.
import { isHandledType } from "codedeploy-guardrails/adapters";
import { SECRET_SIG, SPECIAL_SIG_KEY, UNKNOWN_SENTINEL, type EngineResource, type WireProperties, type WireValue } from "../engine/types";
import type { ReportError } from "../report";
import { InputError } from "../shared/inputError";
import { parseInputJson, readInputFile, type InputFileHints } from "../shared/inputFile";
// A checkpoint provider reference is `<provider URN>::<provider id>`, as the SDK sends it.
import { splitProviderRef } from "../mocks/assembly";

/** Why a value of a state file cannot be read offline (the wording of errors and of the findings it leaves undecided). */
export const ENCRYPTED_IN_STATE = "encrypted in the state file, so it cannot be checked without the stack's secrets provider";

export interface StateResources {
  /** Resources with their inputs, as Analyze sees them. */
  readonly resources: EngineResource[];
  /** The same resources with their outputs, as AnalyzeStack sees them. */
  readonly stackResources: EngineResource[];
  /** Encrypted secrets that could not be read; they reach the pack as unknown values. */
  readonly encryptedSecrets: number;
  /**
   * An encrypted value on a resource the pack checks: its settings cannot be read offline, so that
   * resource cannot be reported compliant (the pack only sees an unknown value, which it may treat
   * as advisory). One error per resource, naming the properties.
   */
  readonly errors: ReportError[];
}

interface CheckpointResource {
  urn: string;
  type: string;
  custom?: boolean;
  delete?: boolean;
  /** A read resource (`Resource.get`): the engine neither analyzes it nor sends it to AnalyzeStack. */
  external?: boolean;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  parent?: string;
  provider?: string;
  protect?: boolean;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  additionalSecretOutputs?: string[];
  aliases?: string[];
  ignoreChanges?: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function nameFromUrn(urn: string): string {
  const parts = urn.split("::");
  return parts[parts.length - 1] ?? urn;
}

class Decoder {
  encryptedSecrets = 0;
  /** Where each encrypted secret was found (the `where` of the value). */
  readonly encryptedAt: string[] = [];

  /** Checkpoint values use the same signature keys as the wire, but secrets carry ciphertext or plaintext. */
  value(raw: unknown, where: string): WireValue {
    if (raw === null || typeof raw === "boolean" || typeof raw === "number" || typeof raw === "string") return raw;
    if (Array.isArray(raw)) return raw.map((item, index) => this.value(item, `${where}[${index}]`));
    if (!isRecord(raw)) throw new InputError(`${where} holds a value JSON cannot hold; re-export the stack with \`pulumi stack export\``);
    if (raw[SPECIAL_SIG_KEY] === SECRET_SIG) {
      if (typeof raw["plaintext"] === "string") {
        let decoded: unknown;
        try {
          decoded = JSON.parse(raw["plaintext"]);
        } catch {
          throw new InputError(`${where} is a secret whose plaintext is not JSON; re-export with \`pulumi stack export --show-secrets\``);
        }
        return { [SPECIAL_SIG_KEY]: SECRET_SIG, value: this.value(decoded, where) };
      }
      if ("value" in raw) {
        return { [SPECIAL_SIG_KEY]: SECRET_SIG, value: this.value(raw["value"], where) };
      }
      // Encrypted: the value cannot be read here, so the pack must treat it as unknown, never as set.
      this.encryptedSecrets++;
      this.encryptedAt.push(where);
      return { [SPECIAL_SIG_KEY]: SECRET_SIG, value: UNKNOWN_SENTINEL };
    }
    const result: { [key: string]: WireValue } = {};
    for (const [key, item] of Object.entries(raw)) result[key] = this.value(item, `${where}.${key}`);
    return result;
  }

  properties(raw: unknown, where: string): WireProperties {
    if (raw === undefined || raw === null) return {};
    if (!isRecord(raw)) throw new InputError(`${where} must be an object`);
    return this.value(raw, where) as WireProperties;
  }
}

function checkpointResources(document: unknown, path: string): CheckpointResource[] {
  if (!isRecord(document)) throw new InputError(`${path} is not a Pulumi state export: expected a JSON object with "deployment"`);
  const deployment = document["deployment"];
  if (!isRecord(deployment)) {
    throw new InputError(`${path} has no "deployment" object; create it with \`pulumi stack export --file ${path}\``);
  }
  const resources = deployment["resources"] ?? [];
  if (!Array.isArray(resources)) throw new InputError(`${path}: deployment.resources must be an array`);
  return resources.map((resource, index) => {
    const where = `${path}: deployment.resources[${index}]`;
    if (!isRecord(resource)) throw new InputError(`${where} must be an object`);
    if (typeof resource["urn"] !== "string" || !resource["urn"].startsWith("urn:pulumi:")) {
      throw new InputError(`${where} has no valid "urn"`);
    }
    if (typeof resource["type"] !== "string" || resource["type"] === "") throw new InputError(`${where} has no "type"`);
    for (const key of ["dependencies", "aliases", "ignoreChanges", "additionalSecretOutputs"]) {
      const list = resource[key];
      if (list !== undefined && list !== null && !(Array.isArray(list) && list.every((item) => typeof item === "string"))) {
        throw new InputError(`${where}.${key} must be a list of strings`);
      }
    }
    const propertyDependencies = resource["propertyDependencies"];
    if (propertyDependencies !== undefined && propertyDependencies !== null) {
      if (
        !isRecord(propertyDependencies) ||
        !Object.values(propertyDependencies).every((urns) => Array.isArray(urns) && urns.every((urn) => typeof urn === "string"))
      ) {
        throw new InputError(`${where}.propertyDependencies must map property names to lists of URNs`);
      }
    }
    return resource as unknown as CheckpointResource;
  });
}

export function parseState(text: string, path: string): StateResources {
  const document = parseInputJson(text, `state file ${path}`, stateFileHints(path));
  const decoder = new Decoder();
  const all = checkpointResources(document, path).filter((resource) => resource.delete !== true);
  // Read resources are skipped, as in program mode and by the engine.
  const live = all.filter((resource) => resource.external !== true);
  const byUrn = new Map(live.map((resource) => [resource.urn, resource]));
  // Every resource's properties are decoded once, before any is assembled: a provider's are reused
  // for each resource it serves, so its encrypted values are counted once.
  const decoded = new Map(
    live.map((resource) => {
      const encryptedBefore = decoder.encryptedAt.length;
      const inputs = decoder.properties(resource.inputs, `${resource.urn} inputs`);
      const outputs = decoder.properties(resource.outputs, `${resource.urn} outputs`);
      // Named by property path, once, whether the inputs, the outputs or both hold it.
      const encrypted = [
        ...new Set(
          decoder.encryptedAt
            .slice(encryptedBefore)
            .map((where) => where.slice(resource.urn.length + 1).replace(/^(inputs|outputs)\./, "")),
        ),
      ];
      return [resource, { inputs, outputs, encrypted }] as const;
    }),
  );
  const resources: EngineResource[] = [];
  const stackResources: EngineResource[] = [];
  const errors: ReportError[] = [];
  for (const resource of live) {
    const { inputs, outputs, encrypted } = decoded.get(resource)!;
    if (encrypted.length > 0 && isHandledType(resource.type)) {
      errors.push({
        urn: resource.urn,
        resourceName: nameFromUrn(resource.urn),
        message: `${encrypted.join(", ")} ${encrypted.length === 1 ? "is" : "are"} ${ENCRYPTED_IN_STATE}; export the stack with \`pulumi stack export --show-secrets\` and check that file.`,
      });
    }
    const providerResource = resource.provider ? byUrn.get(splitProviderRef(resource.provider).urn) : undefined;
    const providerDecoded = providerResource ? decoded.get(providerResource) : undefined;
    const base = {
      urn: resource.urn,
      type: resource.type,
      name: nameFromUrn(resource.urn),
      parent: resource.parent,
      options: {
        protect: resource.protect ?? false,
        ignoreChanges: resource.ignoreChanges ?? [],
        aliases: resource.aliases ?? [],
        additionalSecretOutputs: resource.additionalSecretOutputs ?? [],
        ...(resource.parent ? { parent: resource.parent } : {}),
      },
      ...(providerResource && providerDecoded
        ? {
            provider: {
              urn: providerResource.urn,
              type: providerResource.type,
              name: nameFromUrn(providerResource.urn),
              // The provider's outputs when the checkpoint records them (even empty), else its inputs.
              properties: providerResource.outputs != null ? providerDecoded.outputs : providerDecoded.inputs,
            },
          }
        : {}),
      dependencies: resource.dependencies ?? [],
      propertyDependencies: resource.propertyDependencies ?? {},
    };
    resources.push({ ...base, properties: inputs });
    // Outputs include the inputs for almost every provider; where a resource has none recorded, its inputs stand in.
    stackResources.push({ ...base, properties: Object.keys(outputs).length > 0 ? outputs : inputs });
  }
  return { resources, stackResources, encryptedSecrets: decoder.encryptedSecrets, errors };
}

export function readStateFile(path: string): StateResources {
  return parseState(readInputFile(path, `state file ${path}`, stateFileHints(path)), path);
}

function stateFileHints(path: string): InputFileHints {
  const exportCommand = `\`pulumi stack export --file ${path}\``;
  return { missing: `create it with ${exportCommand}`, invalid: `it may be truncated: export it again with ${exportCommand}` };
}
