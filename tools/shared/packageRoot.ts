import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The folder of this package (the policy pack itself), found from this module's own location so it
 * works from the sources (tsx), from dist/, and from an installed copy under node_modules.
 */
export function packageRoot(): string {
  let directory = __dirname;
  for (;;) {
    const manifest = join(directory, "package.json");
    if (existsSync(manifest)) {
      const name = (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name;
      if (name === "codedeploy-guardrails") return directory;
    }
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`cannot find the codedeploy-guardrails package above ${__dirname}`);
    directory = parent;
  }
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}
