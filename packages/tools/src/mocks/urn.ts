// URNs as the Pulumi engine forms them (`resource.NewURN` in the engine's Go source): the qualified
// type is the chain of the ancestors' types joined by `$`, WITHOUT the root `pulumi:pulumi:Stack`.
// The SDK's mock monitor keeps only the parent's last type and keeps the root stack's type, so
// neither a nested component nor a top-level resource would get the URN a real preview gives it, and
// an exemption written against one would not apply to the other.

/** The type of the root stack resource, which the engine leaves out of its children's URNs. */
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** The qualified type of a URN: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`. */
export function qualifiedTypeOf(urn: string): string {
  return urn.split("::")[2] ?? "";
}

/** The URN the engine gives a resource of `type` named `name` under `parentUrn` (none for the root stack). */
export function engineUrn(stack: string, project: string, parentUrn: string | undefined, type: string, name: string): string {
  const parentType = parentUrn ? qualifiedTypeOf(parentUrn) : "";
  const qualifiedType = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}

/**
 * A URN written by an older `check` (with the root stack's type in the chain) in the engine's form;
 * an engine URN is returned unchanged. Lets a baseline written before the fix still match.
 */
export function normalizeUrn(urn: string): string {
  const parts = urn.split("::");
  const type = parts[2];
  if (parts.length < 4 || type === undefined || !type.startsWith(`${ROOT_STACK_TYPE}$`)) return urn;
  parts[2] = type.slice(ROOT_STACK_TYPE.length + 1);
  return parts.join("::");
}
