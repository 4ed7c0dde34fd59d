// The Python side of the calculators: one Pyodide interpreter per visit.
// Messages: {type:"init", pyodide, wheel} -> {type:"progress", step, steps}...,
//           then {type:"ready", marks}|{type:"failed", message};
//           {type:"run", id, request} -> {type:"result", id, response}.

let runJson = null;
let py = null;
let pyodideURL = null;
let fullStdlib = null;

// Every file this worker loads is checked against the hashes the build wrote beside the wheel
// (opsnotes_site/integrity.py) before the first answer: the Pyodide folder is not versioned,
// so a cache or proxy holding an older pyodide.asm.wasm after a deploy, or a download cut
// short, would start a mixture nobody tested. Each check hashes the very bytes Pyodide uses
// (the two JavaScript modules are imported from the checked bytes themselves).
let expected = null; // Promise of {file name: "sha256-…"}
const checks = [];

const sri = async (bytes) => "sha256-"
  + btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))));

async function verify(url, bytes) {
  const name = new URL(url).pathname.split("/").pop();
  const want = (await expected)[name];
  if (!want) throw new Error(`${url}: not a file this site was built with`);
  const got = await sri(bytes);
  if (got === want) return;
  // Ask the server again, past the browser's cache, so that Retry gets the current file.
  plainFetch(url, { cache: "reload" }).catch(() => {});
  throw new Error(`${url}: its content is not the one this page was built with (${got}, expected ${want})`);
}

// Files our own code fetches from the runtime's or the wheel's folder; the manifest itself
// is vouched for by its folder's name, a hash of what it lists.
const isRuntimeFile = (url) => !url.endsWith(`/integrity.json`)
  && (url.startsWith(pyodideURL ?? "\0") || url.startsWith(wheelFolder ?? "\0"));
let wheelFolder = null;

async function importVerified(url) {
  const response = await plainFetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = await response.arrayBuffer();
  await verify(url, bytes);
  const blob = URL.createObjectURL(new Blob([bytes], { type: "text/javascript" }));
  try {
    return await import(blob);
  } finally {
    URL.revokeObjectURL(blob);
  }
}

// The site's python_stdlib.zip holds only what the calculators were seen to import
// (src/opsnotes_site/stdlib.py). Should a call need more, add Pyodide's full library once
// and run the call again: slower, never wrong.
function addFullStdlib() {
  fullStdlib ??= (async () => {
    const url = `${pyodideURL}python_stdlib.full.zip`;
    const response = await plainFetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const bytes = await response.arrayBuffer();
    await verify(url, bytes);
    py.FS.writeFile("/lib/python_stdlib_full.zip", new Uint8Array(bytes));
    // (not importlib.invalidate_caches(): it imports importlib.metadata, which may be missing)
    py.runPython('import sys; sys.path.append("/lib/python_stdlib_full.zip")');
  })().catch((error) => { fullStdlib = null; throw error; });
  return fullStdlib;
}

// A reader's second start comes from a memory snapshot of the first (Pyodide's
// _makeSnapshot/_loadSnapshot): about 0.9 s instead of 3 s. It is kept in Cache Storage under
// the wheel's URL, whose folder is a hash of the wheel, the Pyodide version and the standard
// library (opsnotes_site.build), so any change to them makes a new key and the old snapshot is
// deleted. A snapshot that does not restore is deleted and Python starts as usual.
const SNAPSHOTS = "opsnotes-pyodide-snapshot";

async function snapshotCache() {
  try {
    return self.caches ? await caches.open(SNAPSHOTS) : null;
  } catch {
    return null; // storage disabled (private mode, quota): start without snapshots
  }
}

async function readSnapshot(cache, key) {
  try {
    const hit = cache && (await cache.match(key));
    return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

async function keepSnapshot(cache, key, bytes) {
  try {
    for (const old of await cache.keys()) if (old.url !== key) await cache.delete(old);
    await cache.put(key, new Response(bytes, { headers: { "Content-Type": "application/octet-stream" } }));
  } catch {
    // no room: the next visit starts as usual
  }
}

// What the reader is told while Python starts: the runtime's script, the interpreter (the
// 8 MB download), our model.
const STEPS = 3;
const progress = (step) => self.postMessage({ type: "progress", step, steps: STEPS });

const escape = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function init({ pyodide, wheel }) {
  const marks = { start: performance.now() };
  pyodideURL = pyodide;
  wheelFolder = new URL("./", wheel).href;
  expected = fetch(new URL("integrity.json", wheel)).then((r) => {
    if (!r.ok) throw new Error(`${r.url}: HTTP ${r.status}`);
    return r.json();
  });
  // A failure of any of these is the start failing, said at once (not when it is awaited).
  const early = (promise) => { promise.catch((error) => startFailed(String(error))); return promise; };
  early(expected);
  // Our wheel is pure Python and a zip file, so it goes on sys.path as it is (zipimport):
  // fetched while Pyodide starts, with none of loadPackage()'s lock-file work after.
  const wheelBytes = plainFetch(wheel).then(async (r) => {
    if (!r.ok) throw new Error(`${wheel}: HTTP ${r.status}`);
    const bytes = await r.arrayBuffer();
    await verify(wheel, bytes);
    return bytes;
  });
  early(wheelBytes);
  const asm = early(importVerified(`${pyodide}pyodide.asm.mjs`));
  const { loadPyodide } = await importVerified(`${pyodide}pyodide.mjs`);
  progress(1);
  const options = { indexURL: pyodide, stdout: () => {}, stderr: () => {},
                    createPyodideModule: (await asm).default };
  const key = new URL(`${wheel}.snapshot`, self.location.href).href;
  const cache = await snapshotCache();
  const snapshot = await readSnapshot(cache, key);
  marks.snapshot = Boolean(snapshot);
  if (snapshot) {
    try {
      py = await loadPyodide({ ...options, _loadSnapshot: snapshot });
    } catch {
      py = null;
      marks.snapshot = false;
      await cache.delete(key).catch(() => {});
    }
  }
  py ??= await loadPyodide({ ...options, _makeSnapshot: Boolean(cache) });
  marks.python = performance.now();
  progress(2);
  // The file system is not in the snapshot: the wheel is written on every start.
  const path = `/opsnotes/${wheel.split("/").pop()}`;
  py.FS.mkdirTree("/opsnotes");
  py.FS.writeFile(path, new Uint8Array(await wheelBytes));
  const load = "import sys\n"
    + `if ${JSON.stringify(path)} not in sys.path: sys.path.insert(0, ${JSON.stringify(path)})\n`
    + "import opsnotes.calculators";
  try {
    py.runPython(load);
  } catch (error) {
    if (!String(error).includes("ModuleNotFoundError")) throw error;
    await addFullStdlib();
    py.runPython(load);
  }
  await Promise.all(checks); // nothing is answered, or kept as a snapshot, from unchecked files
  if (cache && !marks.snapshot && !fullStdlib) {
    // before any Python object reaches JavaScript, which a snapshot cannot hold
    keepSnapshot(cache, key, py.makeMemorySnapshot());
  }
  runJson = py.pyimport("opsnotes.calculators").run_json;
  marks.model = performance.now();
  return marks;
}

// Pyodide does not reject loadPyodide() when its WebAssembly download fails (a proxy, a
// dropped connection): it logs "wasm instantiation failed!" and waits for ever. So every
// download this worker makes before the model is up goes through here, and any that fails
// is the start failing, said at once.
let failedStart = false;
function startFailed(message) {
  if (runJson || failedStart) return;
  failedStart = true;
  self.postMessage({ type: "failed", message });
}
const plainFetch = self.fetch.bind(self);
self.fetch = async (...args) => {
  try {
    const response = await plainFetch(...args);
    if (!response.ok) startFailed(`${response.url}: HTTP ${response.status}`);
    else if (!runJson && isRuntimeFile(response.url)) {
      // Pyodide's own downloads (the WebAssembly, the standard library): hashed from a copy
      // of the same body while Pyodide compiles the original, so streaming costs nothing.
      const check = response.clone().arrayBuffer().then((bytes) => verify(response.url, bytes));
      check.catch((error) => startFailed(String(error)));
      checks.push(check);
    }
    return response;
  } catch (error) {
    startFailed(String(error));
    throw error;
  }
};
self.addEventListener("unhandledrejection", (event) => {
  if (runJson) return;
  event.preventDefault();
  startFailed(String(event.reason));
});

self.onmessage = async ({ data }) => {
  if (data.type === "init") {
    try {
      const marks = await init(data);
      self.postMessage({ type: "ready", marks });
    } catch (error) {
      startFailed(String(error));
    }
  } else if (data.type === "run") {
    let response;
    try {
      try {
        response = JSON.parse(runJson(data.request));
      } catch (error) {
        if (!String(error).includes("ModuleNotFoundError")) throw error;
        await addFullStdlib();
        response = JSON.parse(runJson(data.request));
      }
    } catch (error) {
      // run_json never raises for bad input; this is a bug, shown rather than hidden.
      response = { ok: false, error: { message: String(error) },
                   html: `<p role="alert">${escape(String(error))}</p>` };
    }
    self.postMessage({ type: "result", id: data.id, response });
  }
};
