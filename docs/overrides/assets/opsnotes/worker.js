// The Python side of the calculators: one Pyodide interpreter per visit.
// Messages: {type:"init", pyodide, wheel} -> {type:"ready", marks}|{type:"failed"};
//           {type:"run", id, request} -> {type:"result", id, response}.

let runJson = null;

async function init({ pyodide, wheel }) {
  const marks = { start: performance.now() };
  // Our wheel is pure Python and a zip file, so it goes on sys.path as it is (zipimport):
  // fetched while Pyodide starts, with none of loadPackage()'s lock-file work after.
  const wheelBytes = fetch(wheel).then((r) => {
    if (!r.ok) throw new Error(`${wheel}: HTTP ${r.status}`);
    return r.arrayBuffer();
  });
  const { loadPyodide } = await import(`${pyodide}pyodide.mjs`);
  const py = await loadPyodide({ indexURL: pyodide, stdout: () => {}, stderr: () => {} });
  marks.python = performance.now();
  const path = `/opsnotes/${wheel.split("/").pop()}`;
  py.FS.mkdirTree("/opsnotes");
  py.FS.writeFile(path, new Uint8Array(await wheelBytes));
  py.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(path)})`);
  runJson = py.pyimport("opsnotes.calculators").run_json;
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
      response = JSON.parse(runJson(data.request));
    } catch (error) {
      // run_json never raises for bad input; this is a bug, shown rather than hidden.
      response = { ok: false, error: { message: String(error) }, html: `<p role="alert">${String(error)}</p>` };
    }
    self.postMessage({ type: "result", id: data.id, response });
  }
};
