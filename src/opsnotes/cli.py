"""`python -m opsnotes …`: the calculators from a terminal.

Errors print the model's message in the locale's language (or --lang) and exit 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from opsnotes.calculators import run
from opsnotes.i18n import LANGS, lang_from_env


def _umask_parser(sub: Any) -> None:
    p = sub.add_parser("umask", help="modes of new files and directories under a umask")
    p.add_argument("umask", help="octal (027, 0027) or symbolic (u=rwx,g=rx,o=)")
    p.add_argument("--dir", action="store_true", help="explain a directory instead of a file")
    p.add_argument("--mode", default="", help="requested mode, e.g. 4755 (default: 0666 / 0777)")
    p.add_argument("--parent-setgid", action="store_true", help="the parent directory is setgid")
    p.add_argument("--default-acl", default="", help="parent's default ACL, e.g. u::rwx,g::rx,o::-")


def _umask_params(a: argparse.Namespace) -> dict[str, Any]:
    return {"umask": a.umask, "kind": "dir" if a.dir else "file", "requested": a.mode,
            "parent_setgid": a.parent_setgid, "default_acl": a.default_acl}


def _umask_text(r: dict[str, Any], a: argparse.Namespace) -> str:
    lines = [f"umask {r['umask']} ({r['umask_symbolic']})"]
    if a.mode or a.parent_setgid or a.default_acl or a.dir:
        lines.append(f"{r['kind']} requested {r['requested']}: {r['octal']} {r['ls']} {r['symbolic']}")
    else:
        from opsnotes import mode as m

        for kind in ("file", "dir"):
            value = int(r[kind], 8)
            lines.append(f"{kind + ':':5} {r[kind]} {m.ls_l(value, kind)} {m.symbolic(value)}")
    return "\n".join(lines)


COMMANDS = {"umask": (_umask_parser, _umask_params, _umask_text)}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m opsnotes",
                                     description="Calculators behind the opsnotes site.")
    parser.add_argument("--lang", choices=LANGS, default=None,
                        help="language of messages (default: from LANG/LC_ALL)")
    sub = parser.add_subparsers(dest="command", required=True)
    for add, _, _ in COMMANDS.values():
        add(sub)
    for p in sub.choices.values():
        p.add_argument("--json", action="store_true", help="print the full result as JSON")
        p.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    lang = args.lang or lang_from_env()
    _, to_params, to_text = COMMANDS[args.command]
    outcome = run(args.command, to_params(args), lang)
    if not outcome["ok"]:
        print(f"opsnotes {args.command}: {outcome['error']['message']}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(outcome["result"], ensure_ascii=False, indent=2))
    else:
        print(to_text(outcome["result"], args))
    return 0
