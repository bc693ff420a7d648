// `npm run docs`: rewrites the README's generated tables and policy-config.example.json from the
// rule registry's metadata (scripts/docs/render.ts). tests/docs/generated.test.ts fails when they drift.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exampleConfigText, replaceRegions } from "./docs/render";

const ROOT = join(__dirname, "..");

async function main(): Promise<void> {
  const readmePath = join(ROOT, "README.md");
  writeFileSync(readmePath, replaceRegions(readFileSync(readmePath, "utf8")));
  const examplePath = join(ROOT, "policy-config.example.json");
  writeFileSync(examplePath, await exampleConfigText(examplePath));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
