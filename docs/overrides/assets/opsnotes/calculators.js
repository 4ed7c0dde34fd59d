// The one loader behind every calculator on the site.
//
// A calculator is server-rendered HTML (<section data-calc="NAME">) whose form and
// default result come from the Python package in src/. This script binds every such
// section: it starts Python (Pyodide, in a module Web Worker, self-hosted) only when
// a reader sees or touches a calculator, then sends the form's values to the same
// Python function the build used and swaps in the HTML it returns. One worker lives
// for the whole visit, across Material's instant navigation.

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content;
// Resolved once, against the page the visit started on: later pages are swapped in
// by instant navigation and their relative paths would differ.
const ROOT = new URL(meta("opsnotes-root") || "./", location.href);
const WHEEL = new URL(meta("opsnotes-wheel") || "", ROOT);

let worker = null;
let ready = null;
let sequence = 0;
const waiting = new Map();

function startPython() {
  if (ready) return ready;
  const t0 = performance.now();
  ready = new Promise((resolve, reject) => {
    worker = new Worker(new URL("worker.js", import.meta.url), { type: "module" });
    worker.onmessage = ({ data }) => {
      if (data.type === "ready") {
        performance.measure("opsnotes:python-ready", { start: t0, detail: data.marks });
        resolve();
      } else if (data.type === "failed") {
        reject(new Error(data.message));
      } else if (data.type === "result") {
        waiting.get(data.id)?.(data.response);
        waiting.delete(data.id);
      }
    };
    worker.onerror = (event) => {
      event.preventDefault(); // reported in the calculator's status line, not the console
      reject(new Error(event.message || "worker failed"));
    };
    worker.postMessage({ type: "init", pyodide: new URL("pyodide/", ROOT).href, wheel: WHEEL.href });
  });
  ready.catch(() => {}); // each caller handles the failure; never an unhandled rejection
  return ready;
}

async function compute(calc, params, lang) {
  await startPython();
  return new Promise((resolve) => {
    const id = ++sequence;
    waiting.set(id, resolve);
    worker.postMessage({ type: "run", id, request: JSON.stringify({ calc, params, lang }) });
  });
}

function readForm(form) {
  const params = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    params[el.name] = el.type === "checkbox" ? el.checked : el.value;
  }
  return params;
}

// URL state: ?umask.umask=027&umask.kind=dir — prefixed, so calculators can share a page.
// A field's earlier names (data-aliases, from its declaration) still work in shared links.
const names = (el) => [el.name, ...(el.dataset.aliases ? el.dataset.aliases.split(" ") : [])];

function readUrl(calc, form) {
  const query = new URLSearchParams(location.search);
  let found = false;
  for (const el of form.elements) {
    if (!el.name) continue;
    const value = names(el).map((n) => query.get(`${calc}.${n}`)).find((v) => v !== null);
    if (value === undefined) continue;
    found = true;
    if (el.type === "checkbox") el.checked = value === "1";
    else el.value = value;
  }
  return found;
}

function writeUrl(calc, form) {
  const url = new URL(location.href);
  for (const el of form.elements) {
    if (!el.name) continue;
    for (const alias of names(el).slice(1)) url.searchParams.delete(`${calc}.${alias}`);
    url.searchParams.set(`${calc}.${el.name}`, el.type === "checkbox" ? (el.checked ? "1" : "0") : el.value);
  }
  history.replaceState(history.state, "", url);
}

// Material adds copy buttons to code blocks once per page; results swapped in later get
// the same button, which Material's delegated clipboard handler then serves.
function addCopyButtons(output, calc, lang) {
  output.querySelectorAll("pre > code").forEach((code, i) => {
    const pre = code.parentElement;
    pre.id = `calc-${calc}-code-${i}`;
    const button = document.createElement("button");
    button.className = "md-clipboard md-icon";
    button.title = lang === "zh" ? "复制" : "Copy to clipboard";
    button.dataset.clipboardTarget = `#${pre.id} > code`;
    pre.prepend(button);
  });
}

// Fields that belong to one mode of a form (data-when="<select name>") show only in it.
function syncVisibility(form) {
  for (const box of form.querySelectorAll("[data-when]")) {
    const controller = form.elements[box.dataset.when];
    if (controller) box.hidden = !box.dataset.whenValues.split(" ").includes(controller.value);
  }
}

function bind(section) {
  if (section.dataset.bound) return;
  section.dataset.bound = "1";
  const calc = section.dataset.calc;
  const lang = section.dataset.lang;
  const form = section.querySelector("form");
  const output = section.querySelector(".opsnotes-calc__output");
  const status = section.querySelector(".opsnotes-calc__status");
  const say = (key) => { status.textContent = section.dataset[`msg${key[0].toUpperCase()}${key.slice(1)}`]; };
  let latest = 0;
  let urlTimer = 0;

  async function update(fromUrl = false) {
    const ticket = ++latest;
    const started = performance.now();
    const params = readForm(form);
    if (!fromUrl) {
      // replaceState on every keystroke costs more than the computation; the URL can lag.
      clearTimeout(urlTimer);
      urlTimer = setTimeout(() => writeUrl(calc, form), 300);
    }
    if (!worker) say("loading");
    let response;
    try {
      response = await compute(calc, params, lang);
    } catch {
      say("failed");
      return;
    }
    if (ticket !== latest) return; // a newer input already superseded this one
    output.innerHTML = response.html;
    addCopyButtons(output, calc, lang);
    for (const el of form.elements) {
      if (!el.name) continue;
      const bad = !response.ok && response.error?.field === el.name;
      if (bad) el.setAttribute("aria-invalid", "true");
      else el.removeAttribute("aria-invalid");
    }
    say("ready");
    section.dispatchEvent(new CustomEvent("opsnotes:result", {
      bubbles: true, detail: { calc, ok: response.ok, ms: performance.now() - started },
    }));
  }

  const warm = () => startPython().then(() => { if (!latest) say("ready"); }, () => say("failed"));
  form.addEventListener("input", () => { syncVisibility(form); update(); });
  form.addEventListener("change", () => { syncVisibility(form); update(); });
  section.addEventListener("focusin", warm, { once: true });
  section.addEventListener("pointerdown", warm, { once: true });
  const box = section.getBoundingClientRect();
  if (box.bottom > 0 && box.top < innerHeight) warm(); // already in view: start now
  else if ("IntersectionObserver" in window) {
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) { seen.disconnect(); warm(); }
    });
    seen.observe(section);
  }
  if (readUrl(calc, form)) { syncVisibility(form); update(true); }
}

function bindAll() {
  document.querySelectorAll("section.opsnotes-calc[data-calc]").forEach(bind);
}

bindAll();
// Material re-renders the content on instant navigation and announces it on document$,
// which exists once Material's bundle has run (before DOMContentLoaded).
function follow() {
  if (window.document$) window.document$.subscribe(bindAll);
}
if (document.readyState === "loading") addEventListener("DOMContentLoaded", follow, { once: true });
else follow();
