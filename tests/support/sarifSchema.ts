// Validates SARIF logs against the official SARIF 2.1.0 JSON schema (draft-04), shipped in the
// @microsoft/jest-sarif package.
import Ajv from "ajv-draft-04";
import { readFileSync } from "node:fs";

const schemaPath = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")) as object);

export function sarifSchemaErrors(log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ""}`);
}
