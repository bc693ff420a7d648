import { UNKNOWN, type ResourceRef, type ResourceScope, type Unknown } from "../core/model";
import { readProperty, type Raw } from "./read";

/** The provider a resource is managed by, as the engine sends it with the resource: its URN and inputs. */
export interface ProviderRef {
  readonly urn: string;
  readonly props: Record<string, unknown>;
}

/** A Pulumi resource as the adapters need it, whichever path it came through (SDK, state file, mocks). */
export interface PulumiResource {
  readonly type: string;
  readonly urn: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  /** Property name to the URNs its value was computed from. */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  /** Absent when the source says nothing about providers (a test payload); the scope is then `none`. */
  readonly provider?: ProviderRef;
}

export function refOf(resource: PulumiResource): ResourceRef {
  return { urn: resource.urn, name: resource.name, type: resource.type };
}

export function dependenciesOf(resource: PulumiResource, property: string): readonly string[] {
  return resource.propertyDependencies?.[property] ?? [];
}

/** A `region` property that is set: a string, or unknown during preview. */
function regionOf(props: Raw): string | Unknown | undefined {
  const value = readProperty(props, "region");
  return value === UNKNOWN || typeof value === "string" ? value : undefined;
}

/** The resource's own region when set, else its provider's, and the provider's URN (`none` without one). */
export function scopeOf(resource: PulumiResource): ResourceScope {
  const provider = resource.provider?.urn || "none";
  const region = regionOf(resource.props) ?? regionOf(resource.provider?.props);
  return region === undefined ? { provider } : { provider, region };
}
