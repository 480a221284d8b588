// Copies the pinned Cytoscape.js build (see package-lock.json) into the Python package's
// static files. The copy is committed, so `pip install` and the running service need no npm
// and no network: `npm ci && npm run build` is only for bumping the version.
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, "node_modules", "cytoscape");
const { version } = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
const target = join(here, "..", "api", "static", "explorer", "vendor");

mkdirSync(target, { recursive: true });
copyFileSync(join(pkg, "dist", "cytoscape.min.js"), join(target, "cytoscape.min.js"));
copyFileSync(join(pkg, "LICENSE"), join(target, "cytoscape.LICENSE"));
console.log(`cytoscape ${version} -> ${target}`);
