// End-to-end test of `parkplan serve` in a real headless Chromium (Debian's, never downloaded),
// driven by Playwright: the scenario of scenario.mjs (a what-if on Pannan's land, re-solved and
// read from the page; Pannan's and Liuzhi's designations opened by clicking them; the what-if
// saved as a scenario and solved by the command line; the page at tablet widths).
//
//   PARKPLAN_BIN=target/release/parkplan node tests/e2e/serve.test.mjs [SCREENSHOT_DIR]
//
// Exits 0 when every check holds, 1 (with the reason) otherwise. scripts/e2e-firefox.sh runs the
// same scenario in Firefox.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { check, scenario, startServer } from "./scenario.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = resolve(root, process.env.PARKPLAN_BIN || "target/release/parkplan");
const browserBin = process.env.PARKPLAN_CHROMIUM || "/usr/bin/chromium";
const shots = process.argv[2] ? resolve(process.argv[2]) : null;

const profile = mkdtempSync(join(tmpdir(), "parkplan-e2e-profile-"));
const server = await startServer(root, bin);
let browser = null;
let failed = null;
try {
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: browserBin,
    // A fresh profile, given as the user-data dir.
    viewport: { width: 1280, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  const b = {
    goto: (url) => page.goto(url),
    viewport: (width, height) => page.setViewportSize({ width, height }),
    wait: (selector, timeout) => page.waitForSelector(selector, { timeout }),
    waitFn: (fn, arg, timeout) => page.waitForFunction(fn, arg, { timeout }),
    eval: (fn, arg) => page.evaluate(fn, arg),
    click: (selector) => page.click(selector),
    shot: (path) => page.screenshot({ path }),
  };
  await scenario(b, { root, bin, server, shots, prefix: "" });
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
console.log("all end-to-end checks passed");
