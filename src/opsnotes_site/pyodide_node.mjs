// Runs Python in the pinned Pyodide under Node.js, as the browser's worker does:
//   node pyodide_node.mjs INDEX_URL STDLIB_ZIP WHEEL SCRIPT.py
// Prints what SCRIPT.py prints (its last line is usually JSON for the caller).
import { readFileSync } from "node:fs";
import { basename } from "node:path";

const [indexURL, stdLibURL, wheel, script] = process.argv.slice(2);
const { loadPyodide } = await import(`${indexURL}/pyodide.mjs`);
const py = await loadPyodide({ indexURL, stdLibURL, stdout: (s) => console.log(s), stderr: (s) => console.error(s) });
py.FS.mkdirTree("/opsnotes");
const path = `/opsnotes/${basename(wheel)}`;
py.FS.writeFile(path, readFileSync(wheel));
py.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(path)})`);
py.runPython(readFileSync(script, "utf8"));
