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

// A start that neither succeeds nor fails (a proxy that holds the connection) ends here;
// the reader gets Retry and the command line instead of a spinner for ever. 13.8 MB at
// 2 Mbit/s is about a minute.
const START_TIMEOUT_MS = globalThis.OPSNOTES_START_TIMEOUT_MS ?? 120_000;

let worker = null;
let ready = null;
let started = false; // Python is up in this visit: no more loading messages
let sequence = 0;
const waiting = new Map(); // id -> {resolve, reject}
const watchers = new Set(); // each calculator's progress line

function startPython() {
  if (ready) return ready;
  const t0 = performance.now();
  const own = new Worker(new URL("worker.js", import.meta.url), { type: "module" });
  worker = own;
  ready = new Promise((resolve, reject) => {
    // A failed or timed-out start is forgotten, so that Retry (or the next edit) starts
    // again, and the calls waiting on a dead worker fail instead of hanging. Only this
    // start's own worker is stopped: a late event from an earlier, failed worker must not
    // end the one a Retry started.
    const fail = (error) => {
      // The reader sees the status line; the cause is for whoever opens the console.
      console.warn("opsnotes: Python did not start:", error.message);
      clearTimeout(timer);
      own.terminate();
      if (worker !== own) return;
      worker = null;
      ready = null;
      started = false;
      for (const { reject: stop } of waiting.values()) stop(error);
      waiting.clear();
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error("timeout")), START_TIMEOUT_MS);
    own.onmessage = ({ data }) => {
      if (worker !== own) return;
      if (data.type === "ready") {
        clearTimeout(timer);
        started = true;
        performance.measure("opsnotes:python-ready", { start: t0, detail: data.marks });
        resolve();
      } else if (data.type === "progress") {
        for (const show of watchers) show(data.step, data.steps);
      } else if (data.type === "failed") {
        fail(new Error(data.message));
      } else if (data.type === "result") {
        waiting.get(data.id)?.resolve(data.response);
        waiting.delete(data.id);
      }
    };
    own.onerror = (event) => {
      event.preventDefault(); // reported in the calculator's status line, not the console
      fail(new Error(event.message || "worker failed"));
    };
    own.postMessage({ type: "init", pyodide: new URL("pyodide/", ROOT).href, wheel: WHEEL.href });
  });
  ready.catch(() => {}); // each caller handles the failure; never an unhandled rejection
  return ready;
}

async function compute(calc, params, lang) {
  await startPython();
  return new Promise((resolve, reject) => {
    const id = ++sequence;
    waiting.set(id, { resolve, reject });
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

// A shared link holds only what differs from the page's defaults (the values the build put
// in the form), so it stays short and survives a later change of a default.
function isDefault(el) {
  if (el.type === "checkbox") return el.checked === el.defaultChecked;
  if (el.tagName === "SELECT") return [...el.options].every((o) => o.selected === o.defaultSelected);
  return el.value === el.defaultValue;
}

// A pasted `ss` output or cluster scenario can be tens of kilobytes: GitHub Pages refuses
// URLs past about 8 KB, so such a value stays on the page and out of the link.
const LINK_VALUE_LIMIT = 2000;

// Returns the labels of the fields it had to leave out, so that the reader is told.
function writeUrl(calc, form) {
  const url = new URL(location.href);
  const left = [];
  for (const el of form.elements) {
    if (!el.name) continue;
    for (const name of names(el)) url.searchParams.delete(`${calc}.${name}`);
    if (isDefault(el)) continue;
    if (el.value.length > LINK_VALUE_LIMIT) {
      const label = form.querySelector(`label[for="${el.id}"]`)?.textContent.trim();
      left.push(label || el.name);
      continue;
    }
    url.searchParams.set(`${calc}.${el.name}`, el.type === "checkbox" ? (el.checked ? "1" : "0") : el.value);
  }
  history.replaceState(history.state, "", url);
  return left;
}

// Material (9.8) adds a copy button to each code block once per page, as
// <pre><nav class="md-code__nav"><button class="md-code__button" data-md-type="copy">…<code>;
// results swapped in later get the same markup, which Material's delegated clipboard
// handler then serves.
function addCopyButtons(output, calc, lang) {
  output.querySelectorAll("pre > code").forEach((code, i) => {
    const pre = code.parentElement;
    pre.id = `calc-${calc}-code-${i}`;
    const nav = document.createElement("nav");
    nav.className = "md-code__nav";
    const button = document.createElement("button");
    button.className = "md-code__button";
    button.title = lang === "zh" ? "复制" : "Copy to clipboard";
    button.dataset.mdType = "copy";
    button.dataset.clipboardTarget = `#${pre.id} > code`;
    nav.append(button);
    pre.insertBefore(nav, code);
  });
}

// A preset sets its own inputs and returns every other field to the value the page was
// built with, so it means the same whatever the reader typed before.
function applyPreset(form, values) {
  for (const el of form.elements) {
    if (!el.name) continue;
    const given = Object.hasOwn(values, el.name);
    if (el.type === "checkbox") el.checked = given ? values[el.name] === true : el.defaultChecked;
    else if (el.tagName === "SELECT") {
      for (const o of el.options) o.selected = given ? o.value === values[el.name] : o.defaultSelected;
    } else el.value = given ? String(values[el.name]) : el.defaultValue;
  }
}

// The link names the calculator's heading, so it opens scrolled to the result.
async function copyLink(calc, form, note) {
  const left = writeUrl(calc, form);
  const url = new URL(location.href);
  url.hash = `calc-${calc}-title`;
  try {
    await navigator.clipboard.writeText(url.href);
    // A link without a pasted text opens with the page's default there: say so, by name.
    note.textContent = left.length
      ? note.dataset.copiedWithout.replace("{fields}", left.join(note.dataset.separator))
      : note.dataset.copied;
  } catch {
    note.textContent = url.href; // no clipboard (an http page, a denied permission): show it
  }
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
  const message = (key) => section.dataset[`msg${key[0].toUpperCase()}${key.slice(1)}`];
  const say = (key, extra = "") => { status.textContent = message(key) + extra; };
  let latest = 0;
  let edited = false;
  // After a failed start only Retry or a new edit starts Python again: a tap that merely
  // reaches the section (on its way to Retry) must not replace the message under the finger.
  let gaveUp = false;

  // Until the live answer arrives, the result on the page is for other input: say so.
  // The headline (or the error) repeated next to the input.
  const peek = section.querySelector(".opsnotes-calc__peek");
  const showPeek = (response) => {
    if (!peek) return;
    const head = output.querySelector(".opsnotes-calc__headline");
    peek.textContent = response && !response.ok ? response.error.message : head?.textContent ?? "";
    peek.classList.toggle("opsnotes-calc__peek--error", Boolean(response && !response.ok));
    peek.hidden = !peek.textContent;
  };
  const stale = (on) => {
    peek?.classList.toggle("opsnotes-calc__peek--stale", on);
    output.classList.toggle("opsnotes-calc__output--stale", on);
    if (on) output.setAttribute("aria-busy", "true");
    else output.removeAttribute("aria-busy");
  };
  const loading = (step = 0, steps = 0) => {
    if (started) return;
    say(edited ? "stale" : "loading", steps ? ` (${step}/${steps})` : "");
  };
  const failed = () => {
    gaveUp = true;
    say("failed");
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "md-button opsnotes-calc__retry";
    retry.textContent = message("retry");
    retry.addEventListener("click", () => { gaveUp = false; loading(); edited ? update() : warm(); });
    status.append(" ", retry);
  };
  const progress = (step, steps) => { if (section.isConnected) loading(step, steps); };
  watchers.add(progress);

  // The error is also shown under the field it blames: with a phone's keyboard open, the
  // result box is off screen. (The full message stays in the result, where screen readers
  // are told of it once.)
  function blame(response) {
    form.querySelectorAll(".opsnotes-field__error").forEach((p) => p.remove());
    for (const el of form.elements) {
      if (!el.name) continue;
      const bad = !response.ok && response.error?.field === el.name;
      if (!bad) { el.removeAttribute("aria-invalid"); continue; }
      el.setAttribute("aria-invalid", "true");
      const note = document.createElement("p");
      note.className = "opsnotes-field__error";
      note.setAttribute("aria-hidden", "true");
      note.textContent = response.error.message;
      el.closest(".opsnotes-field")?.append(note);
    }
  }

  async function update() {
    const ticket = ++latest;
    const t0 = performance.now();
    const params = readForm(form);
    edited = true;
    gaveUp = false;
    if (!started) { stale(true); loading(); }
    let response;
    try {
      response = await compute(calc, params, lang);
    } catch {
      if (ticket === latest) failed();
      return;
    }
    if (ticket !== latest) return; // a newer input already superseded this one
    output.innerHTML = response.html;
    stale(false);
    addCopyButtons(output, calc, lang);
    blame(response);
    showPeek(response);
    say("ready");
    section.dispatchEvent(new CustomEvent("opsnotes:result", {
      bubbles: true, detail: { calc, ok: response.ok, ms: performance.now() - t0 },
    }));
  }

  // replaceState on every keystroke costs more than the computation; the URL can lag, but
  // only while this page is the one shown: instant navigation pushes the next page's URL
  // before it swaps the content in, so the section alone cannot tell.
  let editedAt = "";
  const writeUrlLater = debounce(() => {
    if (section.isConnected && location.pathname === editedAt) writeUrl(calc, form);
  }, 300);
  const writeLater = () => { editedAt = location.pathname; writeUrlLater(); };
  const warm = () => {
    if (gaveUp) return;
    if (!started) loading();
    startPython().then(() => { if (!latest) say("ready"); }, () => { if (!latest) failed(); });
  };
  const presets = section.querySelector(".opsnotes-calc__presets");
  if (presets) {
    presets.hidden = false;
    presets.addEventListener("click", (event) => {
      const button = event.target.closest(".opsnotes-calc__preset");
      if (!button) return;
      applyPreset(form, JSON.parse(button.dataset.values));
      syncVisibility(form);
      writeLater();
      update();
    });
  }
  const actions = section.querySelector(".opsnotes-calc__actions");
  if (actions) {
    actions.hidden = false;
    const button = actions.querySelector(".opsnotes-calc__link");
    const note = document.createElement("span");
    note.className = "opsnotes-calc__copied";
    note.setAttribute("role", "status");
    Object.assign(note.dataset, {copied: button.dataset.copied, separator: button.dataset.separator,
                                 copiedWithout: button.dataset.copiedWithout});
    actions.append(" ", note);
    button.addEventListener("click", () => copyLink(calc, form, note));
    form.addEventListener("input", () => { note.textContent = ""; });
  }
  // "input" alone: selects and checkboxes fire it too, and "change" after it would run
  // Python twice for one edit.
  form.addEventListener("input", () => { syncVisibility(form); writeLater(); update(); });
  section.addEventListener("focusin", warm, { once: true });
  section.addEventListener("pointerdown", warm, { once: true });
  say("default");
  showPeek(null);
  const box = section.getBoundingClientRect();
  if (box.bottom > 0 && box.top < innerHeight) warm(); // already in view: start now
  else if ("IntersectionObserver" in window) {
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) { seen.disconnect(); warm(); }
    });
    seen.observe(section);
  }
  if (readUrl(calc, form)) { syncVisibility(form); update(); }
}

function debounce(fn, ms) {
  let timer = 0;
  return () => { clearTimeout(timer); timer = setTimeout(fn, ms); };
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
