// The end-to-end scenario of `parkplan serve` (../scenario.mjs) in Firefox: Debian's firefox-esr,
// driven by Puppeteer over WebDriver BiDi (Playwright drives only its own Firefox build).
//
//   PARKPLAN_BIN=target/release/parkplan node tests/e2e/firefox/firefox.test.mjs [SCREENSHOT_DIR]
//
// scripts/e2e-firefox.sh installs what it needs and runs it. Exits 0 when every check holds.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";
import { check, scenario, startServer } from "../scenario.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const bin = resolve(root, process.env.PARKPLAN_BIN || "target/release/parkplan");
const browserBin = process.env.PARKPLAN_FIREFOX || "/usr/bin/firefox-esr";
const shots = process.argv[2] ? resolve(process.argv[2]) : null;

const profile = mkdtempSync(join(tmpdir(), "parkplan-e2e-firefox-"));
const server = await startServer(root, bin);
let browser = null;
let failed = null;
try {
  browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: browserBin,
    headless: true,
    userDataDir: profile,
    protocolTimeout: 120000,
  });
  const version = await browser.version();
  console.log(`browser: ${version}`);
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  const b = {
    goto: (url) => page.goto(url),
    viewport: (width, height) => page.setViewport({ width, height }),
    wait: (selector, timeout) => page.waitForSelector(selector, { timeout }),
    waitFn: (fn, arg, timeout) => page.waitForFunction(fn, { timeout, polling: 100 }, arg),
    eval: (fn, arg) => page.evaluate(fn, arg),
    click: (selector) => page.click(selector),
    shot: (path) => page.screenshot({ path }),
  };
  await scenario(b, { root, bin, server, shots, prefix: "firefox-" });
  check(/firefox/i.test(version), `the browser was Firefox (${version})`);
  check(errors.length === 0, `no errors in the page's console${errors.length ? ": " + errors.join("; ") : ""}`);
} catch (e) {
  failed = e;
} finally {
  if (browser) await browser.close();
  server.stop();
  rmSync(profile, { recursive: true, force: true });
}
if (failed) {
  console.error(String(failed.stack || failed));
  process.exit(1);
}
console.log("all end-to-end checks passed in Firefox");
