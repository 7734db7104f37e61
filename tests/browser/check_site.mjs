// Opens every page of a rendered site from file:// in headless Chromium, as readers would: on a
// phone (390 px wide) and a desktop (1280 px), each in light and in dark colours, and printed.
// Reports what each reader would meet; tests/test_browser.py judges.
//
//   node tests/browser/check_site.mjs SITE_DIR SCREENSHOT_DIR [CHROMIUM] [--highlight PAGE#ID,OTHER_ID] [--lanes N] [--whole-pages]
//
// --lanes: how many variants are visited at a time, each in its own browser context (2 by default,
// which spreads the browser's work over two cores; 1 where other processes keep the cores busy).
//
// On screen, every page in every variant: console errors, failed requests, requests leaving the
// disk, horizontal overflow (with the elements that stick out) and the reader's words (visible text
// outside code, only the pieces a test looks at). axe-core's violations of any impact, in the
// variants marked `axe` (1280 px light and dark, 390 px light), as axe takes about half a variant's
// time: not at 768 px nor on a phone in dark colours, so a violation only those show (a contrast
// failure of the dark colours on what only a phone's layout shows) goes unseen.
// Once per page (1280 px, light): images and figures and their text alternatives, every link and
// every id, the visible text, the claim ids in it and the links they sit in, the "Show code" toggle
// and the claims explorer. Printed (800 px): tables wider than their box or the page, and
// navigation or buttons left visible. With --highlight: the computed style of a claim opened by its
// address (:target) beside another claim of the same page, in each screen variant.
//
// Screenshots as JPEG (a reader's look at a page needs no lossless pixels; PNG took 1.7 times as
// long): every page at 390 and 1280 px in light colours, the index also at 390 px in dark:
// SCREENSHOT_DIR/NAME-WIDTH-SCHEME.jpg. The first screen, what a reader meets on opening the page
// (its verdict); with --whole-pages, the whole page, which took a fifth of the browser's time
// (article-a000 is about 60 phone screens long).
//
// Prints one JSON object on its last line: {chromium, seconds, variants, axeVariants, pages: [{name,
// variants: {VARIANT: facts}}], highlight: {VARIANT: facts}}. Exits non-zero only when it could not check.

import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { checkCharts } from "./charts.mjs";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const args = process.argv.slice(2);
let highlight = null;
let lanes = 2;
let wholePages = false;
const positional = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === "--highlight") highlight = args[++i];
  else if (args[i] === "--whole-pages") wholePages = true;
  else if (args[i] === "--lanes") lanes = /^[1-9][0-9]?$/.test(args[++i] ?? "") ? Number(args[i]) : NaN;
  else positional.push(args[i]);
}
const [siteArg, shotsArg, executable = "/usr/bin/chromium"] = positional;
if (!siteArg || !shotsArg || Number.isNaN(lanes)) {
  console.error("usage: node tests/browser/check_site.mjs SITE_DIR SCREENSHOT_DIR [CHROMIUM] [--highlight PAGE#ID,OTHER_ID] [--lanes 1-99] [--whole-pages]");
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

// The variants a reader may bring. The first one also collects the facts that do not depend on
// the screen (links, ids, text, figures) and works the page's controls.
// `axe`: axe-core runs there (the desktop in both schemes, and the phone's width, where the
// navigation and the tables change); not at 768 px nor on a phone in dark colours.
const SCREENS = [
  { name: "1280-light", width: 1280, height: 900, scheme: "light", full: true, axe: true, shoot: true },
  { name: "390-light", width: 390, height: 844, scheme: "light", axe: true, shoot: true },
  { name: "768-light", width: 768, height: 1024, scheme: "light" },
  { name: "1280-dark", width: 1280, height: 900, scheme: "dark", axe: true, codeAxe: true },
  { name: "390-dark", width: 390, height: 844, scheme: "dark" },
];
// Printed, the page is as wide as A4 less site.css's @page margins: 210 - 2 x 14 mm = 182 mm, 688
// CSS px (96 a 25.4 mm inch); US Letter's is wider (706 px). 1,100 px: about a page's height.
const PRINT = { name: "print", width: 688, height: 1100 };
// `shoot`: every page's screenshot is taken there.
const shootsPage = (variant, name) => variant.shoot || (variant.name === "390-dark" && name === "index.html");

const started = Date.now();
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

// --- what runs inside the page ----------------------------------------------------------------

// A short, readable name for an element in failure messages: tag#id.class "first words".
function describeInPage() {
  window.__describe = (el) => {
    if (!el || el.nodeType !== 1) return "";
    let out = el.tagName.toLowerCase();
    if (el.id) out += `#${el.id}`;
    const classes = typeof el.className === "string" ? el.className.trim().split(/\s+/).filter(Boolean).slice(0, 2) : [];
    if (classes.length) out += `.${classes.join(".")}`;
    const text = (el.innerText ?? el.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 50);
    return text ? `${out} "${text}"` : out;
  };
}

// Horizontal overflow: the page's widths and, when it scrolls sideways, the outermost elements
// that stick out past the window without a scrolling box to hold them.
function overflowInPage() {
  const width = window.innerWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  const out = { scrollWidth, innerWidth: width, offenders: [] };
  if (scrollWidth <= width + 1) return out;
  // An element sticks out when its right edge passes the window and nothing holds it in: no box
  // that scrolls or clips stands between it and the page, or the nearest such box sticks out
  // itself. An absolutely positioned element is held only by boxes from its containing block up.
  const holder = (el) => {
    const position = getComputedStyle(el).position;
    let up = position === "absolute" ? el.offsetParent : el.parentElement;
    for (; up && up !== document.body && up !== document.documentElement; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return up;
    }
    return null;
  };
  const sticking = new Set();
  for (const el of document.body.querySelectorAll("*")) {  // document order: holders before what they hold
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.right + window.scrollX <= width + 1 || getComputedStyle(el).position === "fixed") continue;
    const box = holder(el);
    if (box === null || sticking.has(box)) sticking.add(el);
  }
  for (const el of sticking) {
    if (sticking.has(el.parentElement)) continue;
    out.offenders.push(`${window.__describe(el)} (right edge at ${Math.round(el.getBoundingClientRect().right + window.scrollX)} px)`);
    if (out.offenders.length >= 5) break;
  }
  return out;
}

// Words a reader cannot see without scrolling sideways: every element holding text of its own whose
// box runs past either side of the window, whether the page scrolls or a box inside it does (a
// table in a sideways-scrolling frame). Hidden elements, the closed claim card and the skip link
// (kept off the screen until a keyboard focuses it, when it shows at the top left) aside.
function wideTextInPage() {
  const width = window.innerWidth;
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest("svg, dialog:not([open]), .visually-hidden, .skip-link:not(:focus)")) continue;
    const own = [...el.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.nodeValue.trim());
    if (!own || !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0) continue;
    const left = rect.left + window.scrollX, right = rect.right + window.scrollX;
    if (right > width + 1 || left < -1) {
      found.push(`${window.__describe(el)} (from ${Math.round(left)} to ${Math.round(right)} px)`);
      if (found.length >= 8) break;
    }
  }
  return found;
}

// Each finding's address lands on it: opened by its fragment, its heading or item is on the screen.
async function anchorsLandInPage() {
  const missed = [];
  const targets = [...document.querySelectorAll("[id^='finding-']")];
  for (const target of targets) {
    location.hash = target.id;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const rect = target.getBoundingClientRect();
    if (!(rect.top >= -1 && rect.top < window.innerHeight - 20)) missed.push(`#${target.id} (its top at ${Math.round(rect.top)} px)`);
  }
  history.replaceState(null, "", location.pathname);
  window.scrollTo(0, 0);
  return { count: targets.length, missed };
}

// The reader's words: text nodes a reader sees, outside code, preformatted text, keyboard input and
// sample output, and outside hidden elements; with the text alternatives (alt, aria-label) readers
// of a screen reader hear. Only the pieces the tests look at come back: those with an underscore,
// "NaN", or ":" before an id, and (on request) those holding a claim id, with the link they sit in.
function readerWordsInPage(withClaims) {
  const SKIP = new Set(["CODE", "PRE", "KBD", "SAMP", "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA"]);
  const SUSPECT = /_|NaN|:[a-z]\d|\b\d{4}-\d{2}-\d{2}\b|\.(csv|json|ipynb|py|yaml|txt)\b|\b(data|reports|notebooks|src|tests|benchmarks)\//;
  const CLAIM = /\b[a-z]\d{3}-\d{2}\b/;
  const words = [];
  const claims = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      if (node.nodeType === Node.TEXT_NODE) return NodeFilter.FILTER_ACCEPT;
      if (SKIP.has(node.tagName)) return NodeFilter.FILTER_REJECT;
      if (getComputedStyle(node).display === "contents") return NodeFilter.FILTER_SKIP;
      if (!node.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return NodeFilter.FILTER_REJECT;
      return NodeFilter.FILTER_SKIP;
    },
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue;
    if (!text || !text.trim()) continue;
    const parent = node.parentElement;
    if (SUSPECT.test(text)) words.push({ text: text.replace(/\s+/g, " ").trim().slice(0, 400), where: window.__describe(parent).slice(0, 120) });
    if (withClaims && CLAIM.test(text)) {
      const anchor = parent.closest("a[href]");
      claims.push({ text: text.replace(/\s+/g, " ").trim().slice(0, 200), href: anchor ? anchor.href : null, where: window.__describe(parent).slice(0, 80) });
    }
  }
  for (const el of document.body.querySelectorAll("[alt], [aria-label]")) {
    if (el.closest("code, pre, kbd, samp")) continue;
    for (const attribute of ["alt", "aria-label"]) {
      const text = el.getAttribute(attribute);
      if (text && SUSPECT.test(text)) words.push({ text: text.slice(0, 400), where: `${attribute} of ${el.tagName.toLowerCase()}` });
    }
  }
  return { words, claims };
}

// Figures: every <img> (decoded, with alt text) and every chart drawn as inline SVG (inside an
// element with role="img" and a label, or labelled itself); decorative SVG (aria-hidden) aside.
function figuresInPage() {
  const labelled = (el) => !!el && ((el.getAttribute("aria-label") || "").trim() !== "" || (el.getAttribute("aria-labelledby") || "").trim() !== "");
  const images = [...document.images].map((img) => ({
    src: img.getAttribute("src")?.slice(0, 60) ?? "", complete: img.complete, width: img.naturalWidth, alt: img.getAttribute("alt"),
  }));
  const svgs = [...document.querySelectorAll("svg")].filter((svg) => !svg.parentElement?.closest("svg") && !svg.closest("[aria-hidden='true']"));
  const unlabelledSvgs = svgs.filter((svg) => {
    if (svg.getAttribute("role") === "img" && labelled(svg)) return false;
    if (labelled(svg.closest("[role='img']"))) return false;
    return !(svg.querySelector(":scope > title")?.textContent || "").trim();
  }).map((svg) => window.__describe(svg.parentElement).slice(0, 120));
  return {
    images: images.length,
    brokenImages: images.filter((img) => !img.complete || img.width === 0).map((img) => img.src),
    imagesWithoutAlt: images.filter((img) => !img.alt || !img.alt.trim()).map((img) => img.src),
    charts: svgs.length,
    chartsWithoutLabel: unlabelledSvgs,
    figures: images.length + svgs.length,
  };
}

// Printed: tables wider than their box or the page, and navigation or buttons left on paper.
function printInPage() {
  const page = document.documentElement.clientWidth;
  const tables = [];
  for (const table of document.querySelectorAll("table")) {
    if (!table.checkVisibility({ checkVisibilityCSS: true })) continue;
    let box = table.parentElement;
    while (box && box.clientWidth === 0) box = box.parentElement;
    const rect = table.getBoundingClientRect();
    tables.push({
      table: window.__describe(table).slice(0, 100),
      display: getComputedStyle(table).display,
      scrollWidth: table.scrollWidth,
      right: Math.round(rect.right),
      box: box ? window.__describe(box).slice(0, 60) : "",
      boxWidth: box ? box.clientWidth : page,
      pageWidth: page,
    });
  }
  const shown = [...document.querySelectorAll("nav, button")]
    .filter((el) => el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }))
    .map((el) => window.__describe(el).slice(0, 100));
  // A link that prints a file of the site after its words, instead of naming the page.
  const paths = [...document.querySelectorAll("main a[href]")]
    .filter((a) => !a.getAttribute("href").startsWith("http"))
    .map((a) => getComputedStyle(a, "::after").content)
    .filter((content) => content && content !== "none" && /\.html|\.csv|\.json/.test(content))
    .slice(0, 5);
  // Each conclusion's highlight keeps its tint on paper.
  const marks = {};
  for (const mark of document.querySelectorAll("mark.claim")) {
    const style = getComputedStyle(mark);
    const kind = [...mark.classList].find((name) => name.startsWith("claim-") && name !== "claim-continued");
    if (kind && !(kind in marks)) {
      marks[kind] = { background: style.backgroundColor, adjust: style.printColorAdjust || style.webkitPrintColorAdjust };
    }
  }
  // Bars and swatches: a background with no words of its own is a colour that means something; paper
  // drops backgrounds unless told to keep them.
  const dropped = [];
  const transparent = (colour) => colour === "rgba(0, 0, 0, 0)" || colour === "transparent";
  for (const el of document.querySelectorAll("main *")) {
    if (!el.checkVisibility({ checkVisibilityCSS: true }) || el.closest("svg")) continue;
    for (const pseudo of [null, "::before"]) {
      const style = getComputedStyle(el, pseudo);
      if (pseudo && (style.content === "none" || style.content === "normal")) continue;
      if (transparent(style.backgroundColor) || el.textContent.trim() && !pseudo) continue;
      if ((style.printColorAdjust || style.webkitPrintColorAdjust) !== "exact") {
        dropped.push(`${window.__describe(el).slice(0, 80)}${pseudo || ""} (${style.backgroundColor})`);
      }
    }
    if (dropped.length >= 8) break;
  }
  return { pageWidth: page, scrollWidth: document.documentElement.scrollWidth, tables, shownControls: shown, paths, marks, dropped };
}

// --- the pages, variant by variant --------------------------------------------------------------

// What a tab meets while one page is open in it, into `result`. Each variant opens its pages one
// after another in one tab (a new tab per page took a third of the visit's time), so this returns
// the function that stops listening: the next page's errors and requests are that page's own.
function watch(page, result) {
  result.consoleErrors = [];
  result.pageErrors = [];
  result.failedRequests = [];
  result.externalRequests = [];
  const handlers = {
    console: (message) => {
      if (message.type() === "error") result.consoleErrors.push(message.text().slice(0, 300));
    },
    pageerror: (error) => result.pageErrors.push(String(error).slice(0, 300)),
    request: (request) => {
      const url = request.url();
      if (!url.startsWith("file:") && !url.startsWith("data:")) result.externalRequests.push(url.slice(0, 200));
    },
    requestfailed: (request) => result.failedRequests.push(`${request.url().slice(0, 200)}: ${request.failure()?.errorText}`),
    response: (response) => {
      if (response.status() >= 400) result.failedRequests.push(`${response.url().slice(0, 200)}: HTTP ${response.status()}`);
    },
  };
  for (const [event, handler] of Object.entries(handlers)) page.on(event, handler);
  return () => { for (const [event, handler] of Object.entries(handlers)) page.off(event, handler); };
}

// One page of a variant in the variant's tab: `visit(result)` fills what it met besides the tab's events.
async function inTab(tab, visit) {
  const result = {};
  const unwatch = watch(tab, result);
  try {
    await visit(result);
  } finally {
    // Left for a blank page while still listening: what the page does until it is gone (a timer's
    // error, its pagehide handler) is its own, not the next page's.
    await tab.goto("about:blank").catch(() => {});
    unwatch();
  }
  return result;
}

// Before a press: what the page hides, so that `runAxe(page, true)` checks what the press revealed.
const noteHidden = (page) => page.evaluate(() => {
  window.__hiddenBeforePress = [...document.body.querySelectorAll("*")].filter((el) => !el.checkVisibility());
});

// axe-core on the whole page, or (`revealed`) on what a press showed that was hidden before it
// (the outermost such elements) and on the element that has the focus, the button pressed.
async function runAxe(page, revealed = false) {
  if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async (revealed) => {
    let context = document;
    if (revealed) {
      const shown = new Set(window.__hiddenBeforePress.filter((el) => el.checkVisibility()));
      const outermost = [...shown].filter((el) => !shown.has(el.parentElement));
      context = { include: [...outermost, document.activeElement] };
    }
    const out = await window.axe.run(context, { resultTypes: ["violations"] });
    return out.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
  }, revealed);
}

// Where a link goes, relative to the site's folder (null outside file:), and its fragment.
function destination(resolved) {
  const url = new URL(resolved);
  if (url.protocol !== "file:") return { file: null, hash: "" };
  return { file: path.relative(site, fileURLToPath(url)).split(path.sep).join("/"), hash: decodeURIComponent(url.hash.slice(1)) };
}

// Each code cell's input: hidden until the "Show code" button is pressed.
const CODE_SHOWN = ".jp-CodeCell .jp-InputArea";

async function visitOnce(page, name, result) {
  Object.assign(result, await page.evaluate(figuresInPage));

  const links = await page.$$eval("a[href]", (anchors) => anchors.map((a) => ({ href: a.getAttribute("href"), resolved: a.href })));
  const seen = new Set();
  result.links = [];
  for (const link of links) {
    if (seen.has(link.href)) continue;
    seen.add(link.href);
    result.links.push({ href: link.href, ...destination(link.resolved) });
  }
  result.ids = await page.evaluate(() => [...new Set([
    ...[...document.querySelectorAll("[id]")].map((el) => el.id),
    ...[...document.querySelectorAll("a[name]")].map((el) => el.getAttribute("name")),
  ])]);
  result.text = await page.evaluate(() => document.body.innerText);
  result.headline = await page.evaluate(() => document.querySelector("h1")?.innerText ?? "");
  result.mainText = await page.evaluate(() => document.querySelector("main")?.innerText ?? "");
  result.title = await page.title();

  // The code toggle, where there is one: shown after a click, hidden again after another.
  const toggle = await page.$("button.code-toggle");
  if (toggle) {
    const visible = () => page.$$eval(CODE_SHOWN, (areas) => areas.filter((a) => a.offsetParent !== null).length);
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
    const rowIds = await page.$$eval("#claims tbody tr", (trs) => trs.map((tr) => tr.id));
    const all = await rows();
    await page.fill("#claims-search", "IREL");
    const found = await rows();
    const hashAfterSearch = await page.evaluate(() => location.hash);
    await page.fill("#claims-search", "");
    const firstCell = () => page.$eval("#claims tbody tr td", (td) => td.textContent);
    const before = await firstCell();
    await page.click("#claims thead th:first-child button"); // sorted ascending as it opens: now descending
    result.explorer = { rows: all, rowIds, searchIREL: found, restored: await rows(), firstBefore: before, firstAfterSortDesc: await firstCell() };
    await page.click("#claims thead th:first-child button"); // back to ascending for the screenshot
    // Sorted by value in standard units: each unit's claims together, smallest first within each.
    await page.click("#claims thead th[data-numeric] button");
    result.explorer.byValue = await page.$$eval("#claims tbody tr td[data-unit]", (tds) =>
      tds.map((td) => [td.getAttribute("data-unit"), parseFloat(td.getAttribute("data-sort"))]));
    await page.click("#claims thead th:first-child button");
    await page.evaluate(() => history.replaceState(null, "", location.pathname));
    // A shared view: the address alone restores the filters when the page is opened (in a page of its own).
    const shared = await page.context().newPage();
    await shared.goto(page.url().split("#")[0] + "#article=a002&status=does_not_hold");
    result.explorer.hashAfterSearch = hashAfterSearch;
    result.explorer.sharedView = await shared.$$eval("#claims tbody tr", (trs) => trs.filter((tr) => !tr.hidden).map((tr) => tr.id));
    // Printed, the controls are left out: the count, printed, says which filters made the view.
    await shared.emulateMedia({ media: "print" });
    result.explorer.sharedCountPrinted = (await shared.isVisible("#claims-count")) ? await shared.textContent("#claims-count") : null;
    await shared.emulateMedia({ media: "screen" });
    // Views typed into the address of the open page: "+" for a space, as forms write it, and a "%"
    // that starts no escape; the search box then holds them, and the page's script runs on.
    const errors = [];
    shared.on("pageerror", (error) => errors.push(String(error).slice(0, 200)));
    result.explorer.typedViews = [];
    for (const typed of ["q=rare+earth", "q=90%", "article=a001"]) {
      // Read once the page's own hashchange listener, registered before this one, has run.
      await shared.evaluate((hash) => new Promise((resolve) => {
        window.addEventListener("hashchange", resolve, { once: true });
        location.hash = hash;
      }), typed);
      result.explorer.typedViews.push({
        typed, search: await shared.inputValue("#claims-search"), article: await shared.inputValue("#claims-article"),
        count: await shared.textContent("#claims-count"),
      });
    }
    result.explorer.typedViewErrors = errors;
    await shared.close();
  }
}

async function visitScreen(page, variant, name, result) {
  await page.emulateMedia({ colorScheme: variant.scheme, media: "screen" });
  await page.goto(pathToFileURL(path.join(site, name)).href, { waitUntil: "load" });
  await page.evaluate(describeInPage);

  if (variant.full) await visitOnce(page, name, result);
  result.overflow = await page.evaluate(overflowInPage);
  result.wideText = await page.evaluate(wideTextInPage);
  if (name === "index.html") result.anchors = await page.evaluate(anchorsLandInPage);
  // Tap targets that are not words of a sentence: the claims' numbers and the "link to this" marks.
  result.smallTargets = await page.$$eval("a.claim-ref, a.link-to", (links) =>
    links
      .filter((a) => a.checkVisibility())
      .map((a) => ({ link: a.getAttribute("href"), box: a.getBoundingClientRect() }))
      .filter(({ box }) => box.width < 23.5 || box.height < 23.5)
      .map(({ link, box }) => `${link} ${Math.round(box.width)}x${Math.round(box.height)}`)
      .slice(0, 5),
  );
  const reader = await page.evaluate(readerWordsInPage, !!variant.full);
  result.readerWords = reader.words;
  if (variant.full) result.claimMentions = reader.claims;
  result.charts = await checkCharts(page, variant);  // its text on the screen, its downloads (charts.mjs)

  // axe-core in the page (WCAG 2.x A and AA, and best practices) as it opens, in the variants that
  // run it; on the desktop, where there is a "Show code" button, again with the code shown, as a
  // reader may press it: on what the press revealed and the button itself (the rest of the page is
  // what axe has just checked; the whole page again took twice as long).
  if (variant.axe) result.violations = await runAxe(page);
  const toggle = await page.$("button.code-toggle");
  if (toggle && (variant.full || variant.codeAxe) && (await toggle.isVisible())) {
    await noteHidden(page);
    await toggle.click();
    for (const v of await runAxe(page, true)) result.violations.push({ ...v, id: `${v.id} (code shown)` });
    const shown = await page.evaluate(overflowInPage);
    if (shown.scrollWidth > shown.innerWidth + 1) result.overflowWithCode = shown;
    await toggle.click();
  }

  if (shootsPage(variant, name)) {
    const shot = path.join(shots, `${name.replace(/\.html$/, "")}-${variant.width}-${variant.scheme}.jpg`);
    await page.screenshot({ path: shot, fullPage: wholePages, type: "jpeg", quality: 70 });
    const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
    result.screenshot = { path: shot, whole: wholePages, screen: page.viewportSize(), pageHeight };
  }
}

async function visitPrint(page, name, result) {
  await page.emulateMedia({ media: "print", colorScheme: "light" });
  await page.goto(pathToFileURL(path.join(site, name)).href, { waitUntil: "load" });
  await page.evaluate(describeInPage);
  Object.assign(result, await page.evaluate(printInPage));
}

// A claim opened by its address is marked: its computed style beside another claim of the page.
async function visitHighlight(context, variant) {
  const [address, other] = highlight.split(",");
  const [file, id] = address.split("#");
  const result = { page: file, target: id, other, exists: names.includes(file) };
  if (!result.exists) return result;
  const page = await context.newPage();
  watch(page, result);
  await page.emulateMedia({ colorScheme: variant.scheme, media: "screen" });
  await page.goto(`${pathToFileURL(path.join(site, file)).href}#${encodeURIComponent(id)}`, { waitUntil: "load" });
  Object.assign(result, await page.evaluate(([id, other]) => {
    const PROPERTIES = ["background-color", "background-image", "outline-style", "outline-color", "outline-width", "box-shadow",
      "border-top-color", "border-bottom-style", "text-decoration-line", "color", "font-weight"];
    const style = (el) => el ? Object.fromEntries(PROPERTIES.map((p) => [p, getComputedStyle(el).getPropertyValue(p)])) : null;
    const target = document.getElementById(id);
    const matched = document.querySelector(":target");
    return { targetFound: !!target, otherFound: !!document.getElementById(other), matchesTarget: !!matched && matched === target,
      targetStyle: style(target), otherStyle: style(document.getElementById(other)) };
  }, [id, other]));
  await page.close();
  return result;
}

// A phone's tap on a claim (390 px, touch): on its number, its card opens where the reader is, holds
// the focus and closes with Escape, giving the focus back; on its highlighted words, a card opens too.
async function visitTap(page, name, result) {
  await page.goto(pathToFileURL(path.join(site, name)).href, { waitUntil: "load" });
  const card = () => page.evaluate(() => {
    const dialog = document.getElementById("claim-card");
    if (!dialog) return { exists: false };
    const box = dialog.getBoundingClientRect();
    return {
      exists: true, open: dialog.open, heading: dialog.querySelector("h2")?.textContent ?? "", text: dialog.innerText.slice(0, 400),
      focusInside: dialog.contains(document.activeElement), scrollY: Math.round(window.scrollY),
      inView: box.top >= -1 && box.bottom <= window.innerHeight + 1 && box.left >= -1 && box.right <= window.innerWidth + 1,
      focused: document.activeElement ? (document.activeElement.getAttribute("href") || document.activeElement.tagName) : "",
    };
  });
  // The card's "close" event, which hands the focus back, runs in a task of its own after Escape:
  // what a reader is left with is read once it has run (the card emptied), or after a second.
  const closedCard = async () => {
    await page.waitForFunction(() => {
      const dialog = document.getElementById("claim-card");
      return !dialog || (!dialog.open && !dialog.querySelector(".claim-card-body")?.childElementCount);
    }, null, { timeout: 1000 }).catch(() => {});
    return card();
  };
  const refs = await page.$$("a.claim-ref");
  if (!refs.length) return;
  const ref = refs[Math.floor(refs.length / 2)];  // one in the middle of the text, far from the list
  await ref.scrollIntoViewIfNeeded();
  result.wanted = (await ref.getAttribute("href")).replace("#about-", "");
  result.scrollBefore = await page.evaluate(() => Math.round(window.scrollY));
  await ref.tap();
  result.opened = await card();
  await page.keyboard.press("Escape");
  result.closed = await closedCard();
  // A tap on the highlighted words of a claim, away from any link: the first such point of the text.
  const point = await page.evaluate(() => {
    for (const mark of document.querySelectorAll("mark.claim[id]")) {
      mark.scrollIntoView({ block: "center" });
      const rect = mark.getClientRects()[0];
      const x = rect.left + 2, y = rect.top + rect.height / 2;
      const hit = document.elementFromPoint(x, y);
      if (hit && !hit.closest("a") && hit.closest("mark.claim") === mark) return { x, y, claim: mark.getAttribute("data-claim") };
    }
    return null;
  });
  if (!point) return;
  result.markWanted = point.claim;
  await page.touchscreen.tap(point.x, point.y);
  result.markOpened = await card();
  await page.keyboard.press("Escape");
  result.markClosed = await closedCard();
  // A number set aside inside a claim's quote: a tap shows its own reason, not the claim's card;
  // Escape puts the reason away.
  const excluded = await page.$("mark.claim .excluded");
  if (excluded) {
    await excluded.scrollIntoViewIfNeeded();
    await excluded.tap();
    const shown = () => page.evaluate(() => ({
      card: document.getElementById("claim-card").open,
      reason: document.activeElement.matches(".excluded") ? getComputedStyle(document.activeElement, "::after").content : "",
    }));
    result.setAside = await shown();
    await page.keyboard.press("Escape");
    result.setAsideClosed = await shown();
  }
}

const version = browser.version();
const pages = Object.fromEntries(names.map((name) => [name, { name, variants: {} }]));
const highlighted = {};
async function screenVariant(variant) {
  // One context per variant: the pages are files; nothing is shared between them but the cache.
  const context = await browser.newContext({
    viewport: { width: variant.width, height: variant.height }, colorScheme: variant.scheme, offline: true,
  });
  const tab = await context.newPage();
  for (const name of names) pages[name].variants[variant.name] = await inTab(tab, (result) => visitScreen(tab, variant, name, result));
  if (highlight) highlighted[variant.name] = await visitHighlight(context, variant);
  await context.close();
}

async function tapVariant() {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, offline: true });
  const tab = await context.newPage();
  for (const name of names.filter((name) => name.startsWith("article-"))) pages[name].variants.tap = await inTab(tab, (result) => visitTap(tab, name, result));
  await context.close();
}

async function printVariant() {
  const context = await browser.newContext({ viewport: { width: PRINT.width, height: PRINT.height }, offline: true });
  const tab = await context.newPage();
  for (const name of names) pages[name].variants[PRINT.name] = await inTab(tab, (result) => visitPrint(tab, name, result));
  await context.close();
}

try {
  // `lanes` variants at a time, each in its own context.
  const jobs = [...SCREENS.map((variant) => () => screenVariant(variant)), printVariant, tapVariant];
  const lane = async () => { while (jobs.length) await jobs.shift()(); };
  await Promise.all(Array.from({ length: lanes }, lane));
} finally {
  await browser.close();
}
console.log(JSON.stringify({
  chromium: version, seconds: Math.round((Date.now() - started) / 100) / 10,
  variants: [...SCREENS.map((v) => v.name), PRINT.name], axeVariants: SCREENS.filter((v) => v.axe).map((v) => v.name),
  pages: Object.values(pages), highlight: highlighted,
}));
