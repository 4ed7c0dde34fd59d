"""Bad input never escapes as anything but OpsnotesError, and every message exists twice."""

from __future__ import annotations

import json
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from opsnotes import umask as model
from opsnotes.calculators import REGISTRY, run, run_json
from opsnotes.errors import OpsnotesError
from opsnotes.i18n import LANGS, MESSAGES

anything = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**40), max_value=2**40), st.floats(),
    st.text(), st.text(alphabet="01234567 ugoarwxst+-=,:Xs\u3000"),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def test_every_message_has_both_languages() -> None:
    for key, texts in MESSAGES.items():
        for lang in LANGS:
            assert texts.get(lang), f"{key} has no {lang} text"
        en_fields = set(string.Formatter().parse(texts["en"]))
        zh_fields = set(string.Formatter().parse(texts["zh"]))
        assert {f[1] for f in en_fields if f[1]} == {f[1] for f in zh_fields if f[1]}, key


@settings(max_examples=400)
@given(anything, st.integers(min_value=0, max_value=0o777))
def test_parse_umask_only_raises_opsnotes_error(value, current) -> None:
    try:
        result = model.parse_umask(value, current)
    except OpsnotesError as err:
        assert err.message("en") and err.message("zh")
    else:
        assert 0 <= result.value <= 0o777


@settings(max_examples=300)
@given(anything)
def test_parse_mode_and_acl_only_raise_opsnotes_error(value) -> None:
    for parse in (model.parse_mode, model.parse_default_acl):
        try:
            parse(value)
        except OpsnotesError:
            pass


@settings(max_examples=300)
@given(st.dictionaries(st.sampled_from(["umask", "kind", "requested", "parent_setgid",
                                        "default_acl", "other"]), anything, max_size=5),
       st.sampled_from(["en", "zh", "fr"]))
def test_calculators_never_raise(params, lang) -> None:
    for name in REGISTRY:
        outcome = run(name, params, lang)
        assert outcome["ok"] in (True, False)
        assert outcome["html"]
        json.dumps(outcome)  # the browser receives it as JSON


@settings(max_examples=200)
@given(st.text())
def test_run_json_never_raises(text) -> None:
    reply = json.loads(run_json(text))
    assert reply["ok"] is False


def test_error_message_in_page_language() -> None:
    zh = run("umask", {"umask": "9"}, "zh")
    en = run("umask", {"umask": "9"}, "en")
    assert not zh["ok"] and "不是八进制数" in zh["html"]
    assert "is not an octal number" in en["html"]
    assert zh["error"]["field"] == "umask"
