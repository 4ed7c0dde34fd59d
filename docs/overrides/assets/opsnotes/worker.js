// The Python side of the calculators: one Pyodide interpreter per visit.
// Messages: {type:"init", pyodide, wheel} -> {type:"progress", step, steps}...,
//           then {type:"ready", marks}|{type:"failed", message};
//           {type:"run", id, request} -> {type:"result", id, response}.

let runJson = null;
let py = null;
let pyodideURL = null;
let fullStdlib = null;

// The site's python_stdlib.zip holds only what the calculators were seen to import
// (src/opsnotes_site/stdlib.py). Should a call need more, add Pyodide's full library once
// and run the call again: slower, never wrong.
function addFullStdlib() {
  fullStdlib ??= (async () => {
    const url = `${pyodideURL}python_stdlib.full.zip`;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    py.FS.writeFile("/lib/python_stdlib_full.zip", new Uint8Array(await response.arrayBuffer()));
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
  // Our wheel is pure Python and a zip file, so it goes on sys.path as it is (zipimport):
  // fetched while Pyodide starts, with none of loadPackage()'s lock-file work after.
  const wheelBytes = fetch(wheel).then((r) => {
    if (!r.ok) throw new Error(`${wheel}: HTTP ${r.status}`);
    return r.arrayBuffer();
  });
  const { loadPyodide } = await import(`${pyodide}pyodide.mjs`);
  progress(1);
  pyodideURL = pyodide;
  const options = { indexURL: pyodide, stdout: () => {}, stderr: () => {} };
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
