// Copies the pinned Cytoscape.js build (see package-lock.json) into the Python package's
// static files. The copy is committed, so `pip install` and the running service need no npm
// and no network: `npm ci && npm run build` is only for bumping the version.
// `npm run check` (node build.mjs --check) fails when the committed copy differs from the pin.
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, "node_modules", "cytoscape");
const { version } = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
const target = join(here, "..", "api", "static", "explorer", "vendor");
const files = [["dist/cytoscape.min.js", "cytoscape.min.js"], ["LICENSE", "cytoscape.LICENSE"]];

if (process.argv.includes("--check")) {
  const stale = files.filter(([from, to]) => !readFileSync(join(pkg, from)).equals(readFileSync(join(target, to))));
  if (stale.length) {
    console.error(`vendored copy differs from cytoscape ${version}: ${stale.map(([, to]) => to).join(", ")}; run npm run build`);
    process.exit(1);
  }
  console.log(`vendored cytoscape matches ${version}`);
} else {
  mkdirSync(target, { recursive: true });
  for (const [from, to] of files) copyFileSync(join(pkg, from), join(target, to));
  console.log(`cytoscape ${version} -> ${target}`);
}
