// The charts of a page as a reader meets them, for check_site.mjs: how large each chart's text is
// drawn on the screen, and the two downloads under each chart (its data as CSV, the chart as SVG).
//
// A chart is inline SVG scaled to its box, so the size a reader sees is the text's font size
// times the scale the SVG is drawn at (its screen matrix, rotation aside), not the font size alone.
// tests/site/test_browser.py judges: at least 12 px on a 390 px phone, and on a desktop.

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// The links under a chart, by their words.
export const DATA_LINK = "Download this chart's data (CSV)";
export const SVG_LINK = "the chart (SVG)";

// Runs in the page: every chart (an <svg> in figure.chart), its smallest text in screen px, the
// texts under `minimum` px (their words and size), and the links under it.
function chartsInPage([minimum, dataWords, svgWords]) {
  const charts = [];
  for (const [index, figure] of [...document.querySelectorAll("figure.chart")].entries()) {
    const svg = figure.querySelector("svg");
    if (!svg) continue;
    let smallest = Infinity;
    const small = [];
    for (const text of svg.querySelectorAll("text")) {
      const words = (text.textContent || "").replace(/\s+/g, " ").trim();
      if (!words) continue;
      const matrix = text.getScreenCTM();
      const px = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(matrix.a, matrix.b);
      smallest = Math.min(smallest, px);
      if (px < minimum) small.push({ text: words.slice(0, 60), px: Math.round(px * 10) / 10 });
    }
    const link = (words) => {
      const found = [...figure.querySelectorAll("a[href]")].find((a) => a.textContent.replace(/\s+/g, " ").trim() === words);
      return found ? { href: found.getAttribute("href"), resolved: found.href } : null;
    };
    charts.push({
      chart: index + 1,
      width: Math.round(svg.getBoundingClientRect().width),
      smallest: Math.round(smallest * 10) / 10,
      small,
      data: link(dataWords),
      svg: link(svgWords),
    });
  }
  return charts;
}

// Whether a download's file is there and loads: the SVG opened on its own is drawn as an <svg>
// with its text; the CSV is read as text with a header and at least one row.
async function loads(context, link, kind) {
  if (!link) return "no link";
  if (!link.resolved.startsWith("file:")) return `not a file of the site: ${link.href}`;
  const file = fileURLToPath(link.resolved);
  if (!existsSync(file)) return `no such file ${link.href}`;
  if (kind === "csv") {
    const lines = readFileSync(file, "utf8").split("\n").filter((line) => line.trim());
    return lines.length >= 2 ? null : `${link.href} has no rows`;
  }
  const page = await context.newPage();
  try {
    const response = await page.goto(link.resolved, { waitUntil: "load" });
    const drawn = await page.evaluate(() => document.documentElement.localName === "svg" && document.querySelectorAll("text").length > 0);
    return response && response.ok() && drawn ? null : `${link.href} does not open as a chart`;
  } finally {
    await page.close();
  }
}

// One call per page and screen variant (from check_site.mjs's visitScreen): the charts' text sizes
// in every variant; whether their downloads load, once (on the phone in light colours).
export async function checkCharts(page, variant) {
  const charts = await page.evaluate(chartsInPage, [12, DATA_LINK, SVG_LINK]);
  if (variant.name === "390-light") {
    for (const chart of charts) {
      chart.dataLoads = await loads(page.context(), chart.data, "csv");
      chart.svgLoads = await loads(page.context(), chart.svg, "svg");
    }
  }
  return charts;
}
