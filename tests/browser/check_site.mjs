// Opens every page of a rendered site from file:// in headless Chromium, as a reader would, and
// reports what a reader would meet: console errors, failed requests, requests leaving the disk,
// images that did not load, links to pages that do not exist, and axe-core's accessibility
// violations. Saves a full-page screenshot of each page.
//
//   node tests/browser/check_site.mjs SITE_DIR SCREENSHOT_DIR [CHROMIUM]
//
// Prints one JSON object on its last line: {pages: [{name, consoleErrors, failedRequests,
// externalRequests, brokenImages, images, brokenLinks, links, violations, ...}]}. Judging is
// left to tests/test_browser.py; this exits non-zero only when it could not check at all.

import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const [siteArg, shotsArg, executable = "/usr/bin/chromium"] = process.argv.slice(2);
if (!siteArg || !shotsArg) {
  console.error("usage: node tests/browser/check_site.mjs SITE_DIR SCREENSHOT_DIR [CHROMIUM]");
  process.exit(2);
}
const site = path.resolve(siteArg);
const shots = path.resolve(shotsArg);
mkdirSync(shots, { recursive: true });
const names = readdirSync(site).filter((name) => name.endsWith(".html")).sort();
if (names.length === 0) {
  console.error(`no .html page in ${site}`);
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: executable,
  headless: true,
  // The machine has no network but the package registries: Chromium's own background traffic
  // (updates, sync, safe browsing) would fail noisily and is none of the pages' doing.
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
    "--allow-file-access-from-files",
  ],
});

const version = browser.version();
const results = [];
try {
  // One context for all pages: the pages are files; nothing is shared between them but the cache.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true });
  for (const name of names) {
    const page = await context.newPage();
    const result = { name, consoleErrors: [], pageErrors: [], failedRequests: [], externalRequests: [], requests: 0 };
    page.on("console", (message) => {
      if (message.type() === "error") result.consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => result.pageErrors.push(String(error)));
    page.on("request", (request) => {
      result.requests += 1;
      const url = request.url();
      if (!url.startsWith("file:") && !url.startsWith("data:")) result.externalRequests.push(url);
    });
    page.on("requestfailed", (request) => {
      result.failedRequests.push(`${request.url().slice(0, 200)}: ${request.failure()?.errorText}`);
    });
    page.on("response", (response) => {
      if (response.status() >= 400) result.failedRequests.push(`${response.url().slice(0, 200)}: HTTP ${response.status()}`);
    });

    const url = pathToFileURL(path.join(site, name)).href;
    await page.goto(url, { waitUntil: "load" });

    // Every image decoded: a broken data: URI or a missing file has naturalWidth 0.
    const images = await page.$$eval("img", (imgs) => imgs.map((img) => ({
      src: img.getAttribute("src")?.slice(0, 60) ?? "", complete: img.complete, width: img.naturalWidth, alt: img.getAttribute("alt"),
    })));
    result.images = images.length;
    result.brokenImages = images.filter((img) => !img.complete || img.width === 0).map((img) => img.src);
    result.imagesWithoutAlt = images.filter((img) => !img.alt || !img.alt.trim()).map((img) => img.src);

    // Every link: in-page anchors must name an element; links to local files must reach one.
    const links = await page.$$eval("a[href]", (anchors) => anchors.map((a) => ({ href: a.getAttribute("href"), resolved: a.href })));
    result.links = links.length;
    result.brokenLinks = [];
    for (const link of links) {
      const target = new URL(link.resolved);
      if (target.protocol !== "file:") continue; // outside links (DOIs) are the reader's to follow, not loaded here
      const file = fileURLToPath(target);
      if (!existsSync(file)) {
        result.brokenLinks.push(`${link.href}: no such file`);
        continue;
      }
      if (target.hash && file === fileURLToPath(url)) {
        const id = decodeURIComponent(target.hash.slice(1));
        const found = await page.evaluate((id) => document.getElementById(id) !== null || document.getElementsByName(id).length > 0, id);
        if (!found) result.brokenLinks.push(`${link.href}: no element with that id`);
      }
    }
    result.externalLinks = links.filter((link) => !link.resolved.startsWith("file:")).length;

    // The code toggle, where there is one: shown after a click, hidden again after another.
    const toggle = await page.$("button.code-toggle");
    if (toggle) {
      const visible = () => page.$$eval(".jp-CodeCell .jp-InputArea", (areas) => areas.filter((a) => a.offsetParent !== null).length);
      result.codeToggle = { before: await visible() };
      await toggle.click();
      result.codeToggle.shown = await visible();
      result.codeToggle.label = (await toggle.textContent()).trim();
      await toggle.click();
      result.codeToggle.after = await visible();
    }

    // The claims explorer, where there is one: search narrows the rows; sorting reorders them.
    if (await page.$("#claims-search")) {
      const rows = () => page.$$eval("#claims tbody tr", (trs) => trs.filter((tr) => !tr.hidden).length);
      const all = await rows();
      await page.fill("#claims-search", "IREL");
      const found = await rows();
      await page.fill("#claims-search", "");
      const firstCell = () => page.$eval("#claims tbody tr td", (td) => td.textContent);
      const before = await firstCell();
      await page.click("#claims thead th:first-child button"); // sorted ascending as it opens: now descending
      result.explorer = { rows: all, searchIREL: found, restored: await rows(), firstBefore: before, firstAfterSortDesc: await firstCell() };
      await page.click("#claims thead th:first-child button"); // back to ascending for the screenshot
    }

    // axe-core in the page itself (WCAG 2.x A and AA, and best practices): as the page opens,
    // and again with the code shown, since a reader may press "Show code".
    await page.addScriptTag({ content: axeSource });
    const runAxe = () => page.evaluate(async () => {
      const out = await window.axe.run(document, { resultTypes: ["violations"] });
      return out.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
    });
    result.violations = await runAxe();
    if (toggle) {
      await toggle.click();
      for (const v of await runAxe()) result.violations.push({ ...v, id: `${v.id} (code shown)` });
      await toggle.click();
    }

    const shot = path.join(shots, name.replace(/\.html$/, ".png"));
    await page.screenshot({ path: shot, fullPage: true });
    result.screenshot = shot;
    await page.close();
    results.push(result);
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ chromium: version, pages: results }));
