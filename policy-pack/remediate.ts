// Remediation on the SDK's props: reads through the SDK's proxies to the raw values, applies a
// rule's patch, and puts secret wrappers back where they were, so a remediation never turns a
// secret into plain text nor loses a value unknown during preview.
import { Secret, type ResourceValidationArgs } from "@pulumi/policy";
import { applyGroupPatch, toGroupModel } from "./adapters";
import { proxyTarget } from "./adapters/read";
import type { ConfiguredRule } from "./rules";

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Secret);
}

/** The props with every `Secret` wrapper replaced by its value, at any depth. */
function unwrapSecrets(value: unknown): unknown {
  if (value instanceof Secret) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (isPlainRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unwrapSecrets(item)]));
  return value;
}

/**
 * Wraps again, in `patched`, every value whose place in `original` held a `Secret`, so a secret
 * block or leaf stays secret when a remediation rewrites it. Array items keep their place: the
 * patches only append events.
 */
function rewrapSecrets(original: unknown, patched: unknown): unknown {
  if (original instanceof Secret) return new Secret(rewrapSecrets(original.value, patched));
  if (Array.isArray(original) && Array.isArray(patched)) {
    return patched.map((item: unknown, index) => (index < original.length ? rewrapSecrets(original[index], item) : item));
  }
  if (isPlainRecord(original) && isPlainRecord(patched)) {
    return Object.fromEntries(
      Object.entries(patched).map(([key, item]) => [
        key,
        Object.prototype.hasOwnProperty.call(original, key) ? rewrapSecrets(original[key], item) : item,
      ]),
    );
  }
  return patched;
}

/**
 * The props a remediation returns for a deployment group: the rule's neutral patch written back
 * into the provider's shape, with every value it does not change kept exactly, secrets and
 * unknowns included. Undefined when nothing needs fixing.
 */
export function remediateGroupProps(rule: ConfiguredRule, args: ResourceValidationArgs): Record<string, unknown> | undefined {
  // The first remediation of a request gets the SDK's proxies (which unwrap secrets on read); the
  // SDK hands each later one the previous result as a plain object that still holds `Secret`
  // instances. Reading the model from unwrapped props makes both look the same.
  // The raw props behind the SDK's proxies, with `Secret` wrappers and unknown sentinels intact: a
  // remediation built from these keeps every value it does not change exactly as it came.
  const raw = proxyTarget(args.props) as Record<string, unknown>;
  const plain = unwrapSecrets(raw) as Record<string, unknown>;
  const group = toGroupModel({ type: args.type, urn: args.urn, name: args.name, props: plain });
  if (!group) return undefined;
  const patch = rule.remediateGroup(group);
  if (!patch) return undefined;
  // Everything the patch does not touch keeps its exact value, secrets and unknowns included.
  return rewrapSecrets(raw, applyGroupPatch(plain, patch)) as Record<string, unknown>;
}
