"""opsnotes: models behind the opsnotes site's articles and calculators.

Every module here is pure Python that runs unchanged on CPython 3.11 and in
Pyodide, so one model serves the tests, the CLI, the site build and the browser.
"""

__version__ = "0.1.0"
