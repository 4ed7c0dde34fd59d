"""`python -m opsnotes NAME …`: every calculator from a terminal.

Each subcommand and its options come from the calculator's declared fields (their flags,
labels as help, defaults); the values go through the same parsing as the browser's. Errors
print the model's message in the locale's language (or --lang) and exit 2, never a
traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from opsnotes.calculators import REGISTRY, run
from opsnotes.calculators.fields import Choice, Field, Flag, Textarea
from opsnotes.calculators.form import Calculator
from opsnotes.errors import OpsnotesError
from opsnotes.i18n import LANGS, lang_from_env, t


def _help(calc: Calculator, f: Field, lang: str) -> str:
    label = calc.label(f.name).render(lang)
    if isinstance(f, Flag):
        text = t("cli.negate", lang, label=label) if f.negate else label
    elif isinstance(f, Textarea):
        text = t("cli.file", lang, label=label)
    elif f.default not in (None, "") and not f.positional:
        text = t("cli.default", lang, label=label, value=f.default)
    else:
        text = label
    return text.replace("%", "%%")  # argparse formats help strings with %


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m opsnotes", description=t("cli.description", lang))
    parser.add_argument("--lang", choices=LANGS, default=None, help=t("cli.lang", lang))
    sub = parser.add_subparsers(dest="command", required=True)
    parser.set_defaults(subparsers={})
    for name, calc in REGISTRY.items():
        summary = t(f"calc.summary.{name}", lang)
        p = parser.get_default("subparsers")[name] = sub.add_parser(name, help=summary,
                                                                    description=summary)
        for f in calc.fields:
            option_help = None
            if isinstance(f, Choice):
                def option_help(option: str, calc: Calculator = calc, f: Field = f) -> str:
                    return t(f"{calc.name}.field.{f.name}.{option}", lang).replace("%", "%%")
            f.add_argument(p, _help(calc, f, lang), option_help)
        p.add_argument("--json", action="store_true", help=t("cli.json", lang))
        p.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS, help=t("cli.lang", lang))
    return parser


def _infer_modes(calc: Calculator, given: dict[str, Any], lang: str) -> str | None:
    """For a choice that other fields are shown under (a mode) and that was not given: the
    mode the given fields belong to: the one named by the fields shown in fewest modes, the
    default on a tie. Returns why it cannot tell, if it cannot."""
    for controller in calc.fields:
        dependants = [f for f in calc.fields if f.when and f.when[0] == controller.name]
        if not dependants or controller.name in given:
            continue
        weights: dict[str, float] = {}
        for f in dependants:
            if f.name in given:
                for mode in f.when[1:]:
                    weights[mode] = weights.get(mode, 0) + 1 / len(f.when[1:])
        if not weights:
            continue
        best = max(weights.values())
        modes = [m for m, w in weights.items() if w == best]
        if controller.default in modes:
            modes = [controller.default]
        if len(modes) > 1:
            flags = ", ".join(f.flag for f in dependants if f.name in given and f.flag)
            return t("cli.modes", lang, flags=flags, flag=controller.flag)
        given[controller.name] = modes[0]
    return None


def params_from(calc: Calculator, args: argparse.Namespace) -> dict[str, Any]:
    """The calculator's params from what was given (files read); the rest stays default."""
    return {f.name: f.from_cli(getattr(args, f.name)) for f in calc.fields if hasattr(args, f.name)}


def _lang(argv: Sequence[str]) -> str:
    """--lang, found before argparse runs, so that --help speaks it too."""
    for i, word in enumerate(argv):
        value = argv[i + 1] if word == "--lang" and i + 1 < len(argv) else (
            word.split("=", 1)[1] if word.startswith("--lang=") else None)
        if value in LANGS:
            return value
    return lang_from_env()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    lang = _lang(argv)
    parser = build_parser(lang)
    args = parser.parse_args(argv)
    calc = REGISTRY[args.command]
    try:
        params = params_from(calc, args)
    except OpsnotesError as err:
        print(f"opsnotes {args.command}: {calc.labelled(err).message(lang)}", file=sys.stderr)
        return 2
    conflict = _infer_modes(calc, params, lang)
    if conflict:
        args.subparsers[args.command].error(conflict)
    outcome = run(args.command, params, lang)
    if not outcome["ok"]:
        print(f"opsnotes {args.command}: {outcome['error']['message']}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(outcome["result"], ensure_ascii=False, indent=2))
    else:
        print(calc.text(outcome["result"], calc.clean(params)))
    return 0
