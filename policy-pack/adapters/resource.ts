import type { ResourceRef } from "../core/model";

/** A Pulumi resource as the adapters need it, whichever path it came through (SDK, state file, mocks). */
export interface PulumiResource {
  readonly type: string;
  readonly urn: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  /** Property name to the URNs its value was computed from. */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

export function refOf(resource: PulumiResource): ResourceRef {
  return { urn: resource.urn, name: resource.name, type: resource.type };
}

export function dependenciesOf(resource: PulumiResource, property: string): readonly string[] {
  return resource.propertyDependencies?.[property] ?? [];
}
