"""Run inside Pyodide by tests/test_stdlib.py: every calculator example in both languages,
printed as one JSON object {"calc/lang/n": response} to compare with CPython's answers."""

import json

from opsnotes.calculators import REGISTRY, run_json
from opsnotes.i18n import LANGS

out = {}
for name in REGISTRY:
    for lang in LANGS:
        for n, example in enumerate(REGISTRY[name].examples):
            request = json.dumps({"calc": name, "params": dict(example.inputs), "lang": lang})
            out[f"{name}/{lang}/{n}"] = json.loads(run_json(request))
print(json.dumps(out))
