// Runs on `npm ci` / `npm install` in a checkout: compiles the pack so `main` (dist/) exists and the
// engine never type-checks TypeScript when it starts the pack. Where the compiler is not installed
// (an `npm install --omit=dev` of the published pack, which ships dist/), there is nothing to do.
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const { execFileSync } = require("node:child_process");

const root = join(__dirname, "..");
// A published copy ships dist/ but not the sources or the build config: nothing to compile there.
if (!existsSync(join(root, "tsconfig.build.json"))) {
  if (existsSync(join(root, "dist", "policy-pack", "index.js"))) process.exit(0);
  console.error("prepare: neither sources nor dist/ found; this package is incomplete, reinstall it.");
  process.exit(1);
}
let tsc;
try {
  tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
} catch {
  if (existsSync(join(root, "dist", "policy-pack", "index.js"))) process.exit(0);
  console.error("prepare: TypeScript is not installed and dist/ is missing; run `npm ci` in a checkout to build the pack.");
  process.exit(1);
}
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit", cwd: root });
