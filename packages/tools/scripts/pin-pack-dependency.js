// `npm pack` / `npm publish` of the tools package (prepack: `pin`, postpack: `restore`).
// In the repository the tools depend on the pack as `file:../..`, which npm links to the checkout's
// root, so check and audit run against the pack beside them. A published package cannot carry a
// file: spec, so while the tarball is made the dependency names the pack's exact version (the two
// are released together), and the manifest in the checkout is put back afterwards.
const { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");

const PACK = "codedeploy-guardrails";
const toolsDir = join(__dirname, "..");
const manifestPath = join(toolsDir, "package.json");
// Outside the package's `files`, so it never reaches the tarball.
const backupPath = join(toolsDir, ".package.json.unpinned");

function pin() {
  if (existsSync(backupPath))
    throw new Error(`${backupPath} exists: a previous pack did not finish; run \`node scripts/pin-pack-dependency.js restore\``);
  if (!existsSync(join(toolsDir, "dist", "check", "cli.js")))
    throw new Error("the tools are not built: run `npm run build` at the repository root");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const packVersion = JSON.parse(readFileSync(join(toolsDir, "..", "..", "package.json"), "utf8")).version;
  if (!manifest.dependencies?.[PACK]?.startsWith("file:")) throw new Error(`expected a file: dependency on ${PACK} in ${manifestPath}`);
  copyFileSync(manifestPath, backupPath);
  manifest.dependencies[PACK] = packVersion;
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

function restore() {
  if (existsSync(backupPath)) renameSync(backupPath, manifestPath);
}

const command = process.argv[2];
if (command === "pin") pin();
else if (command === "restore") restore();
else {
  console.error("usage: node scripts/pin-pack-dependency.js pin|restore");
  process.exit(2);
}
