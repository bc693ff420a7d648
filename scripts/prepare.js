// Runs on `npm ci` / `npm install` in a checkout, and as `npm run build`: compiles the pack so `main`
// (dist/) exists and the engine never type-checks TypeScript when it starts the pack, then the tools
// package (packages/tools/dist/, its bins), which type-checks against the pack's compiled
// declarations and so comes second. Each dist/ is removed first, so a module whose source was deleted
// is never left behind to be published; `--no-clean` skips that, for the tests, which rebuild while
// other test files run the pack from dist/. Where the compiler is not installed (an
// `npm install --omit=dev` of the published pack, which ships dist/), there is nothing to do and dist/
// is left alone.
const { existsSync, rmSync } = require("node:fs");
const { join } = require("node:path");
const { execFileSync } = require("node:child_process");

const root = join(__dirname, "..");
/** Build order: the pack, then the tools that import its public entry points. */
const PACKAGES = [
  { dir: root, entry: join("dist", "policy-pack", "index.js") },
  { dir: join(root, "packages", "tools"), entry: join("dist", "check", "cli.js") },
];

// A published copy ships dist/ but not the sources or the build config: nothing to compile there.
if (!existsSync(join(root, "tsconfig.build.json"))) {
  if (existsSync(join(root, PACKAGES[0].entry))) process.exit(0);
  console.error("prepare: neither sources nor dist/ found; this package is incomplete, reinstall it.");
  process.exit(1);
}
let tsc;
try {
  tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
} catch {
  if (existsSync(join(root, PACKAGES[0].entry))) process.exit(0);
  console.error("prepare: TypeScript is not installed and dist/ is missing; run `npm ci` in a checkout to build the pack.");
  process.exit(1);
}
const clean = !process.argv.includes("--no-clean");
for (const { dir } of PACKAGES) {
  if (clean) rmSync(join(dir, "dist"), { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.build.json")], { stdio: "inherit", cwd: dir });
}
