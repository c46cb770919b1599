// Builds the design-system assets into safepath/core/static/govuk/ (served by whitenoise).
// Run by `npm run build`; needs only the pinned npm packages, nothing from the network.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const frontend = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "safepath", "core", "static", "govuk");

mkdirSync(out, { recursive: true });
const css = sass.compile(join(root, "safepath", "core", "static_src", "safepath.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "safepath.css"), css.css);
cpSync(join(frontend, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(frontend, "assets", "images"), join(out, "assets", "images"), { recursive: true });
cpSync(join(frontend, "assets", "manifest.json"), join(out, "assets", "manifest.json"));
console.log(`built ${out}`);
