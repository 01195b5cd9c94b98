// Builds the front-end assets the app serves itself: our Sass on top of GOV.UK Frontend
// (under Signpost's own look: system fonts, no crown), plus the vendor scripts from npm.
// Output goes to signpost/static/dist/ (git-ignored); run with `npm run build`.
import { cpSync, mkdirSync, writeFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "signpost", "static", "dist");
mkdirSync(out, { recursive: true });

const scssDir = join(root, "signpost", "assets", "scss");
for (const name of readdirSync(scssDir)) {
  if (!name.endsWith(".scss") || name.startsWith("_")) continue;
  const result = sass.compile(join(scssDir, name), {
    loadPaths: [join(root, "node_modules")],
    style: "compressed",
    quietDeps: true,
    silenceDeprecations: ["import", "global-builtin", "color-functions", "slash-div"],
  });
  writeFileSync(join(out, name.replace(/\.scss$/, ".css")), result.css);
}

const copies = [
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk-frontend.min.js"],
  ["leaflet/dist/leaflet.js", "leaflet/leaflet.js"],
  ["leaflet/dist/leaflet.css", "leaflet/leaflet.css"],
  ["leaflet/dist/images", "leaflet/images"],
  ["chart.js/dist/chart.umd.js", "chart.umd.js"],
  ["cytoscape/dist/cytoscape.min.js", "cytoscape.min.js"],
];
for (const [from, to] of copies) {
  const source = join(root, "node_modules", from);
  try {
    statSync(source);
  } catch {
    continue; // a package a later feature adds; not installed yet
  }
  mkdirSync(dirname(join(out, to)), { recursive: true });
  cpSync(source, join(out, to), { recursive: true });
}
console.log(`assets built into ${out}`);
