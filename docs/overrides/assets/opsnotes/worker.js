// The Python side of the calculators: one Pyodide interpreter per visit.
// Messages: {type:"init", pyodide, wheel} -> {type:"ready"|"failed"};
//           {type:"run", id, request} -> {type:"result", id, response}.

let runJson = null;

async function init({ pyodide, wheel }) {
  const { loadPyodide } = await import(`${pyodide}pyodide.mjs`);
  const py = await loadPyodide({ indexURL: pyodide, stdout: () => {}, stderr: () => {} });
  await py.loadPackage(wheel, { messageCallback: () => {}, errorCallback: () => {} });
  runJson = py.pyimport("opsnotes.calculators").run_json;
}

self.onmessage = async ({ data }) => {
  if (data.type === "init") {
    try {
      await init(data);
      self.postMessage({ type: "ready" });
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
