"""`python -m opsnotes NAME …`: every calculator from a terminal.

Each calculator declares its own arguments (calculators/<name>.py, `Cli`); this module
only dispatches. Errors print the model's message in the locale's language (or --lang)
and exit 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys

from opsnotes.calculators import REGISTRY, run
from opsnotes.i18n import LANGS, lang_from_env


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m opsnotes",
                                     description="Calculators behind the opsnotes site.")
    parser.add_argument("--lang", choices=LANGS, default=None,
                        help="language of messages (default: from LANG/LC_ALL)")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, calc in REGISTRY.items():
        p = sub.add_parser(name, help=calc.cli.help)
        calc.cli.add_arguments(p)
        p.add_argument("--json", action="store_true", help="print the full result as JSON")
        p.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    lang = args.lang or lang_from_env()
    calc = REGISTRY[args.command]
    outcome = run(args.command, calc.cli.params(args), lang)
    if not outcome["ok"]:
        print(f"opsnotes {args.command}: {outcome['error']['message']}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(outcome["result"], ensure_ascii=False, indent=2))
    else:
        print(calc.cli.text(outcome["result"], args))
    return 0
