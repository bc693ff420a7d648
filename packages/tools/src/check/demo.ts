// `npm start`: checks the reference stack, then the faulty tutorial example, and prints both
// reports. The faulty one is expected to fail; this exits 0 only when both verdicts are as expected.
import { join } from "node:path";
import { alarmRollbackConfigured } from "codedeploy-guardrails/rules";
import { packageRoot } from "../shared/packageRoot";
import { runCheckCli } from "./main";

/** The violation the faulty example exists to show: DEPLOYMENT_STOP_ON_ALARM with no alarm. */
const EXPECTED_FAULTY_POLICY = alarmRollbackConfigured.metadata.name;

async function main(): Promise<number> {
  const root = packageRoot();
  const write = (text: string) => process.stdout.write(text);
  write("== Reference stack (reference-stack/): expected to pass\n\n");
  const reference = await runCheckCli([join(root, "reference-stack")]);
  write("\n== Faulty tutorial example (examples/faulty-auto-rollback/): expected to fail\n\n");
  const faulty = await runCheckCli([join(root, "examples", "faulty-auto-rollback")]);
  const faultyPolicies = new Set(
    faulty.report?.violations.filter((violation) => violation.enforcementLevel === "mandatory").map((violation) => violation.policy),
  );
  const referenceOk = reference.exitCode === 0;
  const faultyOk = faulty.exitCode === 1 && faultyPolicies.has(EXPECTED_FAULTY_POLICY);
  write(
    `\n== Verdicts: reference stack ${referenceOk ? "passed, as expected" : "DID NOT PASS"}; faulty example ${
      faultyOk ? `failed on ${EXPECTED_FAULTY_POLICY}, as expected` : "was NOT caught as expected"
    }\n`,
  );
  return referenceOk && faultyOk ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
