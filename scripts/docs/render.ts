// What `npm run docs` writes, rendered from the rule registry alone: the README's policy and
// settings tables and policy-config.example.json. Pure, so the drift test renders the same text and
// compares it with the files in the tree.
import { format, resolveConfig } from "prettier";
import type { JsonSchema } from "../../policy-pack/core/schema";
import { POLICY_RUNNERS, type PolicyMetadata } from "../../policy-pack/rules";

/** A README region the generator owns, between `<!-- generated:<name> -->` and `<!-- /generated:<name> -->`. */
export interface GeneratedRegion {
  readonly name: string;
  readonly content: string;
}

const METADATA: readonly PolicyMetadata[] = POLICY_RUNNERS.map((runner) => runner.metadata);

function code(text: string): string {
  return `\`${text}\``;
}

export function policyTable(policies: readonly PolicyMetadata[] = METADATA): string {
  const rows = policies.map((policy) => `| ${code(policy.name)} | ${policy.enforcementLevel} | ${policy.violationSummary} |`);
  return ["| policy | default level | violation when |", "|---|---|---|", ...rows].join("\n");
}

/** A list setting that defaults to empty is named bare; any other shows its default and, when bounded both ways, its range. */
function describeSetting(name: string, schema: JsonSchema): string {
  const isEmptyList = Array.isArray(schema.default) && schema.default.length === 0;
  if (schema.default === undefined || isEmptyList) return code(name);
  const json = JSON.stringify(schema.default);
  const defaultText = Array.isArray(schema.default) ? code(json.replaceAll(",", ", ")) : json;
  const range = schema.minimum !== undefined && schema.maximum !== undefined ? `, ${schema.minimum}..${schema.maximum}` : "";
  return `${code(name)} (${defaultText}${range})`;
}

export function settingsTable(policies: readonly PolicyMetadata[] = METADATA): string {
  const rows = policies.map((policy) => {
    const settings = Object.entries(policy.configSchema.properties).map(([name, schema]) => describeSetting(name, schema));
    return `| ${code(policy.name)} | ${settings.join(", ")} |`;
  });
  return ["| policy | settings (default) |", "|---|---|", ...rows].join("\n");
}

/**
 * Each policy at its default level with every setting that has a non-empty default, overridden by
 * the metadata's `exampleSettings`; a policy with nothing to show is written as its level alone.
 */
export function exampleConfig(policies: readonly PolicyMetadata[] = METADATA): Record<string, unknown> {
  const file: Record<string, unknown> = {};
  for (const policy of policies) {
    const settings: Record<string, unknown> = {};
    for (const [name, schema] of Object.entries(policy.configSchema.properties)) {
      const value = policy.exampleSettings?.[name] ?? schema.default;
      if (value !== undefined && !(Array.isArray(value) && value.length === 0)) settings[name] = value;
    }
    file[policy.name] =
      Object.keys(settings).length === 0 ? policy.enforcementLevel : { enforcementLevel: policy.enforcementLevel, ...settings };
  }
  return file;
}

/** The example file as Prettier writes it, so `npm run format:check` and the drift test agree. */
export async function exampleConfigText(filePath: string, policies: readonly PolicyMetadata[] = METADATA): Promise<string> {
  const options = (await resolveConfig(filePath)) ?? {};
  return format(JSON.stringify(exampleConfig(policies)), { ...options, filepath: filePath });
}

export const README_REGIONS: readonly GeneratedRegion[] = [
  { name: "policy-table", content: policyTable() },
  { name: "settings-table", content: settingsTable() },
];

/** The README with every generated region replaced; throws when a region's markers are missing. */
export function replaceRegions(readme: string, regions: readonly GeneratedRegion[] = README_REGIONS): string {
  let result = readme;
  for (const region of regions) {
    const start = `<!-- generated:${region.name} (npm run docs) -->`;
    const end = `<!-- /generated:${region.name} -->`;
    const from = result.indexOf(start);
    const to = result.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md lacks the markers ${start} ... ${end}`);
    result = `${result.slice(0, from + start.length)}\n${region.content}\n${result.slice(to)}`;
  }
  return result;
}
