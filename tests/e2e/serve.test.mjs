// End-to-end test of `parkplan serve` in a real headless Chromium (Debian's, never downloaded):
// load the page on a copy of problems/liupanshui.yaml, give Pannan more land, re-solve, read the
// new objective and the highlighted change, save the what-if as a scenario into a copy of the
// file, and check with the command line that the saved scenario solves to the same objective.
//
//   PARKPLAN_BIN=target/release/parkplan node tests/e2e/serve.test.mjs [SCREENSHOT_DIR]
//
// Exits 0 when every check holds, 1 (with the reason) otherwise.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, copyFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = resolve(root, process.env.PARKPLAN_BIN || "target/release/parkplan");
const browser_bin = process.env.PARKPLAN_CHROMIUM || "/usr/bin/chromium";
const shots = process.argv[2] ? resolve(process.argv[2]) : null;

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
  console.log(`ok: ${what}`);
}

const work = mkdtempSync(join(tmpdir(), "parkplan-e2e-"));
const profile = mkdtempSync(join(tmpdir(), "parkplan-e2e-profile-"));
const file = join(work, "liupanshui.yaml");
copyFileSync(join(root, "problems/liupanshui.yaml"), file);

// The server on a free port; it prints its URL on standard output.
const server = spawn(bin, ["serve", file, "--addr", "127.0.0.1:0", "--jobs", "1"], {
  stdio: ["ignore", "pipe", "inherit"],
});
const url = await new Promise((ok, fail) => {
  let out = "";
  server.stdout.on("data", (d) => {
    out += d;
    const m = /http:\/\/\S+/.exec(out);
    if (m) ok(m[0]);
  });
  server.on("exit", (code) => fail(new Error(`parkplan serve exited with ${code}`)));
  setTimeout(() => fail(new Error("parkplan serve printed no URL")), 30000);
});

let browser = null;
const launch = () => chromium.launchPersistentContext(profile, {
  executablePath: browser_bin,
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
let failed = null;
try {
  browser = await launch();
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(url);

  // The base plan: its objective is the file's known optimum.
  await page.waitForSelector("#objective[data-value]:not([data-value=''])", { timeout: 30000 });
  const base = Number(await page.getAttribute("#objective", "data-value"));
  const expected = 141.105828;
  check(Math.abs(base - expected) <= 1e-5 * expected, `base objective ${base} is the file's optimum ${expected}`);
  if (shots) await page.screenshot({ path: join(shots, "serve-base.png") });

  // A wrong value gets the command line's message beside the field.
  await page.fill("#filter", "pannan land");
  const land = page.locator('[data-path="parks.pannan.capacity.land"]');
  await land.fill("lots");
  await page.click("#solve");
  const err = page.locator('[id="e-parks.pannan.capacity.land"]');
  await err.filter({ hasText: "expected a number" }).waitFor({ timeout: 30000 });
  check(true, `a wrong value is refused beside its field: "${await err.textContent()}"`);

  // Pannan gets 5.2 km² of land instead of 3.3.
  await land.fill("5.2");
  check(await land.evaluate((e) => e.classList.contains("changed")), "the changed field is highlighted");
  await page.click("#solve");
  await page.waitForSelector("#objective-delta", { timeout: 30000 });
  const whatIf = Number(await page.getAttribute("#objective", "data-value"));
  check(whatIf > base + 1e-6, `the what-if's objective ${whatIf} is above the base's ${base}`);
  const delta = await page.textContent("#objective-delta");
  check(delta.startsWith("+"), `the change against the base is shown: ${delta}`);
  const pannanRow = page.locator('tr[data-park="pannan"] td.changed');
  check((await pannanRow.count()) > 0, "Pannan's output change is highlighted in the table");
  await page.waitForFunction(() => document.getElementById("report").srcdoc.includes("<svg"), null, { timeout: 60000 });
  check(true, "the report with its charts is shown");
  if (shots) await page.screenshot({ path: join(shots, "serve-what-if.png") });

  // Saved as a scenario into a copy of the file.
  await page.click("#save summary");
  await page.fill("#save-name", "pannan-more-land");
  await page.fill("#save-description", "Pannan gets 5.2 km2 of land");
  await page.click('#save [data-to="copy"]');
  await page.waitForSelector("#save-result[data-file]", { timeout: 30000 });
  const saved = join(work, await page.getAttribute("#save-result", "data-file"));
  check(existsSync(saved), `the copy ${saved} exists`);
  check(readFileSync(file, "utf8") === readFileSync(join(root, "problems/liupanshui.yaml"), "utf8"), "the original file is unchanged");
  const text = readFileSync(saved, "utf8");
  check(text.includes("# Liupanshui") || text.split("\n").some((l) => l.startsWith("#")), "the copy keeps the file's comments");
  if (shots) await page.screenshot({ path: join(shots, "serve-saved.png"), fullPage: false });

  // The command line solves the saved scenario to the same objective.
  let out;
  try {
    out = execFileSync(bin, ["solve", saved, "--scenario", "pannan-more-land", "--format", "json"], { encoding: "utf8" });
  } catch (e) {
    throw new Error(`parkplan solve of the saved file failed: ${e.stderr || e}`);
  }
  const cli = JSON.parse(out).objective;
  check(Math.abs(cli - whatIf) <= 1e-6 * Math.max(1, Math.abs(cli)), `parkplan solve of the saved scenario gives ${cli}, the page's ${whatIf}`);
  check(errors.length === 0, `no errors in the page's console${errors.length ? ": " + errors.join("; ") : ""}`);
} catch (e) {
  failed = e;
} finally {
  if (browser) await browser.close();
  server.kill();
  rmSync(profile, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
}
if (failed) {
  console.error(String(failed.stack || failed));
  process.exit(1);
}
console.log("all end-to-end checks passed");
