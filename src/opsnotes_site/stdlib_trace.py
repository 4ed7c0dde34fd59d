"""Run inside Pyodide by `opsnotes_site.stdlib`: every calculator's examples and a set of bad
inputs for every field, in both languages, then print the files Python imported (JSON).

The error paths matter as much as the answers: a message, a wrong type or a refused number
may import a module the happy path never needs.
"""

import json
import sys

from opsnotes.calculators import REGISTRY, run_json
from opsnotes.i18n import LANGS

BAD = ["", " ", "x", "１２", "-1", "0", "9" * 60, "9" * 5000, "<b>", None, [], {}, 1.5, True,
       "\x00", "³", "1e3", "٣", "x" * 100_000]
runs = 0
for name in REGISTRY:
    calc = REGISTRY[name]
    for lang in LANGS:
        for example in calc.examples:
            run_json(json.dumps({"calc": name, "params": dict(example.inputs), "lang": lang}))
            runs += 1
        for field in calc.fields:
            for value in BAD:
                run_json(json.dumps({"calc": name, "params": {field.name: value}, "lang": lang}))
                runs += 1
        run_json(json.dumps({"calc": name, "params": {"no_such_field": 1}, "lang": lang}))
for request in ("not json", "[]", '{"calc": 3}', '{"calc": "nope", "params": {}}'):
    run_json(request)
files = sorted({m.__file__ for m in list(sys.modules.values()) if getattr(m, "__file__", None)})
print(json.dumps({"runs": runs, "files": files}))
