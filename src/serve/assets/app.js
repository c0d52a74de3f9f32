// parkplan's what-if page: forms over a problem's numbers, solves through the JSON API, and the
// changes against the plan it starts from. Text from problem files only ever reaches the page
// through textContent (never as markup), so a file cannot inject anything into it.
"use strict";

const $ = (id) => document.getElementById(id);
const state = {
  problems: [],
  problem: null,
  scenario: "base",
  doc: null, // the chosen variant's document: the values the forms start from
  reference: null, // its plan
  plan: null, // the what-if's plan
  controller: null,
};

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("data-")) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function fmt(x, digits = 4) {
  if (x === null || x === undefined) return "—";
  if (typeof x !== "number") return String(x);
  return Number(x.toPrecision(digits + 2)).toLocaleString("en-GB", { maximumFractionDigits: digits });
}

function setStatus(text, kind) {
  const s = $("status");
  s.textContent = text;
  s.className = kind || "";
}

// ---- the API -------------------------------------------------------------------------------

async function api(path, body) {
  const r = await fetch(path, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  return r;
}

async function json(path, body) {
  const r = await api(path, body);
  const data = await r.json();
  if (!r.ok) throw Object.assign(new Error(data.message), { api: data });
  return data;
}

// A request answered as server-sent events: `progress` calls onProgress, `result` resolves with
// the answer's JSON, `error` rejects with the API's error. Aborting the controller closes the
// stream, which stops the server's solve.
async function stream(path, body, onProgress, controller) {
  const r = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify(body),
    credentials: "same-origin",
    signal: controller.signal,
  });
  if (!r.ok) {
    const data = await r.json();
    throw Object.assign(new Error(data.message), { api: data });
  }
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let at;
    while ((at = buf.indexOf("\n\n")) >= 0) {
      const chunk = buf.slice(0, at);
      buf = buf.slice(at + 2);
      let event = "message";
      let data = "";
      for (const line of chunk.split("\n")) {
        if (line.startsWith("event: ")) event = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      if (event === "progress" || event === "started") onProgress(event, JSON.parse(data));
      else if (event === "result") return JSON.parse(data);
      else if (event === "error") {
        const e = JSON.parse(data);
        throw Object.assign(new Error(e.error.message), { api: e.error });
      }
    }
  }
  throw new Error("the server closed the stream without an answer");
}

// ---- problems and scenarios ------------------------------------------------------------------

async function loadProblems() {
  const data = await json("api/problems");
  state.problems = data.problems;
  const sel = $("problem");
  sel.replaceChildren();
  for (const p of data.problems) {
    sel.append(el("option", { value: p.name }, p.title ? `${p.title} (${p.file})` : p.file));
  }
  const wanted = new URLSearchParams(location.search).get("problem");
  if (wanted && data.problems.some((p) => p.name === wanted)) sel.value = wanted;
  await chooseProblem(sel.value);
}

async function chooseProblem(name) {
  state.problem = state.problems.find((p) => p.name === name);
  const sel = $("scenario");
  sel.replaceChildren(el("option", { value: "base" }, "the problem as written (base)"));
  const p = state.problem;
  if (p.error) {
    setStatus(p.error, "bad");
    return;
  }
  if (p.scenarios.length) {
    const g = el("optgroup", { label: "Scenarios" });
    for (const s of p.scenarios) g.append(el("option", { value: s.name, title: s.description || "" }, s.name));
    sel.append(g);
  }
  for (const sw of p.sweeps) {
    const g = el("optgroup", { label: `Sweep ${sw.name}` + (sw.total > sw.points.length ? ` (first ${sw.points.length} of ${sw.total})` : "") });
    for (const pt of sw.points) g.append(el("option", { value: pt }, pt.slice(sw.name.length)));
    sel.append(g);
  }
  $("robust").disabled = !p.uncertainty;
  $("robust").title = p.uncertainty ? "" : "the file has no uncertainty: block";
  await chooseScenario("base");
}

async function chooseScenario(name) {
  state.scenario = name;
  $("scenario").value = name;
  const s = state.problem.scenarios.find((x) => x.name === name);
  $("describe").textContent = (s && s.description) || state.problem.description || "";
  const d = await json("api/document", { problem: state.problem.name, scenario: name });
  state.doc = d.document;
  buildFields();
  state.reference = null;
  state.plan = null;
  await solve(true);
}

// ---- the forms --------------------------------------------------------------------------------

// Every number and switch of the document, as [path, value], in document order.
function leaves(node, at, out) {
  if (node && typeof node === "object" && !Array.isArray(node)) {
    for (const [k, v] of Object.entries(node)) leaves(v, at ? `${at}.${k}` : k, out);
  } else if (typeof node === "number" || typeof node === "boolean") {
    out.push([at, node]);
  }
  return out;
}

function buildFields() {
  const root = $("fields");
  root.replaceChildren();
  const groups = new Map();
  for (const [path, value] of leaves(state.doc, "", [])) {
    const parts = path.split(".");
    // Grouped by section and, where there is one, by the park, chain or resource named.
    const section = parts[0];
    const entity = parts.length > 2 ? parts[1] : "";
    const key = `${section}\u0000${entity}`;
    if (!groups.has(key)) groups.set(key, { section, entity, rows: [] });
    groups.get(key).rows.push([path, value, parts.slice(entity ? 2 : 1).join(".")]);
  }
  let lastSection = null;
  let sectionBox = null;
  for (const g of groups.values()) {
    if (g.section !== lastSection) {
      sectionBox = el("details", { class: "section", open: ["parks", "resources", "rules"].includes(g.section) }, el("summary", {}, g.section));
      root.append(sectionBox);
      lastSection = g.section;
    }
    const box = g.entity ? el("details", { class: "entity" }, el("summary", {}, entityName(g.section, g.entity))) : el("div", { class: "entity" });
    const table = el("div", { class: "grid" });
    for (const [path, value, label] of g.rows) table.append(...field(path, value, label));
    box.append(table);
    sectionBox.append(box);
  }
  filterFields();
  countChanges();
}

function entityName(section, id) {
  const n = state.doc[section] && state.doc[section][id] && state.doc[section][id].name;
  return typeof n === "string" && n !== id ? `${id} — ${n}` : id;
}

function field(path, value, label) {
  const id = "f-" + path;
  const lab = el("label", { htmlFor: id, title: path }, label);
  let input;
  if (typeof value === "boolean") {
    input = el("select", { id, class: "num" }, el("option", { value: "true" }, "true"), el("option", { value: "false" }, "false"));
    input.value = String(value);
  } else {
    input = el("input", { id, class: "num", value: String(value), inputMode: "decimal", autocomplete: "off" });
  }
  input.setAttribute("data-path", path);
  input.setAttribute("data-original", String(value));
  input.addEventListener("input", () => {
    input.classList.toggle("changed", input.value.trim() !== input.getAttribute("data-original"));
    clearError(path);
    countChanges();
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") solve(false);
  });
  const err = el("span", { class: "err", id: "e-" + path });
  return [lab, input, err];
}

function parseValue(text) {
  const t = text.trim();
  if (t === "true") return true;
  if (t === "false") return false;
  // Numbers as numbers; anything else goes as text, for the server to refuse as the CLI would.
  if (t !== "" && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  return t;
}

function changes() {
  const set = {};
  for (const input of document.querySelectorAll("#fields [data-path]")) {
    if (input.value.trim() !== input.getAttribute("data-original")) set[input.getAttribute("data-path")] = parseValue(input.value);
  }
  for (const [k, v] of Object.entries(state.extra || {})) set[k] = v;
  return set;
}

function countChanges() {
  const n = Object.keys(changes()).length;
  $("count").textContent = n ? `${n} change${n > 1 ? "s" : ""}` : "no changes";
}

function filterFields() {
  const words = $("filter").value.toLowerCase().split(/\s+/).filter(Boolean);
  for (const input of document.querySelectorAll("#fields [data-path]")) {
    const path = input.getAttribute("data-path").toLowerCase();
    const show = words.every((w) => path.includes(w));
    input.previousSibling.hidden = !show;
    input.hidden = !show;
    input.nextSibling.hidden = !show;
  }
  if (words.length) {
    for (const d of document.querySelectorAll("#fields details")) {
      d.open = [...d.querySelectorAll("[data-path]")].some((i) => !i.hidden);
    }
  }
}

function clearErrors() {
  for (const e of document.querySelectorAll("#fields .err")) e.textContent = "";
  $("other-err").textContent = "";
}

function clearError(path) {
  const e = document.getElementById("e-" + path);
  if (e) e.textContent = "";
}

// Shows an API error beside the field it names (the CLI's message), or in the status line.
function showError(err) {
  const a = err.api;
  if (!a) {
    setStatus(String(err.message || err), "bad");
    return;
  }
  let placed = false;
  for (const d of a.diagnostics && a.diagnostics.length ? a.diagnostics : [a]) {
    const path = (d.path || "").replace(/^set\./, "");
    const box = document.getElementById("e-" + path);
    const text = d.message + (d.help ? ` (${d.help})` : "");
    if (box) {
      box.textContent = text;
      const input = document.getElementById("f-" + path);
      if (input) {
        input.closest("details.entity") && (input.closest("details.entity").open = true);
        input.closest("details.section") && (input.closest("details.section").open = true);
      }
      placed = true;
    } else if (path && state.extra && path in state.extra) {
      $("other-err").textContent = text;
      $("other").open = true;
      placed = true;
    }
  }
  setStatus(placed ? "The what-if is not valid: see the messages beside the fields." : a.message + (a.help ? ` — ${a.help}` : ""), "bad");
}

// ---- solving ------------------------------------------------------------------------------

function request() {
  return { problem: state.problem.name, scenario: state.scenario, set: changes() };
}

function showProgress(event, p) {
  const box = $("progress");
  box.hidden = false;
  if (event === "started") box.textContent = "Solving…";
  else box.textContent = `Solving: ${fmt(p.elapsed, 1)} s, best plan ${fmt(p.best)}, bound ${fmt(p.bound)}, gap ${p.gap === null ? "—" : fmt(100 * p.gap, 2) + " %"}`;
}

async function solve(reference) {
  if (state.controller) state.controller.abort();
  const controller = new AbortController();
  state.controller = controller;
  clearErrors();
  $("cancel").hidden = false;
  $("solve").disabled = true;
  $("progress").hidden = false;
  $("progress").textContent = "Waiting for a solver…";
  $("analysis").replaceChildren();
  // A park's designations were those of the plan shown, which is about to change.
  if (state.parkController) state.parkController.abort();
  $("park-panel").hidden = true;
  const req = request();
  if (reference) req.set = {};
  try {
    const plan = await stream("api/solve", req, showProgress, controller);
    if (reference) state.reference = plan;
    state.plan = plan;
    state.lastSet = req.set;
    render();
    loadReport(req);
  } catch (e) {
    if (e.name === "AbortError") setStatus("Cancelled.", "");
    else showError(e);
  } finally {
    if (state.controller === controller) {
      state.controller = null;
      $("cancel").hidden = true;
      $("solve").disabled = false;
      $("progress").hidden = true;
    }
  }
}

async function loadReport(req) {
  const frame = $("report");
  try {
    const r = await api("api/report", req);
    if (!r.ok) return;
    frame.srcdoc = await r.text();
  } catch (_) {
    /* the plan is shown already; the report is a picture of it */
  }
}

function render() {
  const plan = state.plan;
  const ref = state.reference;
  const isWhatIf = Object.keys(state.lastSet || {}).length > 0;
  const units = plan.units || {};
  const out = units.output ? ` ${units.output}` : "";
  const ok = plan.status === "optimal" || plan.status === "time_limit";
  setStatus(
    ok ? (isWhatIf ? "The what-if is solved." : `The plan of ${state.scenario} is solved.`) : `No plan: the ${isWhatIf ? "what-if" : "problem"} is ${plan.status.replace(/_/g, " ")}.`,
    ok ? "good" : "bad",
  );
  $("explain").hidden = plan.status !== "infeasible";
  const delta = (a, b) => (a === null || b === null || a === undefined || b === undefined ? null : a - b);
  const summary = el(
    "dl",
    { class: "summary" },
    el("dt", {}, "Objective"),
    el("dd", { id: "objective", "data-value": plan.objective === null ? "" : String(plan.objective) }, fmt(plan.objective, 6)),
    isWhatIf && ref ? el("dt", {}, "Against " + state.scenario) : null,
    isWhatIf && ref ? el("dd", { id: "objective-delta", class: deltaClass(delta(plan.objective, ref.objective)) }, signed(delta(plan.objective, ref.objective))) : null,
    el("dt", {}, "Output value"),
    el("dd", {}, fmt(plan.output_value) + out),
    el("dt", {}, "Status"),
    el("dd", {}, plan.status + (plan.gap ? ` (gap ${fmt(100 * plan.gap, 3)} %)` : "")),
  );
  $("summary").replaceChildren(summary);
  renderChanges(plan, isWhatIf ? ref : null);
}

function signed(x) {
  if (x === null) return "—";
  if (Math.abs(x) < 1e-9) return "no change";
  return (x > 0 ? "+" : "") + fmt(x);
}

function deltaClass(x) {
  if (x === null || Math.abs(x) < 1e-9) return "";
  return x > 0 ? "up" : "down";
}

// Main chains, output and resource use per park: what changed against the reference is
// highlighted (class `changed`).
function renderChanges(plan, ref) {
  const names = (plan.names && plan.names.parks) || {};
  const chains = (plan.names && plan.names.chains) || {};
  const units = plan.units || {};
  const t = el("table", { class: "changes" });
  t.append(el("caption", {}, ref ? `Main chains and output, against ${state.scenario}` : "Main chains and output", el("span", { class: "muted hint" }, " — click a park for what each main chain would cost it")));
  t.append(el("tr", {}, el("th", {}, "Park"), el("th", {}, "Main chain"), ref ? el("th", {}, "Before") : null, el("th", {}, "Output" + (units.output ? ` (${units.output})` : "")), ref ? el("th", {}, "Change") : null));
  const parks = Object.keys(plan.main_chains || {}).length ? Object.keys(plan.main_chains) : Object.keys(plan.park_output || {});
  for (const park of parks) {
    const main = (plan.main_chains || {})[park];
    const before = ref && (ref.main_chains || {})[park];
    const out = (plan.park_output || {})[park];
    const outBefore = ref && (ref.park_output || {})[park];
    const changedMain = ref && before !== main;
    const d = ref ? (out || 0) - (outBefore || 0) : null;
    const row = el(
      "tr",
      { class: changedMain ? "changed" : "", "data-park": park },
      el("td", { title: park }, parkButton(park, names[park] || park)),
      el("td", { class: changedMain ? "changed main" : "main", title: main || "" }, main ? chains[main] || main : "—"),
      ref ? el("td", {}, before ? chains[before] || before : "—") : null,
      el("td", { class: "n" }, fmt(out)),
      ref ? el("td", { class: "n " + deltaClass(d) + (Math.abs(d) > 1e-6 ? " changed" : "") }, signed(d)) : null,
    );
    t.append(row);
  }
  const box = [t];
  // Resource use: shadow prices with units and the range over which each holds.
  const r = el("table", { class: "changes" });
  r.append(el("caption", {}, "Resources: use, limit and shadow price"));
  r.append(el("tr", {}, el("th", {}, "Where"), el("th", {}, "Resource"), el("th", {}, "Used"), ref ? el("th", {}, "Change") : null, el("th", {}, "Limit"), el("th", {}, "Shadow price"), el("th", {}, "Valid while the limit is in")));
  const refUse = new Map(((ref && ref.resources) || []).map((x) => [`${x.park || ""}/${x.resource}`, x]));
  for (const x of plan.resources || []) {
    const before = refUse.get(`${x.park || ""}/${x.resource}`);
    const d = before ? x.used - before.used : null;
    const unit = units[x.resource] ? ` ${units[x.resource]}` : "";
    const changedCap = before && Math.abs(before.capacity - x.capacity) > 1e-9;
    const range = x.price_range ? `${fmt(x.price_range.from)} – ${fmt(x.price_range.to)}` : "—";
    r.append(
      el(
        "tr",
        { class: (d !== null && Math.abs(d) > 1e-6) || changedCap ? "changed" : "" },
        el("td", {}, x.park ? names[x.park] || x.park : "city pool"),
        el("td", {}, x.resource),
        el("td", { class: "n" }, fmt(x.used) + unit),
        ref ? el("td", { class: "n " + deltaClass(d) }, signed(d)) : null,
        el("td", { class: "n" + (changedCap ? " changed" : "") }, fmt(x.capacity) + unit),
        el("td", { class: "n" }, fmt(x.shadow_price)),
        el("td", { class: "n" }, range),
      ),
    );
  }
  $("changes").replaceChildren(...box);
  $("resources").replaceChildren(el("details", { open: !!ref }, el("summary", {}, "Resources"), r));
}

// A park's name as a button: it opens the park's panel of designations.
function parkButton(park, label) {
  const b = el("button", { type: "button", class: "park-link", title: `What each main chain would cost ${label}`, "data-park": park }, label);
  b.addEventListener("click", () => showDesignations(park));
  return b;
}

// ---- a park's designations ------------------------------------------------------------------

// The panel of one park: each chain that may be its main chain, ranked by what making it the main
// chain would cost against the plan shown (`parkplan designations --park P`), computed on demand
// for the what-if last solved.
async function showDesignations(park) {
  const panel = $("park-panel");
  const names = (state.plan && state.plan.names && state.plan.names.parks) || {};
  const title = names[park] && names[park] !== park ? `${names[park]} (${park})` : park;
  if (state.parkController) state.parkController.abort();
  const controller = new AbortController();
  state.parkController = controller;
  const close = el("button", { type: "button", class: "close", title: "Close", "aria-label": "Close" }, "×");
  close.addEventListener("click", () => {
    controller.abort();
    panel.hidden = true;
  });
  const body = el("div", { class: "panel-body" }, el("p", { class: "muted" }, "Pricing each main chain…"));
  panel.replaceChildren(el("div", { class: "panel-head" }, el("h3", {}, `${title}: what each main chain would cost`), close), body);
  panel.setAttribute("data-park", park);
  panel.removeAttribute("data-done");
  panel.hidden = false;
  panel.scrollIntoView({ block: "nearest" });
  const req = { problem: state.problem.name, scenario: state.scenario, set: state.lastSet || {}, park };
  try {
    const d = await stream("api/designations", req, (event, p) => {
      const line = body.querySelector(".muted");
      if (line && event === "progress") line.textContent = `Pricing each main chain: ${fmt(p.elapsed, 1)} s`;
    }, controller);
    body.replaceChildren(...designationsView(d, park));
    panel.setAttribute("data-done", "");
  } catch (e) {
    if (e.name === "AbortError") return;
    const a = e.api;
    body.replaceChildren(el("p", { class: "bad" }, a ? a.message + (a.help ? ` — ${a.help}` : "") : String(e.message || e)));
    panel.setAttribute("data-done", "");
  } finally {
    if (state.parkController === controller) state.parkController = null;
  }
}

// A pair's loss as [low, high]: a point twice, an interval, high null without a bound; null
// without a plan.
function lossInterval(x) {
  if (x.loss !== undefined && x.loss !== null) return [x.loss, x.loss];
  if (x.loss_low !== undefined && x.loss_low !== null) return [x.loss_low, x.loss_high === undefined ? null : x.loss_high];
  return null;
}

function designationsView(d, park) {
  const chains = (d.names && d.names.chains) || {};
  const unit = (d.units && d.units.output) || "objective units";
  const list = d.designations.filter((x) => x.park === park);
  // The chosen chain first, then by loss (its low end, then its high end), pairs without a plan last.
  const key = (x) => {
    const i = lossInterval(x);
    return [x.chosen ? 0 : 1, i ? i[0] : Infinity, i && i[1] !== null ? i[1] : Infinity];
  };
  list.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2] || 0;
  });
  const share = (v) => (d.objective === 0 ? null : (100 * v) / Math.abs(d.objective));
  const exact = d.designations.every((x) => x.loss_low === undefined || x.loss_low === null);
  const t = el("table", { class: "changes designations" });
  t.append(el("tr", {}, el("th", {}, "Main chain"), el("th", {}, "Objective"), el("th", {}, `Loss (${unit})`), el("th", {}, "Loss (% of optimum)")));
  for (const x of list) {
    const i = lossInterval(x);
    let loss;
    let pct;
    if (!i) {
      loss = x.status === "infeasible" ? "infeasible" : x.status.replace(/_/g, " ");
      pct = "—";
    } else if (i[1] !== null && Math.abs(i[1] - i[0]) <= 1e-12) {
      loss = fmt(i[0]);
      pct = share(i[0]) === null ? "—" : fmt(share(i[0]), 2) + " %";
    } else if (i[1] !== null) {
      loss = `${fmt(i[0])} – ${fmt(i[1])}`;
      pct = share(i[0]) === null ? "—" : `${fmt(share(i[0]), 2)} – ${fmt(share(i[1]), 2)} %`;
    } else {
      loss = `≥ ${fmt(i[0])}`;
      pct = share(i[0]) === null ? "—" : `≥ ${fmt(share(i[0]), 2)} %`;
    }
    const label = chains[x.chain] && chains[x.chain] !== x.chain ? `${chains[x.chain]} (${x.chain})` : x.chain;
    const row = el(
      "tr",
      { class: x.chosen ? "chosen" : !i ? "infeasible" : "", "data-chain": x.chain, "data-status": x.status, title: x.message || "" },
      el("td", {}, label, x.chosen ? el("span", { class: "tag" }, "chosen") : null),
      el("td", { class: "n" }, x.objective === null || x.objective === undefined ? "—" : fmt(x.objective, 6)),
      el("td", { class: "n loss" }, loss),
      el("td", { class: "n" }, pct),
    );
    if (i) {
      row.setAttribute("data-loss-low", String(i[0]));
      if (i[1] !== null) row.setAttribute("data-loss-high", String(i[1]));
    }
    t.append(row);
  }
  const out = [
    el("p", {}, `Optimum ${fmt(d.objective, 6)} ${unit}. The loss of a main chain is what the objective falls by when it is made this park's main chain, every other park free to change.`),
    t,
  ];
  if (!exact) out.push(el("p", { class: "muted" }, `Solved to a relative gap of ${d.gap} (or stopped by the time limit), each loss is known only within the range shown.`));
  if (list.some((x) => x.status === "infeasible")) out.push(el("p", { class: "muted" }, "Infeasible: no plan has that chain as this park's main chain."));
  if (d.unsolved > 0) out.push(el("p", { class: "muted" }, `Stopped before ${d.unsolved} chain(s) were priced; they are not listed.`));
  return out;
}

// ---- analyses -------------------------------------------------------------------------------

async function analysis(path, body, show) {
  const box = $("analysis");
  box.replaceChildren(el("p", { class: "muted" }, "Working…"));
  const controller = new AbortController();
  state.controller = controller;
  $("cancel").hidden = false;
  try {
    const data = await stream(path, body, showProgress, controller);
    box.replaceChildren(...show(data));
  } catch (e) {
    box.replaceChildren();
    if (e.name !== "AbortError") showError(e);
  } finally {
    if (state.controller === controller) state.controller = null;
    $("cancel").hidden = true;
    $("progress").hidden = true;
  }
}

function showExplain(e) {
  const t = el("table", { class: "changes" }, el("caption", {}, "The smallest changes that make the what-if feasible"));
  t.append(el("tr", {}, el("th", {}, "Change"), el("th", {}, "Where"), el("th", {}, "Stated"), el("th", {}, "Needed"), el("th", {}, "By")));
  for (const c of e.changes) {
    const where = [c.park, c.resource, c.chain, c.material].filter(Boolean).join(" / ");
    t.append(el("tr", { class: "changed" }, el("td", {}, c.kind.replace(/_/g, " ")), el("td", {}, where), el("td", { class: "n" }, fmt(c.stated)), el("td", { class: "n" }, fmt(c.changed)), el("td", { class: "n" }, fmt(c.amount) + (c.unit ? ` ${c.unit}` : ""))));
  }
  const after = e.objective_after === null ? "" : ` With them the objective would be ${fmt(e.objective_after, 6)}.`;
  return [t, el("p", {}, `Status: ${e.status}.${after}`)];
}

function showAlternatives(list) {
  const parks = list.plans.length ? Object.keys(list.plans[0].main_chains) : [];
  const t = el("table", { class: "changes" }, el("caption", {}, "Ranked main-chain assignments"));
  t.append(el("tr", {}, el("th", {}, "Rank"), el("th", {}, "Objective"), el("th", {}, "Loss"), ...parks.map((p) => el("th", {}, parkButton(p, p)))));
  for (const a of list.plans) {
    t.append(el("tr", {}, el("td", {}, a.rank), el("td", { class: "n" }, fmt(a.objective, 6)), el("td", { class: "n" }, a.loss_percent === null ? fmt(a.loss) : fmt(a.loss_percent, 2) + " %"), ...parks.map((p) => el("td", { class: a.differs_from_first.includes(p) ? "changed" : "" }, a.main_chains[p]))));
  }
  return [t];
}

function showRobust(r) {
  if (!r.main_chains || !Object.keys(r.main_chains).length) {
    const from = state.scenario === "base" ? "" : ` The what-if (${state.scenario} with your changes) takes the base problem's place, and each scenario weighed applies its changes on top of it.`;
    return [el("p", { class: "bad" }, `No robust choice: across the scenarios weighed the what-if is ${String(r.status).replace(/_/g, " ")}.${from}`)];
  }
  const t = el("table", { class: "changes" }, el("caption", {}, `Robust main chains (${r.measure.replace(/_/g, " ")}): objective ${fmt(r.objective, 6)}`));
  t.append(el("tr", {}, el("th", {}, "Scenario"), el("th", {}, "Probability"), el("th", {}, "With the robust choice"), el("th", {}, "Alone"), el("th", {}, "Loss")));
  for (const s of r.scenarios) {
    t.append(el("tr", {}, el("td", {}, s.name), el("td", { class: "n" }, fmt(s.probability)), el("td", { class: "n" }, fmt(s.objective, 6)), el("td", { class: "n" }, fmt(s.alone_objective, 6)), el("td", { class: "n" }, fmt(s.loss))));
  }
  const m = el("table", { class: "changes" }, el("caption", {}, "The robust choice"));
  for (const [p, c] of Object.entries(r.main_chains)) m.append(el("tr", {}, el("td", {}, parkButton(p, p)), el("td", {}, c)));
  return [m, t, el("p", {}, `EVPI ${fmt(r.evpi)}, VSS ${fmt(r.vss)}.`)];
}

// ---- downloads and saving ---------------------------------------------------------------------

async function download(path, body) {
  setStatus("Preparing the download…", "");
  const r = await api(path, body);
  if (!r.ok) {
    showError(Object.assign(new Error(""), { api: await r.json() }));
    return;
  }
  const disposition = r.headers.get("content-disposition") || "";
  const m = /filename="([^"]+)"/.exec(disposition);
  const blob = await r.blob();
  const a = el("a", { href: URL.createObjectURL(blob), download: m ? m[1] : "download" });
  document.body.append(a);
  a.click();
  a.remove();
  setStatus(`Downloaded ${m ? m[1] : "the file"}.`, "good");
}

async function save(to) {
  const name = $("save-name").value.trim();
  const body = { ...request(), name, to };
  const d = $("save-description").value.trim();
  if (d) body.description = d;
  const out = $("save-result");
  out.textContent = "";
  if (to === "download") return download("api/save", body);
  if (to === "original" && !confirm("Write the scenario into the original file? A copy of it is kept as .bak.")) return;
  try {
    const r = await json("api/save", body);
    out.className = "good";
    out.textContent = to === "copy" ? `Saved as scenario ${r.scenario} in ${r.file} (served as ${r.problem}).` : `Saved as scenario ${r.scenario} in ${r.file}; the previous text is in ${r.backup}.`;
    out.setAttribute("data-file", r.file);
    const keep = state.problem.name;
    await loadProblemsKeeping(keep);
  } catch (e) {
    out.className = "bad";
    out.textContent = e.api ? e.api.message + (e.api.help ? ` — ${e.api.help}` : "") : String(e);
  }
}

// Refreshes the list of problems (a saved copy joins it) without leaving the what-if.
async function loadProblemsKeeping(name) {
  const data = await json("api/problems");
  state.problems = data.problems;
  const sel = $("problem");
  const current = sel.value;
  sel.replaceChildren();
  for (const p of data.problems) sel.append(el("option", { value: p.name }, p.title ? `${p.title} (${p.file})` : p.file));
  sel.value = current || name;
  state.problem = state.problems.find((p) => p.name === sel.value);
}

// ---- wiring ---------------------------------------------------------------------------------

function wire() {
  $("problem").addEventListener("change", (e) => chooseProblem(e.target.value).catch(showError));
  $("scenario").addEventListener("change", (e) => chooseScenario(e.target.value).catch(showError));
  $("solve").addEventListener("click", () => solve(false));
  $("cancel").addEventListener("click", () => state.controller && state.controller.abort());
  $("reset").addEventListener("click", () => {
    state.extra = {};
    buildFields();
    clearErrors();
    if (state.reference) {
      state.plan = state.reference;
      state.lastSet = {};
      render();
    }
  });
  $("filter").addEventListener("input", filterFields);
  $("other-add").addEventListener("click", () => {
    const p = $("other-path").value.trim();
    if (!p) return;
    state.extra = state.extra || {};
    state.extra[p] = parseValue($("other-value").value);
    $("other-err").textContent = `set ${p} = ${$("other-value").value} (re-solve to apply)`;
    countChanges();
  });
  $("explain").addEventListener("click", () => analysis("api/explain", request(), showExplain));
  $("alternatives").addEventListener("click", () => analysis("api/alternatives", { ...request(), count: 5 }, showAlternatives));
  $("robust").addEventListener("click", () => analysis("api/robust", { problem: state.problem.name, scenario: state.scenario, set: changes() }, showRobust));
  for (const b of document.querySelectorAll("#downloads [data-format]")) {
    b.addEventListener("click", () => download("api/export", { ...request(), format: b.getAttribute("data-format") }));
  }
  for (const b of document.querySelectorAll("#save [data-to]")) {
    b.addEventListener("click", () => save(b.getAttribute("data-to")));
  }
}

wire();
loadProblems().catch(showError);
