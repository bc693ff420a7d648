// Fuzz cases: one CodeDeploy resource (or an unrelated one), either fully random JSON or a valid
// resource with one field replaced by garbage ("near-valid"), plus, for groups, the stack around it
// (application and custom deployment config) so that the stack policies reach it too.
import fc from "fast-check";
import {
  makeUrn,
  secret,
  UNKNOWN_SENTINEL,
  type EngineResource,
  type WireProperties,
  type WireValue,
} from "../../../packages/tools/src/engine";
import { DEFAULT_JSON_OPTIONS, type JsonOptions, wirePropsArb, wireValueArb } from "./json";
import {
  applicationFields,
  configFields,
  definitelyMalformed,
  type FieldSpec,
  type Flavor,
  groupFields,
  parsePath,
  setAt,
  TYPES,
  UNRELATED_TYPES,
  unwrapSecret,
  validStack,
  wrongTypeArb,
} from "./stacks";

// ---- cases ------------------------------------------------------------------------------------

export type CaseRole = "group" | "config" | "application" | "unrelated";

export interface FuzzCase {
  readonly kind: "random" | "near-valid";
  /** The resource under test. */
  readonly target: EngineResource;
  /** The whole stack of the case (the target included), for AnalyzeStack. */
  readonly stack: readonly EngineResource[];
  /** Set when the oracle applies: a mandatory violation must name this path. */
  readonly expectMalformed?: string;
  readonly mutation?: string;
}

let caseCounter = 0;
function uniqueSuffix(): string {
  caseCounter = (caseCounter + 1) % 1_000_000_000;
  return caseCounter.toString(36);
}

function res(type: string, name: string, properties: WireProperties, extra: Partial<EngineResource> = {}): EngineResource {
  return { urn: makeUrn("fuzz", "hardening", type, name), type, name, properties, ...extra };
}

function flavorTypes(flavor: Flavor) {
  return flavor.startsWith("native")
    ? { group: TYPES.nativeGroup, config: TYPES.nativeConfig, application: TYPES.nativeApplication }
    : { group: TYPES.classicGroup, config: TYPES.classicConfig, application: TYPES.classicApplication };
}

/** The stack of a flavor with `mutate` applied to the props of the resource playing `role`. */
export function buildStack(
  flavor: Flavor,
  role: Exclude<CaseRole, "unrelated">,
  mutate: (props: WireProperties) => WireProperties,
  suffix = uniqueSuffix(),
) {
  const types = flavorTypes(flavor);
  const valid = validStack(flavor, suffix);
  const application = res(types.application, `app-${suffix}`, role === "application" ? mutate(valid.application) : valid.application);
  const config = valid.config ? res(types.config, `config-${suffix}`, role === "config" ? mutate(valid.config) : valid.config) : undefined;
  const nameKey = flavor.startsWith("native") ? "applicationName" : "appName";
  const group = res(types.group, `group-${suffix}`, role === "group" ? mutate(valid.group) : valid.group, {
    dependencies: [application.urn, ...(config ? [config.urn] : [])],
    propertyDependencies: { [nameKey]: [application.urn], ...(config ? { deploymentConfigName: [config.urn] } : {}) },
  });
  const stack = [application, ...(config ? [config] : []), group];
  const target = role === "group" ? group : role === "config" ? config! : application;
  return { target, stack };
}

const FLAVORS: readonly Flavor[] = ["classicServer", "classicLambda", "nativeServer", "nativeEcs"];

function fieldsFor(flavor: Flavor, role: Exclude<CaseRole, "unrelated">): FieldSpec[] {
  return role === "group" ? groupFields(flavor) : role === "config" ? configFields(flavor) : applicationFields(flavor);
}

/** A near-valid case: a valid stack, one field of one resource replaced by garbage, removed, or made secret. */
export function nearValidCaseArb(
  role: Exclude<CaseRole, "unrelated">,
  provider: "classic" | "native",
  options: JsonOptions = DEFAULT_JSON_OPTIONS,
): fc.Arbitrary<FuzzCase> {
  const flavors = FLAVORS.filter((flavor) => flavor.startsWith(provider) && (role !== "config" || validStack(flavor).config !== undefined));
  return fc
    .constantFrom(...flavors)
    .chain((flavor) =>
      fc
        .record({
          field: fc.oneof(
            {
              weight: 3,
              arbitrary: fc.constantFrom(
                ...fieldsFor(flavor, role)
                  .filter((field) => field.mandatory)
                  .concat(fieldsFor(flavor, role).slice(0, 1)),
              ),
            },
            { weight: 1, arbitrary: fc.constantFrom(...fieldsFor(flavor, role)) },
          ),
          action: fc.constantFrom(
            "wrong-type",
            "wrong-type",
            "wrong-type",
            "wrong-type",
            "wrong-type",
            "secret-wrong-type",
            "garbage",
            "garbage",
            "secret-garbage",
            "remove",
            "unknown",
            "secret-valid",
          ),
          extra: fc.option(fc.tuple(fc.constantFrom(...fieldsFor(flavor, role)), wireValueArb(options)), { freq: 8 }),
        })
        .chain((picked) =>
          (picked.action.endsWith("wrong-type") ? wrongTypeArb(picked.field.expected, options) : wireValueArb(options)).map((garbage) => ({
            flavor,
            ...picked,
            action: picked.action.replace("wrong-type", "garbage"),
            garbage,
          })),
        ),
    )
    .map(({ flavor, field, action, garbage, extra }) => {
      let expectMalformed: string | undefined;
      const mutate = (props: WireProperties): WireProperties => {
        let result = props;
        // An optional second mutation first, so it cannot hide the first one's oracle.
        if (extra) result = setAt(result, extra[0].path, extra[1]);
        switch (action) {
          case "garbage":
          case "secret-garbage": {
            const value = action === "garbage" ? garbage : secret(garbage);
            const applied = parentExists(result, field.path);
            result = setAt(result, field.path, value);
            if (
              field.mandatory &&
              !extra &&
              applied &&
              !resolvedByDependencies(flavor, role, field.path) &&
              definitelyMalformed(value, field.expected)
            )
              expectMalformed = field.path;
            return result;
          }
          case "remove":
            return setAt(result, field.path, undefined);
          case "unknown":
            return setAt(result, field.path, UNKNOWN_SENTINEL);
          default: {
            const current = getAt(result, field.path);
            return current === undefined ? result : setAt(result, field.path, secret(current));
          }
        }
      };
      const { target, stack } = buildStack(flavor, role, mutate);
      return {
        kind: "near-valid" as const,
        target,
        stack,
        expectMalformed,
        mutation: `${flavor} ${role} ${field.path} ${action}${extra ? ` + ${extra[0].path}` : ""}`,
      };
    });
}

/**
 * A group's name field that the stack's property dependencies already resolve (buildStack gives a
 * group with a config in the stack a `deploymentConfigName` dependency): the resource it names is
 * the one the dependency names, whatever the field holds (docs/resolution.md, step 1), so no check
 * has to read it. (The provider's Check refuses a name of the wrong type before any policy runs.)
 */
function resolvedByDependencies(flavor: Flavor, role: Exclude<CaseRole, "unrelated">, path: string): boolean {
  return role === "group" && path === "deploymentConfigName" && validStack(flavor).config !== undefined;
}

function parentExists(props: WireProperties, path: string): boolean {
  const segments = parsePath(path);
  let target: WireValue = props;
  for (const segment of segments.slice(0, -1)) {
    if (typeof target !== "object" || target === null) return false;
    target = unwrapSecret((target as Record<string | number, WireValue>)[segment] ?? null);
  }
  return typeof target === "object" && target !== null;
}

export function getAt(props: WireProperties, path: string): WireValue | undefined {
  let target: WireValue | undefined = props;
  for (const segment of parsePath(path)) {
    const plain: WireValue | undefined = target === undefined ? undefined : unwrapSecret(target);
    if (typeof plain !== "object" || plain === null) return undefined;
    target = (plain as Record<string | number, WireValue>)[segment];
  }
  return target;
}

/** A fully random resource of `type`, alone or beside a random group/config/application. */
export function randomCaseArb(type: string, options: JsonOptions = DEFAULT_JSON_OPTIONS): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(
      wirePropsArb(options),
      fc.array(fc.tuple(fc.constantFrom(...Object.values(TYPES), ...UNRELATED_TYPES), wirePropsArb(options)), { maxLength: 2 }),
    )
    .map(([props, others]) => {
      const suffix = uniqueSuffix();
      const target = res(type, `random-${suffix}`, props);
      const neighbours = others.map(([otherType, otherProps], index) => res(otherType, `n${index}-${suffix}`, otherProps));
      // Random property dependencies from the target to its neighbours.
      const withDeps: EngineResource =
        neighbours.length > 0
          ? {
              ...target,
              propertyDependencies: {
                deploymentConfigName: neighbours.map((item) => item.urn),
                appName: [neighbours[0]!.urn],
                applicationName: [neighbours[0]!.urn],
              },
            }
          : target;
      return { kind: "random" as const, target: withDeps, stack: [...neighbours, withDeps] };
    });
}

/** Cases for one resource type: a third fully random, the rest near-valid. */
export function caseArbFor(type: string, options: JsonOptions = DEFAULT_JSON_OPTIONS): fc.Arbitrary<FuzzCase> {
  const role: CaseRole = type.endsWith("DeploymentGroup")
    ? "group"
    : type.endsWith("DeploymentConfig")
      ? "config"
      : type.endsWith("Application")
        ? "application"
        : "unrelated";
  if (role === "unrelated") return randomCaseArb(type, options);
  const provider = type.startsWith("aws-native:") ? "native" : "classic";
  return fc.oneof(
    { weight: 1, arbitrary: randomCaseArb(type, options) },
    { weight: 2, arbitrary: nearValidCaseArb(role, provider, options) },
  );
}
