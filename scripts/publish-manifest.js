// The manifest a package of this repository is published with: `prepack` writes it over package.json,
// `postpack` puts the checkout's back (both run with the package's folder as working directory, by
// `npm pack` and `npm publish`). Two things differ from the checkout's manifest:
// - no devDependencies and no workspaces. Pulumi Cloud runs `npm install` in the unpacked pack on every
//   preview, with the pack as the root project, so npm would resolve the whole development tree and
//   keep TypeScript: it is an optional peer of @pulumi/pulumi, so npm marks it devOptional and
//   `--omit=dev` does not drop it (23 MB).
// - a `file:` dependency on another package of this repository (the tools' `file:../..` on the pack,
//   which npm links in the checkout) becomes that package's exact version: the two are released
//   together, and a published package cannot point into a checkout.
const { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const { join, resolve } = require("node:path");

const packageDir = process.cwd();
const manifestPath = join(packageDir, "package.json");
// A dotfile outside every package's `files`, so it never reaches a tarball (and gitignored).
const backupPath = join(packageDir, ".package.json.checkout");

function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

function publishedManifest(manifest) {
  const { devDependencies: _dev, workspaces: _workspaces, ...published } = manifest;
  const dependencies = { ...published.dependencies };
  for (const [name, spec] of Object.entries(dependencies)) {
    if (spec.startsWith("file:"))
      dependencies[name] = readJson(join(resolve(packageDir, spec.slice("file:".length)), "package.json")).version;
  }
  return { ...published, dependencies };
}

function prepack() {
  if (existsSync(backupPath)) {
    throw new Error(`${backupPath} exists: an earlier pack did not finish; check it, move it back to package.json, and pack again`);
  }
  const manifest = readJson(manifestPath);
  const entries = [manifest.main, ...Object.values(manifest.bin ?? {})].filter((entry) => entry !== undefined);
  const missing = entries.filter((entry) => !existsSync(join(packageDir, entry)));
  if (missing.length > 0)
    throw new Error(`${manifest.name} is not built (${missing.join(", ")} missing): run \`npm run build\` at the repository root`);
  copyFileSync(manifestPath, backupPath);
  writeFileSync(manifestPath, `${JSON.stringify(publishedManifest(manifest), null, 2)}\n`);
}

function postpack() {
  if (existsSync(backupPath)) renameSync(backupPath, manifestPath);
}

const command = process.argv[2];
if (command === "prepack") prepack();
else if (command === "postpack") postpack();
else {
  console.error("usage: node scripts/publish-manifest.js prepack|postpack (in the package's folder)");
  process.exit(2);
}
