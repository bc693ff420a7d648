// The pack's entry point, the only module that constructs (and so serves) the PolicyPack.
import { PolicyPack } from "@pulumi/policy";
import { buildPolicies, PACK_DESCRIPTION, PACK_NAME } from "./policies";

new PolicyPack(PACK_NAME, {
  policies: buildPolicies(),
  description: PACK_DESCRIPTION,
  displayName: "CodeDeploy guardrails",
  provider: "aws",
  tags: ["aws", "codedeploy", "rollback", "reliability"],
});
