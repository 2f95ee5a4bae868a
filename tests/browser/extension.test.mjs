// Browser test of src/extension: headless Chromium (new headless mode, which
// loads extensions) opens a local page of spun text; the extension sends its
// text to a real `unspin serve` on loopback and marks the spans.
//   node tests/browser/extension.test.mjs SERVER_URL SCREENSHOT
// Run by tests/browser/run.sh (make browser-test).
import { createServer } from "node:http";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(resolve(process.env.PLAYWRIGHT_DIR || "build/browser", "x.js"));
const { chromium } = require("playwright-core");
const [server, screenshot] = process.argv.slice(2);
const ext = resolve(here, "../../src/extension");
let failed = 0;
const check = (name, cond, detail = "") => {
  if (cond) console.log("ok   " + name);
  else { failed++; console.log("FAIL " + name + (detail ? ": " + detail : "")); }
};

const page_html = readFileSync(join(here, "page.html"));
const http = createServer((req, res) => {
  res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
  res.end(page_html);
});
await new Promise((ok) => http.listen(0, "127.0.0.1", ok));
const pageUrl = `http://127.0.0.1:${http.address().port}/page.html`;

const profile = mkdtempSync(join(tmpdir(), "unspin-chromium-"));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: false, // the new headless mode is asked for in args
  args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    `--disable-extensions-except=${ext}`, `--load-extension=${ext}`],
  ignoreDefaultArgs: ["--disable-extensions", "--disable-component-extensions-with-background-pages"],
  viewport: { width: 1000, height: 700 },
  timeout: 60000,
});
try {
  let [sw] = ctx.serviceWorkers();
  if (!sw) sw = await ctx.waitForEvent("serviceworker", { timeout: 20000 });
  const extId = sw.url().split("/")[2];
  check("extension loaded", /^[a-p]{32}$/.test(extId), sw.url());
  await sw.evaluate((s) => chrome.storage.local.set({ server: s }), server);

  const page = await ctx.newPage();
  await page.goto(pageUrl);
  await page.waitForFunction(() => ["done", "error"].includes(document.documentElement.dataset.unspinState),
    null, { timeout: 30000 });
  const state = await page.evaluate(() => ({ ...document.documentElement.dataset }));
  check("page checked", state.unspinState === "done", JSON.stringify(state));
  check("verdict spun", state.unspinVerdict === "spun", JSON.stringify(state));
  const marks = await page.$$eval("mark.unspin-mark", (ms) => ms.map((m) => ({
    text: m.textContent, title: m.title, original: m.dataset.unspinOriginal,
    parent: m.parentElement.id || m.parentElement.tagName,
  })));
  const find = (t) => marks.find((m) => m.text === t);
  check("several marks", marks.length >= 5, JSON.stringify(marks));
  const conv = find("information convention");
  check("mark after an emoji heading: information convention",
    conv && /news conference/.test(conv.title), JSON.stringify(conv));
  check("tooltip names the original", conv && /^likely original: \u201cnews conference\u201d \(\d+%\)/.test(conv.title),
    conv && conv.title);
  // "Chilly Struggle" spans <b>Chilly</b> and a text node: two marks, one tooltip.
  const chilly = find("Chilly"), struggle = find(" Struggle") || find("Struggle");
  check("span across an inline element", chilly && struggle && chilly.parent === "B" &&
    /Cold War/.test(chilly.title) && chilly.title === struggle.title, JSON.stringify([chilly, struggle]));
  const locs = find("international locations");
  check("international locations -> countries", locs && locs.original === "countries", JSON.stringify(locs));
  check("after curly quotes (p2)", marks.some((m) => m.parent === "p2"), JSON.stringify(marks));
  check("no mark in hidden text", !marks.some((m) => m.parent === "hidden"));
  const text = await page.$eval("#p1", (p) => p.textContent);
  check("page text unchanged", text.includes("for a information convention after the summit") &&
    text.includes("since the Chilly Struggle,"), text);
  const hover = await page.$("mark.unspin-mark");
  await hover.hover();
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log("screenshot: " + screenshot);

  // The popup page reads the settings back.
  const popup = await ctx.newPage();
  await popup.goto(`chrome-extension://${extId}/popup.html`);
  await popup.waitForFunction(() => document.getElementById("server").value !== "", null, { timeout: 10000 });
  check("popup shows the service address", await popup.$eval("#server", (i) => i.value) === server);

  // An unreachable service: the page records an error, no marks.
  await sw.evaluate(() => chrome.storage.local.set({ server: "http://127.0.0.1:9" }));
  const page2 = await ctx.newPage();
  await page2.goto(pageUrl);
  await page2.waitForFunction(() => ["done", "error"].includes(document.documentElement.dataset.unspinState),
    null, { timeout: 30000 });
  check("unreachable service is an error", await page2.evaluate(() => document.documentElement.dataset.unspinState) === "error");
  check("no marks without the service", (await page2.$$("mark.unspin-mark")).length === 0);
} catch (e) {
  failed++;
  console.log("FAIL browser test: " + (e && e.stack || e));
} finally {
  await ctx.close();
  http.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`browser: ${failed ? failed + " failed" : "all passed"}`);
process.exit(failed ? 1 : 0);
