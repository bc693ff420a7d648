// Stand-in policies for the specs of the policy-config pipeline (core/packConfig.ts), which must
// hold for any policy, not only the six the pack ships.
import { normalisePackConfig, type ConfigurablePolicy } from "../../policy-pack/core/packConfig";

/** Two stand-in policies: `strict` refuses any setting, `loose` takes anything. */
export const POLICIES: readonly ConfigurablePolicy[] = [
  { name: "strict", settingsErrors: (settings) => Object.keys(settings).map((field) => ({ field, message: "is not a setting" })) },
  { name: "loose", settingsErrors: () => [] },
];

/** The pipeline's refusal of `raw` under the stand-in policies; throws when it is accepted. */
export function refusal(raw: unknown): string {
  const result = normalisePackConfig(raw, POLICIES);
  if (result.ok) throw new Error(`accepted ${JSON.stringify(raw)}`);
  return result.message;
}
