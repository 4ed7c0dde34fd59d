// The Python side of the calculators: one Pyodide interpreter per visit.
// Messages: {type:"init", pyodide, wheel} -> {type:"ready", marks}|{type:"failed"};
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

async function init({ pyodide, wheel }) {
  const marks = { start: performance.now() };
  // Our wheel is pure Python and a zip file, so it goes on sys.path as it is (zipimport):
  // fetched while Pyodide starts, with none of loadPackage()'s lock-file work after.
  const wheelBytes = fetch(wheel).then((r) => {
    if (!r.ok) throw new Error(`${wheel}: HTTP ${r.status}`);
    return r.arrayBuffer();
  });
  const { loadPyodide } = await import(`${pyodide}pyodide.mjs`);
  pyodideURL = pyodide;
  py = await loadPyodide({ indexURL: pyodide, stdout: () => {}, stderr: () => {} });
  marks.python = performance.now();
  const path = `/opsnotes/${wheel.split("/").pop()}`;
  py.FS.mkdirTree("/opsnotes");
  py.FS.writeFile(path, new Uint8Array(await wheelBytes));
  py.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(path)})`);
  let calculators;
  try {
    calculators = py.pyimport("opsnotes.calculators");
  } catch (error) {
    if (!String(error).includes("ModuleNotFoundError")) throw error;
    await addFullStdlib();
    calculators = py.pyimport("opsnotes.calculators");
  }
  runJson = calculators.run_json;
  marks.model = performance.now();
  return marks;
}

self.onmessage = async ({ data }) => {
  if (data.type === "init") {
    try {
      const marks = await init(data);
      self.postMessage({ type: "ready", marks });
    } catch (error) {
      self.postMessage({ type: "failed", message: String(error) });
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
      response = { ok: false, error: { message: String(error) }, html: `<p role="alert">${String(error)}</p>` };
    }
    self.postMessage({ type: "result", id: data.id, response });
  }
};
