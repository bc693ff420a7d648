// Random JSON in the engine's wire encoding (unknowns as the sentinel string, secrets as signature
// objects), as the engine can send it: the garbage the fuzzers feed the pack.
import fc from "fast-check";
import { secret, UNKNOWN_SENTINEL, type WireProperties, type WireValue } from "../../../packages/tools/src/engine";

export interface JsonOptions {
  /** Longest generated string (a few cases get one this long). */
  readonly maxStringLength: number;
  /** Longest generated array (a few cases get one this long). */
  readonly maxArrayLength: number;
  /** Deepest nesting of the deep-chain generator. */
  readonly maxDepth: number;
}

export const DEFAULT_JSON_OPTIONS: JsonOptions = { maxStringLength: 4_096, maxArrayLength: 500, maxDepth: 60 };

/** Strings: ASCII, full unicode (astral, combining), lone surrogates, sentinel-like, huge. */
function stringArb(options: JsonOptions): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 16 }) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }) },
    { weight: 1, arbitrary: fc.constantFrom("\ud800", "\udfff", "a\ud83d", "\ude00b", "\u0000", "\u202e", "𝔘𝔫𝔦", "") },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "DEPLOYMENT_FAILURE",
        "DEPLOYMENT_STOP_ON_ALARM",
        "BLUE_GREEN",
        "IN_PLACE",
        "TERMINATE",
        "KEEP_ALIVE",
        "IGNORE",
        "UPDATE",
        "HOST_COUNT",
        "FLEET_PERCENT",
        "MOST_CONCURRENCY",
        "Server",
        "Lambda",
        "ECS",
        "AllAtOnce",
        "TimeBasedCanary",
        "CodeDeployDefault.OneAtATime",
        "CodeDeployDefault.AllAtOnce",
        "CodeDeployDefault.LambdaAllAtOnce",
        "CodeDeployDefault.ECSCanary10Percent5Minutes",
        "CodeDeployDefault.Nope",
        "true",
        "1",
        "__proto__",
        "constructor",
      ),
    },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: options.maxStringLength }).map((length) => "x".repeat(length)) },
  );
}

function numberArb(): fc.Arbitrary<number> {
  return fc.oneof(
    fc.integer({ min: -5, max: 200 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0.5, -0, 1e21, Number.MAX_SAFE_INTEGER + 2, -1e308, 5e-324, 99.999),
  );
}

/** Any wire value; `unknown` and secret wrappers appear at any depth. */
export function wireValueArb(options: JsonOptions = DEFAULT_JSON_OPTIONS): fc.Arbitrary<WireValue> {
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 8 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "enabled",
        "events",
        "alarms",
        "name",
        "type",
        "value",
        "action",
        "__proto__",
        "constructor",
        "toString",
        "length",
      ),
    },
  );
  const { value } = fc.letrec<{ value: WireValue; leaf: WireValue }>((tie) => ({
    leaf: fc.oneof(
      { weight: 2, arbitrary: fc.constant(null) },
      { weight: 2, arbitrary: fc.boolean() },
      { weight: 3, arbitrary: numberArb() },
      { weight: 5, arbitrary: stringArb(options) },
      { weight: 2, arbitrary: fc.constant(UNKNOWN_SENTINEL) },
    ),
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      { weight: 6, arbitrary: tie("leaf") },
      { weight: 2, arbitrary: fc.array(tie("value"), { maxLength: 5 }) },
      { weight: 2, arbitrary: fc.dictionary(key, tie("value"), { maxKeys: 5 }) },
      { weight: 1, arbitrary: tie("value").map((inner) => secret(inner)) },
      // Huge arrays and deep chains, rarely: they are slow to build and send.
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            fc.integer({ min: 0, max: options.maxArrayLength }),
            fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.string({ maxLength: 8 }), fc.constant(UNKNOWN_SENTINEL)),
          )
          .map(([length, item]) => Array.from({ length }, () => item)),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(fc.integer({ min: 1, max: options.maxDepth }), fc.boolean(), tie("leaf")).map(([depth, asArray, leaf]) => {
          let result: WireValue = leaf;
          for (let index = 0; index < depth; index++) result = asArray ? [result] : { nested: result };
          return result;
        }),
      },
    ),
  }));
  return value;
}

export function wirePropsArb(options: JsonOptions = DEFAULT_JSON_OPTIONS): fc.Arbitrary<WireProperties> {
  const fieldNames = fc.constantFrom(
    "appName",
    "applicationName",
    "deploymentGroupName",
    "deploymentConfigName",
    "computePlatform",
    "ecsService",
    "ecsServices",
    "autoRollbackConfiguration",
    "alarmConfiguration",
    "deploymentStyle",
    "blueGreenDeploymentConfig",
    "blueGreenDeploymentConfiguration",
    "outdatedInstancesStrategy",
    "minimumHealthyHosts",
    "trafficRoutingConfig",
    "zonalConfig",
    "name",
    "tags",
  );
  return fc.dictionary(
    fc.oneof({ weight: 4, arbitrary: fieldNames }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }),
    wireValueArb(options),
    {
      maxKeys: 10,
    },
  );
}
