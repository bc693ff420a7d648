// A small JSON-schema subset, enough for the pack's own config schemas. The Pulumi engine
// validates policy config against these schemas before it calls Configure; the pack checks again
// itself, because a config that reaches a policy unchecked must never turn into a silent pass.

export type JsonSchema = {
  readonly type?: "string" | "number" | "integer" | "boolean" | "object" | "array";
  readonly description?: string;
  readonly enum?: readonly (string | number | boolean)[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly pattern?: string;
  /** Also checked by the Pulumi CLI before Configure; the pack checks the calendar date itself. */
  readonly format?: "date";
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly default?: unknown;
};

export interface SchemaError {
  /** Dotted path of the offending field, e.g. `exemptions[0].expires`. */
  readonly field: string;
  readonly message: string;
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function matchesType(value: unknown, type: NonNullable<JsonSchema["type"]>): boolean {
  const found = jsonType(value);
  return found === type || (type === "number" && found === "integer");
}

function describe(value: unknown): string {
  // Config values are the user's own settings, not resource data, so echoing them is safe.
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function validateAgainstSchema(value: unknown, schema: JsonSchema, field: string): SchemaError[] {
  const errors: SchemaError[] = [];
  if (schema.type && !matchesType(value, schema.type)) {
    const article = ["integer", "object", "array"].includes(schema.type) ? "an" : "a";
    const found = jsonType(value);
    return [{ field, message: `must be ${article} ${schema.type}, found ${found === "null" ? "null" : `${found} ${describe(value)}`}` }];
  }
  if (schema.enum && !schema.enum.includes(value as string | number | boolean)) {
    errors.push({ field, message: `must be one of ${schema.enum.join(", ")}; found ${describe(value)}` });
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) {
      errors.push({ field, message: `must be at least ${schema.minimum}, found ${value}` });
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      errors.push({ field, message: `must be at most ${schema.maximum}, found ${value}` });
    }
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      errors.push({ field, message: `must not be empty` });
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) {
      errors.push({ field, message: `must match ${schema.pattern}, found ${describe(value)}` });
    }
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      errors.push({ field, message: `must have at least ${schema.minItems} item(s)` });
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      errors.push({ field, message: `must have at most ${schema.maxItems} item(s)` });
    }
    if (schema.uniqueItems && new Set(value.map((item) => JSON.stringify(item))).size !== value.length) {
      errors.push({ field, message: `must not repeat an item` });
    }
    if (schema.items) {
      value.forEach((item, index) => errors.push(...validateAgainstSchema(item, schema.items!, `${field}[${index}]`)));
    }
  }
  if (jsonType(value) === "object") {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (record[key] === undefined) errors.push({ field: join(field, key), message: `is required` });
    }
    for (const [key, item] of Object.entries(record)) {
      const propertySchema = schema.properties?.[key];
      if (propertySchema) {
        errors.push(...validateAgainstSchema(item, propertySchema, join(field, key)));
      } else if (schema.additionalProperties === false) {
        errors.push({ field: join(field, key), message: `is not a known setting` });
      }
    }
  }
  return errors;
}

function join(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}
