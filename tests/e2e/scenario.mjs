// The end-to-end scenario of `parkplan serve`, the same in every browser: the page on a copy of
// problems/liupanshui.yaml; Pannan gets more land; re-solve; the new objective and the highlighted
// change read from the page; a park's designations opened by clicking it and checked against
// `parkplan designations`; the what-if saved as a scenario into a copy of the file and solved by
// the command line to the same objective; the page at tablet widths without sideways scrolling.
//
// A browser is driven through a small adapter (`b`), so that Playwright (Chromium) and Puppeteer
// (Firefox over WebDriver BiDi) run the very same steps:
//   b.goto(url), b.viewport(w, h), b.wait(selector, ms), b.waitFn(fn, arg, ms), b.eval(fn, arg),
//   b.click(selector), b.shot(path)
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, copyFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
  console.log(`ok: ${what}`);
}

// Starts `parkplan serve` on a copy of problems/liupanshui.yaml; resolves with what the scenario
// needs and a `stop` that ends the server and removes the copy.
export async function startServer(root, bin) {
  const work = mkdtempSync(join(tmpdir(), "parkplan-e2e-"));
  const file = join(work, "liupanshui.yaml");
  copyFileSync(join(root, "problems/liupanshui.yaml"), file);
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
  return {
    url,
    work,
    file,
    stop() {
      server.kill();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

// Types `value` into the field `selector` as a person would: the page sees an `input` event.
async function fill(b, selector, value) {
  await b.eval(([s, v]) => {
    const e = document.querySelector(s);
    e.focus();
    e.value = v;
    e.dispatchEvent(new Event("input", { bubbles: true }));
  }, [selector, value]);
}

const attr = (b, selector, name) => b.eval(([s, n]) => {
  const e = document.querySelector(s);
  return e ? e.getAttribute(n) : null;
}, [selector, name]);

const text = (b, selector) => b.eval((s) => {
  const e = document.querySelector(s);
  return e ? e.textContent : null;
}, selector);

// A park's panel of designations, as the page shows it: one entry per row.
const panelRows = (b) => b.eval(() => [...document.querySelectorAll("#park-panel tr[data-chain]")].map((r) => ({
  chain: r.getAttribute("data-chain"),
  status: r.getAttribute("data-status"),
  chosen: r.classList.contains("chosen"),
  infeasible: r.classList.contains("infeasible"),
  low: r.getAttribute("data-loss-low"),
  high: r.getAttribute("data-loss-high"),
  loss: r.querySelector("td.loss").textContent,
})));

// Whether the page scrolls sideways at the current width.
const overflow = (b) => b.eval(() => ({
  scroll: document.documentElement.scrollWidth,
  inner: window.innerWidth,
  // What sticks out, to say what to mend.
  over: [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(0, 5)
    .map((e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${e.className && typeof e.className === "string" ? "." + e.className.split(" ").join(".") : ""} (right edge ${Math.round(e.getBoundingClientRect().right)})`),
}));

function cli(bin, args) {
  try {
    return JSON.parse(execFileSync(bin, args, { encoding: "utf8" }));
  } catch (e) {
    throw new Error(`parkplan ${args.join(" ")} failed: ${e.stderr || e}`);
  }
}

// Opens a park's panel by clicking its name in the plan table and waits for its designations.
async function openPark(b, park) {
  await b.click(`tr[data-park="${park}"] button.park-link`);
  await b.waitFn((p) => {
    const panel = document.getElementById("park-panel");
    return panel && !panel.hidden && panel.getAttribute("data-park") === p && panel.hasAttribute("data-done");
  }, park, 60000);
  return panelRows(b);
}

// The scenario; `shots` is a folder for screenshots (or null), `prefix` names them by browser.
export async function scenario(b, { root, bin, server, shots, prefix }) {
  const shot = (name) => (shots ? b.shot(join(shots, `${prefix}${name}.png`)) : null);
  await b.viewport(1280, 900);
  await b.goto(server.url);

  // The base plan: its objective is the file's known optimum.
  await b.wait("#objective[data-value]:not([data-value=''])", 30000);
  const base = Number(await attr(b, "#objective", "data-value"));
  const expected = 141.105828;
  check(Math.abs(base - expected) <= 1e-5 * expected, `base objective ${base} is the file's optimum ${expected}`);
  await shot("serve-base");

  // A wrong value gets the command line's message beside the field.
  const land = '[data-path="parks.pannan.capacity.land"]';
  await fill(b, "#filter", "pannan land");
  await fill(b, land, "lots");
  await b.click("#solve");
  const errBox = '[id="e-parks.pannan.capacity.land"]';
  await b.waitFn((s) => (document.querySelector(s).textContent || "").includes("expected a number"), errBox, 30000);
  check(true, `a wrong value is refused beside its field: "${await text(b, errBox)}"`);

  // Pannan gets 5.2 km² of land instead of 3.3.
  await fill(b, land, "5.2");
  check(await b.eval((s) => document.querySelector(s).classList.contains("changed"), land), "the changed field is highlighted");
  await b.click("#solve");
  await b.wait("#objective-delta", 30000);
  const whatIf = Number(await attr(b, "#objective", "data-value"));
  check(whatIf > base + 1e-6, `the what-if's objective ${whatIf} is above the base's ${base}`);
  const delta = await text(b, "#objective-delta");
  check(delta.startsWith("+"), `the change against the base is shown: ${delta}`);
  const changedCells = await b.eval(() => document.querySelectorAll('tr[data-park="pannan"] td.changed').length);
  check(changedCells > 0, "Pannan's output change is highlighted in the table");
  await b.waitFn(() => document.getElementById("report").srcdoc.includes("<svg"), null, 60000);
  check(true, "the report with its charts is shown");
  await shot("serve-what-if");

  // Clicking Pannan opens its designations: its chain first, the others marked infeasible.
  const pannan = await openPark(b, "pannan");
  const heading = await text(b, "#park-panel h3");
  check(heading.includes("Pannan"), `the panel is Pannan's: "${heading}"`);
  const main = await attr(b, 'tr[data-park="pannan"] td.main', "title");
  check(pannan.length >= 2, `Pannan's panel lists ${pannan.length} chains`);
  check(pannan[0].chosen && pannan[0].chain === main && Number(pannan[0].low) === 0, `the chosen chain ${main} comes first at no loss`);
  const infeasible = pannan.filter((r) => r.status === "infeasible");
  check(infeasible.length > 0 && infeasible.every((r) => r.infeasible && r.loss === "infeasible"), `${infeasible.length} infeasible chains are marked as such`);
  // Liuzhi's chains cost something: their losses, ranked.
  const liuzhi = await openPark(b, "liuzhi");
  const losses = liuzhi.filter((r) => r.low !== null).map((r) => Number(r.low));
  check(liuzhi[0].chosen && losses.every((l, i) => i === 0 || l >= losses[i - 1]), `Liuzhi's chains are ranked by loss: ${losses.map((l) => l.toFixed(3)).join(", ")}`);
  check(losses.filter((l) => l > 1e-6).length >= 3, "Liuzhi's other chains each have a loss");
  await b.eval(() => document.getElementById("park-panel").scrollIntoView({ block: "center" }));
  await shot("serve-designations");

  // Saved as a scenario into a copy of the file.
  await b.click("#save summary");
  await fill(b, "#save-name", "pannan-more-land");
  await fill(b, "#save-description", "Pannan gets 5.2 km2 of land");
  await b.click('#save [data-to="copy"]');
  await b.wait("#save-result[data-file]", 30000);
  const saved = join(server.work, await attr(b, "#save-result", "data-file"));
  check(existsSync(saved), `the copy ${saved} exists`);
  check(readFileSync(server.file, "utf8") === readFileSync(join(root, "problems/liupanshui.yaml"), "utf8"), "the original file is unchanged");
  check(readFileSync(saved, "utf8").split("\n").some((l) => l.startsWith("#")), "the copy keeps the file's comments");
  await shot("serve-saved");

  // The command line solves the saved scenario to the same objective, and prices Liuzhi's
  // chains as the panel did.
  const plan = cli(bin, ["solve", saved, "--scenario", "pannan-more-land", "--format", "json"]);
  check(Math.abs(plan.objective - whatIf) <= 1e-6 * Math.max(1, Math.abs(plan.objective)), `parkplan solve of the saved scenario gives ${plan.objective}, the page's ${whatIf}`);
  const d = cli(bin, ["designations", saved, "--scenario", "pannan-more-land", "--park", "liuzhi", "--format", "json"]);
  for (const x of d.designations) {
    const row = liuzhi.find((r) => r.chain === x.chain);
    check(row && row.status === x.status, `liuzhi → ${x.chain}: ${x.status} on the page and the command line`);
    if (x.loss !== undefined) check(Math.abs(Number(row.low) - x.loss) <= 1e-6 * Math.max(1, x.loss), `liuzhi → ${x.chain}: loss ${row.low} on the page, ${x.loss} from parkplan designations`);
  }

  // Tablet widths: upright and on its side, no sideways scrolling.
  for (const [w, h] of [[768, 1024], [1024, 768]]) {
    await b.viewport(w, h);
    await b.eval(() => window.scrollTo(0, 0));
    await shot(`serve-${w}x${h}`);
    const o = await overflow(b);
    check(o.scroll <= o.inner, `at ${w} × ${h} the page is ${o.scroll} px wide in a ${o.inner} px window${o.over.length ? "; sticking out: " + o.over.join(", ") : ""}`);
  }
  await b.viewport(1280, 900);
}
