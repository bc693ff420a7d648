// Policy pack config as the Pulumi CLI handles `--policy-pack-config` (pkg/resource/analyzer/config.go):
// parse each entry (a level string, or an object whose `enforcementLevel` is taken out), start from
// every policy's default level and schema defaults, apply the pack's initial config, then the file
// ("all" sets every level first), and validate each policy's properties against
// `{ type: "object", properties, required }` (draft-07, every error reported). The result is what the
// engine sends to Configure: one entry per policy, defaults filled in.
//
// Two choices the CLI source leaves open for a client:
//   - Like the CLI, unknown top-level settings are allowed (the CLI's schema sets no
//     `additionalProperties`); the pack itself refuses them at run time. Nested schemas that say
//     `additionalProperties: false` are enforced, as the CLI enforces them.
//   - Unlike the CLI, which passes an unknown policy name through silently, an unknown name is an
//     error here: a misspelled policy name is a policy silently left at its defaults.
import Ajv, { type ErrorObject } from "ajv";
import { isCalendarDate } from "codedeploy-guardrails/core/config";
import { ENFORCEMENT_LEVELS, type AnalyzerInfo, type EnforcementLevel, type PolicyConfigEntry } from "./encoding";

/** What users write in a `--policy-pack-config` file. */
// Entries are `unknown` on purpose: the file comes from users, and every shape is checked here.
export type PolicyPackConfig = Readonly<Record<string, unknown>>;

export interface PolicyConfigProblem {
  /** The policy the problem is in ("" when the file itself is malformed). */
  readonly policy: string;
  /** The config field, as a path (`exemptions[0].expires`); "" for the policy entry itself. */
  readonly field: string;
  readonly message: string;
}

export class PolicyConfigError extends Error {
  constructor(readonly problems: readonly PolicyConfigProblem[]) {
    super(
      `Invalid policy pack config (fix the --policy-pack-config file): ${problems
        .map((problem) => `${problem.policy || "(file)"}${problem.field ? `: ${problem.field}` : ""}: ${problem.message}`)
        .join("; ")}`,
    );
    this.name = "PolicyConfigError";
  }
}

function isLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

interface ParsedEntry {
  readonly enforcementLevel?: EnforcementLevel;
  readonly properties?: Record<string, unknown>;
}

/** `parsePolicyPackConfig`: the CLI's own checks before any schema is looked at. */
function parseEntries(config: PolicyPackConfig): { entries: Map<string, ParsedEntry>; problems: PolicyConfigProblem[] } {
  const entries = new Map<string, ParsedEntry>();
  const problems: PolicyConfigProblem[] = [];
  for (const [policy, value] of Object.entries(config)) {
    if (typeof value === "string") {
      if (!isLevel(value)) {
        problems.push({
          policy,
          field: "",
          message: `${JSON.stringify(value)} is not a valid enforcement level (use ${ENFORCEMENT_LEVELS.join(", ")})`,
        });
        continue;
      }
      entries.set(policy, { enforcementLevel: value });
      continue;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.push({ policy, field: "", message: `must be an enforcement level string or an object, found ${JSON.stringify(value)}` });
      continue;
    }
    const { enforcementLevel, ...properties } = value as Record<string, unknown>;
    if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
      problems.push({
        policy,
        field: "enforcementLevel",
        message: `${JSON.stringify(enforcementLevel)} is not a valid enforcement level (use ${ENFORCEMENT_LEVELS.join(", ")})`,
      });
      continue;
    }
    const hasProperties = Object.keys(properties).length > 0;
    // The CLI drops empty entries.
    if (enforcementLevel === undefined && !hasProperties) continue;
    entries.set(policy, { enforcementLevel, properties: hasProperties ? properties : undefined });
  }
  return { entries, problems };
}

/** `applyConfig`: "all" sets every level, then each entry overrides its policy, properties merged shallowly. */
function applyConfig(result: Map<string, PolicyConfigEntry>, config: ReadonlyMap<string, ParsedEntry>): void {
  const all = config.get("all");
  if (all?.enforcementLevel) {
    for (const [policy, entry] of result) result.set(policy, { ...entry, enforcementLevel: all.enforcementLevel });
  }
  for (const [policy, given] of config) {
    const current = result.get(policy);
    // An entry for a name the pack does not have (e.g. "all") is passed on as the CLI does; the SDK ignores it.
    result.set(policy, {
      enforcementLevel: given.enforcementLevel ?? current?.enforcementLevel ?? "advisory",
      properties: { ...(current?.properties ?? {}), ...(given.properties ?? {}) },
    });
  }
}

/** `a.b[0].c` from ajv's JSON pointer, with the missing property of a `required` error appended. */
function fieldOf(error: ErrorObject): string {
  let path = error.instancePath
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`))
    .join("")
    .replace(/^\./, "");
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const extra = params.missingProperty ?? params.additionalProperty;
  if (extra !== undefined) path = path ? `${path}.${extra}` : extra;
  return path;
}

function describeError(error: ErrorObject): string {
  const params = error.params as { allowedValues?: unknown[]; additionalProperty?: string };
  if (error.keyword === "enum" && params.allowedValues)
    return `must be one of ${params.allowedValues.map((value) => JSON.stringify(value)).join(", ")}`;
  if (error.keyword === "additionalProperties") return "is not a setting this policy knows";
  if (error.keyword === "required") return "is required";
  return error.message ?? error.keyword;
}

function makeValidator(): Ajv {
  // A fresh instance per reconcile: ajv caches every compiled schema object for its lifetime.
  // allErrors: every error, like gojsonschema. strict: false: unknown keywords are ignored, as there.
  const ajv = new Ajv({ allErrors: true, strict: false });
  // gojsonschema checks `format: "date"` with Go's time.Parse("2006-01-02"): a real calendar day,
  // which is what the pack's own check accepts.
  ajv.addFormat("date", isCalendarDate);
  return ajv;
}

/**
 * The config the engine would send to Configure for `config`, or a PolicyConfigError naming each
 * policy and field the CLI would refuse (plus unknown policy names).
 */
export function reconcilePolicyPackConfig(info: AnalyzerInfo, config: PolicyPackConfig): Record<string, PolicyConfigEntry> {
  const { entries, problems } = parseEntries(config);
  const known = new Set(info.policies.map((policy) => policy.name));
  for (const policy of entries.keys()) {
    if (policy !== "all" && !known.has(policy)) {
      problems.push({
        policy,
        field: "",
        message: `the policy pack "${info.name}" has no policy of that name (it has ${[...known].join(", ")})`,
      });
    }
  }
  if (problems.length > 0) throw new PolicyConfigError(problems);

  // `createConfigWithDefaults`: every policy, its default level, the `default` of each schema property.
  const result = new Map<string, PolicyConfigEntry>();
  for (const policy of info.policies) {
    const properties: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
      if ("default" in schema) properties[key] = structuredClone(schema["default"]);
    }
    result.set(policy.name, { enforcementLevel: policy.enforcementLevel, properties });
  }
  applyConfig(result, new Map(Object.entries(info.initialConfig)));
  applyConfig(result, entries);

  if (info.supportsConfig) {
    const ajv = makeValidator();
    for (const policy of info.policies) {
      const properties = {
        ...(policy.configSchema?.properties ?? {}),
        // The engine injects this into every schema; it never reaches validation as a property.
        enforcementLevel: { type: "string", enum: [...ENFORCEMENT_LEVELS] },
      };
      const schema = {
        $schema: "http://json-schema.org/draft-07/schema#",
        type: "object",
        properties,
        ...(policy.configSchema?.required.length ? { required: [...policy.configSchema.required] } : {}),
      };
      const validate = ajv.compile(schema);
      if (!validate(result.get(policy.name)?.properties ?? {})) {
        for (const error of validate.errors ?? []) {
          problems.push({ policy: policy.name, field: fieldOf(error), message: describeError(error) });
        }
      }
    }
  }
  if (problems.length > 0) throw new PolicyConfigError(problems);
  return Object.fromEntries(result);
}
