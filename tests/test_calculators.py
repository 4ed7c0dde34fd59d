"""Every calculator's declared examples, in both languages, in-process and on the command line;
and the declarations themselves: labels and messages in both languages, aliases, the form."""

from __future__ import annotations

import contextlib
import io
import json
import re

import pytest

from opsnotes import cli
from opsnotes.calculators import REGISTRY, run
from opsnotes.calculators.fields import Choice
from opsnotes.calculators.form import render_calculator
from opsnotes.i18n import LANGS, MESSAGES, t

EXAMPLES = [(name, i) for name in REGISTRY for i in range(len(REGISTRY[name].examples))]


def example_id(case: tuple[str, int]) -> str:
    name, i = case
    return f"{name}-{i}"


def subset(expected: object, got: object) -> bool:
    if isinstance(expected, dict):
        return isinstance(got, dict) and all(k in got and subset(v, got[k]) for k, v in expected.items())
    return expected == got


def check_outcome(name: str, i: int, lang: str, outcome: dict) -> None:
    calc = REGISTRY[name]
    ex = calc.examples[i]
    if ex.error:
        assert not outcome["ok"], outcome["result"]
        error = outcome["error"]
        assert (error["key"], error["field"]) == (ex.error, ex.field), error
        assert calc.label(ex.field).render(lang) in error["message"]
        assert f'id="calc-{name}-error"' in outcome["html"]
    else:
        assert outcome["ok"], outcome["error"]["message"]
        assert subset(dict(ex.expect), outcome["result"]), {k: outcome["result"].get(k) for k in ex.expect}
        for text in ex.shows:
            assert text in outcome["html"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", EXAMPLES, ids=example_id)
def test_example_in_process(case, lang) -> None:
    name, i = case
    outcome = run(name, dict(REGISTRY[name].examples[i].inputs), lang)
    check_outcome(name, i, lang, outcome)
    json.dumps(outcome)  # what the browser receives


def main(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exit_:
            code = exit_.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", EXAMPLES, ids=example_id)
def test_example_on_the_command_line(case, lang, tmp_path) -> None:
    """The command line the declaration derives for the example computes the same."""
    name, i = case
    calc = REGISTRY[name]
    ex = calc.examples[i]
    files = iter(range(100))

    def file(text: str) -> str:
        path = tmp_path / f"input-{next(files)}.txt"
        path.write_text(text, encoding="utf-8")
        return str(path)

    argv = ["--lang", lang, name, *calc.argv(ex.inputs, file)]
    expected = run(name, dict(ex.inputs), lang)
    if ex.error:
        code, out, err = main(argv)
        assert (code, out) == (2, ""), (argv, out, err)
        assert err == f"opsnotes {name}: {expected['error']['message']}\n", argv
        check_outcome(name, i, lang, expected)
    else:
        code, out, err = main([*argv[:3], "--json", *argv[3:]])
        assert code == 0, (argv, err)
        got = json.loads(out)
        assert got == json.loads(json.dumps(expected["result"])), argv
        check_outcome(name, i, lang, {**expected, "result": got})
        code, out, err = main(argv)
        assert code == 0 and out.strip() and not err


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_label_and_option_has_both_languages(name) -> None:
    calc = REGISTRY[name]
    for key in calc.message_keys():
        for lang in LANGS:
            assert MESSAGES[key].get(lang), f"{key} has no {lang} text"
    for f in calc.fields:
        en, zh = (calc.label(f.name).render(lang) for lang in LANGS)
        assert not re.search(r"[\u3000-\u9fff\uff00-\uffef]", en), en


@pytest.mark.parametrize("name", list(REGISTRY))
def test_each_calculator_has_examples_of_results_and_errors(name) -> None:
    examples = REGISTRY[name].examples
    assert any(e.error for e in examples) and any(not e.error for e in examples)
    for e in examples:
        assert (e.error is None) == (e.field is None), e
        assert e.error is None or not (e.expect or e.shows), e


@pytest.mark.parametrize("name", list(REGISTRY))
def test_old_names_still_work(name) -> None:
    """Shared links and JSON written for the old field names give the same answer."""
    calc = REGISTRY[name]
    for ex in calc.examples:
        old = {}
        for key, value in ex.inputs.items():
            f = calc.field(key)
            old[f.aliases[0] if f.aliases else key] = value
        assert run(name, old, "en") == run(name, dict(ex.inputs), "en")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(REGISTRY))
def test_form_comes_from_the_declaration(name, lang) -> None:
    calc = REGISTRY[name]
    page = render_calculator(calc, lang)
    values = calc.clean(calc.page_values())
    for f in calc.fields:
        ident = f"calc-{name}-{f.name}"
        assert f'id="{ident}"' in page and f'name="{f.name}"' in page
        assert t(f"{name}.field.{f.name}", lang).replace("'", "&#x27;") in page
        if f.aliases:
            assert f'data-aliases="{" ".join(f.aliases)}"' in page
        if isinstance(f, Choice):
            assert page.count('<option value="') >= len(f.options)
        if f.when:
            box = re.search(rf'<div class="[^"]*" data-when="{f.when[0]}"[^>]*>(?:(?!<div).)*?id="{ident}"',
                            page, re.S)
            assert box and (" hidden" in box.group(0)) == (not f.shown(values)), f.name
    assert calc.command(calc.page_values()) in page.replace("&#x27;", "'")


def test_command_lines_for_the_page() -> None:
    assert REGISTRY["backlog"].command(REGISTRY["backlog"].page_values()) == (
        "python -m opsnotes backlog --server nginx --kernel 3.10.0-1160.el7.x86_64")
    assert REGISTRY["umask"].command({"umask": "027", "kind": "dir", "requested": "4755"}) == (
        "python -m opsnotes umask 027 --dir --mode 4755")
    assert REGISTRY["quorum"].command({"all_seen": False, "nodes": "５"}) == (
        "python -m opsnotes quorum --nodes 5 --starting")
    assert REGISTRY["backlog"].command({"mode": "diagnose", "ss": "LISTEN ..."}) == (
        "python -m opsnotes backlog --mode diagnose --ss ss.txt")


def test_mode_is_inferred_from_the_flags(tmp_path) -> None:
    ss = tmp_path / "ss.txt"
    ss.write_text("State Recv-Q Send-Q Local Address:Port Peer Address:Port\n"
                  "LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n")
    code, out, _ = main(["backlog", "--burst", "5000", "--json"])
    assert code == 0 and json.loads(out)["mode"] == "sizing"
    code, out, _ = main(["backlog", "--server", "nginx", "--ss", str(ss), "--json"])
    assert code == 0 and json.loads(out)["mode"] == "diagnose"
    code, out, _ = main(["backlog", "--server", "nginx", "--kernel", "6.1", "--json"])
    assert code == 0 and json.loads(out)["mode"] == "effective"
    code, _, err = main(["--lang", "zh", "backlog", "--rate", "5", "--ss", str(ss)])
    assert code == 2 and "属于不同的模式" in err


@pytest.mark.parametrize("lang", LANGS)
def test_help_comes_from_the_labels(lang) -> None:
    code, out, _ = main(["--lang", lang, "keepalive", "--help"])
    assert code == 0
    for f in REGISTRY["keepalive"].fields:
        assert f.flag in out
        assert REGISTRY["keepalive"].label(f.name).render(lang)[:12] in out


@pytest.mark.parametrize("lang, text", [("en", "no such file"), ("zh", "文件不存在")])
def test_unreadable_file(lang, text, tmp_path) -> None:
    code, out, err = main(["--lang", lang, "backlog", "--ss", str(tmp_path / "nope")])
    assert code == 2 and text in err and REGISTRY["backlog"].label("ss").render(lang) in err
    folder = main(["--lang", lang, "placement", str(tmp_path)])
    assert folder[0] == 2 and t("reason.directory", lang) in folder[2]

