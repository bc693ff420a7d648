// Pieces of policy config shared by several policies, and the parsing every policy uses.
import { validateAgainstSchema, type JsonSchema, type SchemaError } from "./schema";
import type { ComputePlatform } from "./model";
import type { TrafficRoutingType } from "./catalog";

export interface Exemption {
  /** A URN (or a glob starting with `urn:`), or a glob (`*`, `?`) over the resource's logical name. */
  readonly resource: string;
  readonly reason: string;
  /** `YYYY-MM-DD`; the exemption holds through the end of that day (UTC). */
  readonly expires: string;
}

/** A deployment config that lives outside the stack, declared so groups that use it can be checked. */
export interface ExternalDeploymentConfig {
  readonly name: string;
  readonly computePlatform?: ComputePlatform;
  readonly minimumHealthyHosts?: { readonly type: "HOST_COUNT" | "FLEET_PERCENT"; readonly value: number };
  readonly trafficRoutingType?: TrafficRoutingType;
}

const DATE_PATTERN = "^\\d{4}-\\d{2}-\\d{2}$";

export const exemptionsSchema: JsonSchema = {
  type: "array",
  description:
    "Resources exempted from this policy. Each entry names a resource by URN (a glob when it starts with urn:) or by a glob over its logical name, says why, and expires (YYYY-MM-DD, UTC); after that day the violation comes back.",
  items: {
    type: "object",
    required: ["resource", "reason", "expires"],
    additionalProperties: false,
    properties: {
      resource: { type: "string", minLength: 1, description: "URN (a glob when it starts with urn:), or a glob over the logical name." },
      reason: { type: "string", minLength: 1, description: "Why the resource is exempt; shown when the exemption expires." },
      expires: { type: "string", pattern: DATE_PATTERN, format: "date", description: "Last day (UTC) the exemption holds, YYYY-MM-DD." },
    },
  },
  default: [],
};

export const externalDeploymentConfigsSchema: JsonSchema = {
  type: "array",
  description:
    "Deployment configs defined outside the stack (another stack, the console). Declare their settings so groups that use them are checked; a custom name that is neither in the stack nor declared here is reported.",
  items: {
    type: "object",
    required: ["name"],
    additionalProperties: false,
    properties: {
      name: { type: "string", minLength: 1 },
      computePlatform: { type: "string", enum: ["Server", "Lambda", "ECS"] },
      minimumHealthyHosts: {
        type: "object",
        required: ["type", "value"],
        additionalProperties: false,
        properties: {
          type: { type: "string", enum: ["HOST_COUNT", "FLEET_PERCENT"] },
          value: { type: "integer", minimum: 0 },
        },
      },
      trafficRoutingType: { type: "string", enum: ["AllAtOnce", "TimeBasedCanary", "TimeBasedLinear", "TimeBasedFlexible"] },
    },
  },
  default: [],
};

/** The `configSchema` of one policy, as `@pulumi/policy` takes it. */
export interface PolicyConfigSchema {
  readonly properties: Readonly<Record<string, JsonSchema>>;
}

export type ConfigResult<T> = { readonly ok: true; readonly config: T } | { readonly ok: false; readonly errors: readonly SchemaError[] };

/**
 * Validates a policy's raw config against its schema and fills in defaults. Unknown keys are
 * refused: a misspelled setting silently ignored is a check silently skipped.
 */
export function parsePolicyConfig<T>(schema: PolicyConfigSchema, raw: unknown): ConfigResult<T> {
  const rawObject = raw ?? {};
  const errors = validateAgainstSchema(rawObject, { type: "object", properties: schema.properties, additionalProperties: false }, "");
  if (errors.length === 0) {
    const exemptions = (rawObject as { exemptions?: Exemption[] }).exemptions ?? [];
    exemptions.forEach((exemption, index) => {
      if (!isCalendarDate(exemption.expires)) {
        errors.push({ field: `exemptions[${index}].expires`, message: `is not a calendar date: ${JSON.stringify(exemption.expires)}` });
      }
    });
    // Two declarations of one name would leave the pack to pick one: a first match, never made.
    const declared = (rawObject as { externalDeploymentConfigs?: ExternalDeploymentConfig[] }).externalDeploymentConfigs ?? [];
    declared.forEach((config, index) => {
      const first = declared.findIndex((other) => other.name === config.name);
      if (first < index) {
        errors.push({
          field: `externalDeploymentConfigs[${index}].name`,
          message: `repeats the name of externalDeploymentConfigs[${first}]; declare each deployment config once`,
        });
      }
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  const config: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema.properties)) {
    config[key] = (rawObject as Record<string, unknown>)[key] ?? structuredClone(property.default);
  }
  return { ok: true, config: config as T };
}

export function isCalendarDate(text: string): boolean {
  if (!new RegExp(DATE_PATTERN).test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

export function formatConfigErrors(policy: string, errors: readonly SchemaError[]): string {
  return errors.map((error) => `${policy}: config field "${error.field || "(root)"}" ${error.message}`).join("; ");
}
