"""Bad input never escapes as anything but OpsnotesError, and every message exists twice."""

from __future__ import annotations

import html
import json
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsnotes import numbers
from opsnotes import umask as model
from opsnotes.calculators import REGISTRY, run, run_json
from opsnotes.calculators.fields import Choice, Decimal, Flag, Integer
from opsnotes.calculators.markup import h, raw
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


@pytest.mark.parametrize("name", sorted(REGISTRY))
@settings(max_examples=200)
@given(data=st.data(), lang=st.sampled_from(["en", "zh", "fr"]))
def test_calculators_never_raise(name, data, lang) -> None:
    """Each calculator gets its own field names (and an unknown one) with any values."""
    keys = [f.name for f in REGISTRY[name].fields] + ["other"]
    params = data.draw(st.dictionaries(st.sampled_from(keys), anything, max_size=len(keys)))
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


# --- every field of every calculator, refused in the reader's language ------------------------

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# Words that leak from Python or from an English template into a Chinese message.
ENGLISH = re.compile(r"\b(?:object|text|integer|list|dict|str|int|float|bool|NoneType|expected|got|"
                     r"is not|a whole number|out of range|empty)\b")


def bad_values(f) -> list:
    """What a reader (or a script) can send that the field must refuse."""
    wrong_types = [[1], {"a": 1}]
    if isinstance(f, Integer):
        return ["x", "1.5", "³", "٣", "１ ２", "9" * 5000, f"-{'9' * 400}", 1.5, True, *wrong_types]
    if isinstance(f, Decimal):
        return ["x", "1,5", "٣", "9" * 400, "-1", True, *wrong_types]
    if isinstance(f, Choice):
        return ["no such option", "", 3, *wrong_types]
    if isinstance(f, Flag):
        return ["maybe", 2, *wrong_types]
    return [5, 1.5, "x" * (f.max_length + 1), *wrong_types]


def shown_with(calc, f) -> dict:
    """The page's inputs, switched to a mode in which ``f`` is shown."""
    params = calc.page_values()
    if f.when:
        params[f.when[0]] = f.when[1]
    return params


CASES = [(name, f.name) for name in REGISTRY for f in REGISTRY[name].fields]


@pytest.mark.parametrize("name, field", CASES)
def test_every_field_names_itself_in_the_readers_language(name, field) -> None:
    calc = REGISTRY[name]
    f = calc.field(field)
    for bad in bad_values(f):
        params = {**shown_with(calc, f), field: bad}
        for lang in LANGS:
            outcome = run(name, params, lang)
            assert not outcome["ok"], (field, bad)
            error = outcome["error"]
            assert error["field"] == field, (bad, error)
            message = error["message"]
            label = calc.label(field).render(lang)
            assert label in message, (lang, bad, message)
            # The reader's own input may be echoed back; what is left is the template.
            rest = message.replace(str(bad)[:numbers.SHOWN], "").replace(label, "")
            if lang == "zh":
                en_label = calc.label(field).render("en")
                if en_label != label:
                    assert en_label not in rest, message
                assert not ENGLISH.search(rest), message
            else:
                assert not CJK.search(rest), message
            assert html.escape(message) in outcome["html"]


@pytest.mark.parametrize("name", list(REGISTRY))
@pytest.mark.parametrize("params", [[], "umask=022", None, 5, {"no_such_field": "1"},
                                    {"umask\u0000": 1}, {1: 2}])
def test_wrong_json_shapes_are_typed_errors_in_both_languages(name, params) -> None:
    for lang in LANGS:
        outcome = run(name, params, lang)
        assert not outcome["ok"] and outcome["error"]["key"] in ("wrong_type", "unknown_field")
        message = outcome["error"]["message"]
        if lang == "zh":
            assert CJK.search(message) and not ENGLISH.search(message), message
        else:
            assert not CJK.search(message), message


def test_a_field_given_twice_by_its_old_and_new_name() -> None:
    outcome = run("keepalive", {"idle": "1", "ka_idle": "2"}, "zh")
    assert outcome["error"]["key"] == "field_twice" and "首次探测前的空闲时间" in outcome["error"]["message"]


@pytest.mark.parametrize("request_", ["[1]", "not json", '{"calc": "umask", "params": [1]}',
                                      '{"calc": ["umask"], "params": {}}', '{"calc": {}, "lang": []}',
                                      "[" * 100_000, '{"calc": "umask", "params": {}, "lang": "zh"}'])
def test_run_json_answers_every_shape(request_) -> None:
    reply = json.loads(run_json(request_))
    assert reply["ok"] in (True, False) and reply["html"]
    if not reply["ok"]:
        assert reply["error"]["key"] in ("wrong_type", "unknown_calculator")
        assert "object" not in reply["error"]["message"].split()  # a type named in words


@pytest.mark.parametrize("text, number", [("７２００", 7200), (" 7200\u3000", 7200), ("－5", -5),
                                          ("+5", 5), ("007", 7), ("０", 0)])
def test_numbers_as_a_phone_types_them(text, number) -> None:
    assert numbers.parse_int(text, "x", low=-10_000, high=10_000) == number


@pytest.mark.parametrize("text, key", [("³", "not_ascii_digit"), ("٣", "not_ascii_digit"),
                                       ("𝟙", "not_ascii_digit"), ("1_000", "not_integer"),
                                       ("1,000", "not_integer"), ("9" * 10**6, "out_of_range"),
                                       ("10001", "out_of_range"), ("", "empty"), ("-", "not_integer")])
def test_numbers_refused(text, key) -> None:
    with pytest.raises(OpsnotesError) as info:
        numbers.parse_int(text, "x", low=-10_000, high=10_000)
    assert info.value.key == key and info.value.field == "x"


def test_choices_as_a_phone_capitalises_them() -> None:
    assert run("keepalive", {"via": "Sysctl"})["result"]["via"] == "sysctl"
    assert run("backlog", {"server": "NGINX"})["result"]["server"] == "nginx"
    assert not run("logrotate", {"writer": "Reopen-"})["ok"]


def test_html_escapes_what_the_reader_typed() -> None:
    out = run("placement", {"cluster": "node <b>x</b>"}, "en")
    assert "<b>" not in out["html"] and "&lt;b&gt;" in out["html"]
    assert h("td", "<i>", title='"q"') == '<td title="&quot;q&quot;">&lt;i&gt;</td>'
    assert h("p", raw("<b>ok</b>"), "<b>") == "<p><b>ok</b>&lt;b&gt;</p>"
    assert h("p", h("b", "x") + "<i>") == "<p>&lt;b&gt;x&lt;/b&gt;&lt;i&gt;</p>"  # + loses trust
