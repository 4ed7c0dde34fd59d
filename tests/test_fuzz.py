"""Hostile input through the browser's entry, for every calculator.

A reader pastes, a phone autocorrects, a shared link is edited by hand, a script posts JSON
with the wrong types: whatever arrives, ``run_json`` must answer with a result or a typed
error in the reader's language, never put the input's markup into the page, and answer in
time. Each check returns the failures it saw by category instead of stopping at the first,
so the same code both gates the suite (``test_*``) and counts what is wrong
(``python tests/test_fuzz.py [N]`` prints failures per category over N generated requests).
"""

from __future__ import annotations

import json
import re
import signal
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsnotes.calculators import REGISTRY, run_json
from opsnotes.calculators.fields import Choice, Decimal, Flag, Integer, Text, Textarea
from opsnotes.i18n import MESSAGES
from opsnotes_site import sizes
from opsnotes_site.sizes import chain

NAMES = sorted(REGISTRY)
HARD_LIMIT_S = 2.0  # any input: past this the page looks hung
MAX_MESSAGE = 1000  # characters: a message repeats a bad value in part, never a whole paste
HUMAN_LIMIT_S = 0.05  # the stretch target for what a person types (measured, reported)

# --- hostile values -----------------------------------------------------------------------

MARKUP = ("<img src=x onerror=alert(1)>", '"><b>bold</b>', "<script>alert(1)</script>",
          "</textarea><svg onload=alert(1)>", "' onmouseover='alert(1)")
# The pieces whose appearance in the html would mean the input became markup.
INJECTED = ("<img src=x", "<b>bold", "<script", "<svg onload", "onmouseover='alert")


def _digits_of_every_class() -> list[str]:
    """One sample per Unicode digit block: Nd (decimal digits of every script) and No
    (superscripts, circled numbers, fractions), plus the full-width 0-9 a phone types."""
    seen, out = set(), []
    for cp in range(0x80, 0x20000):
        ch = chr(cp)
        category = unicodedata.category(ch)
        if category in ("Nd", "No"):
            block = (category, cp >> 7)
            if block not in seen:
                seen.add(block)
                out.append(ch)
    return out


UNICODE_DIGITS = _digits_of_every_class()
HUGE = ("9" * 5000, "-" + "9" * 5000, "0" * 5000 + "1", "1" + "0" * 4300, "1e999", "1" * 5000 + ".5")
FULLWIDTH = ("７", "３", "１２０", "－５", "＋１", "７２００", "\u3000３\u3000", "１．５")
ODD = ("", " ", "\x00", "1\x00", "\x00" * 50, "NaN", "inf", "-inf", "1_000", "1,000", "0x10",
       "\u200b1", "1\u00a0", "\ufeff1", "١٢", "³", "½", "②", "Ⅻ", "  -0  ", "+", "-", "..", "1.2.3",
       "节点", "𝟙𝟚", "\U0001F600", "\n" * 5, "\t1\t", "\\", "{}", "[]", "null", "true")

hostile_text = st.one_of(
    st.sampled_from(MARKUP + HUGE + FULLWIDTH + ODD),
    st.sampled_from(UNICODE_DIGITS),
    st.builds(lambda d, n: d * n, st.sampled_from(UNICODE_DIGITS), st.integers(1, 6)),
    st.builds(lambda a, m, b: a + m + b, st.text(max_size=5), st.sampled_from(MARKUP),
              st.text(max_size=5)),
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
)
big_text = st.builds(lambda piece, n: (piece * n)[:n], st.sampled_from(
    ["a", "1", "node n1\n", "<img src=x onerror=alert(1)>", "\x00", "７", "Recv-Q Send-Q\n", "节",
     '{"kernel":[', "["]),  # the last two: JSON nested deeper than a parser recurses
    st.sampled_from([5_000, 100_000]))
json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(), st.sampled_from([2**63, -(2**63) - 1, 10**400, -(10**400)]),
    st.floats(), st.sampled_from([1e308, -0.0, 1e-320, 3.5]),
)
hostile_json = st.recursive(
    st.one_of(json_scalar, hostile_text),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=4), inner, max_size=3)),
    max_leaves=6,
)


def _field_values(f: Any) -> st.SearchStrategy[Any]:
    """What a reader might plausibly put in this field, typed or pasted, and its near misses."""
    if isinstance(f, Choice):
        options = st.sampled_from(f.options)
        return st.one_of(options, options.map(str.upper), options.map(lambda o: "\u3000" + o))
    if isinstance(f, Flag):
        return st.sampled_from([True, False, "on", "yes", "0", "TRUE", "ｏｎ"])
    if isinstance(f, Integer):
        return st.one_of(st.integers(f.low - 2, min(f.high, f.low + 10_000) + 2),
                         st.integers(f.low, f.high).map(str),
                         st.integers(0, 9999).map(lambda n: str(n).translate(
                             {ord("0") + i: 0xFF10 + i for i in range(10)})))
    if isinstance(f, Decimal):
        return st.one_of(st.floats(0, f.high * 1.1), st.decimals(0, 10**6, places=3).map(str))
    if isinstance(f, Textarea):
        return st.one_of(st.just(f.default), st.text(max_size=200), big_text)
    if isinstance(f, Text):
        return st.one_of(st.just(f.default), st.text(max_size=30))
    return st.nothing()


def _seeds(name: str) -> list[dict[str, Any]]:
    """Inputs that parse: the calculator's own examples, the page's values first."""
    calc = REGISTRY[name]
    return [calc.page_values(), *(dict(e.inputs) for e in calc.examples if e.error is None)]


NUMBER = re.compile(r"\d+")


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` with one number replaced by a hostile one, or markup put in a random place:
    a structured paste (ss output, a scenario) reaches the model's own parser this way."""
    numbers_at = [m.span() for m in NUMBER.finditer(text)]
    if numbers_at and draw(st.booleans()):
        start, end = draw(st.sampled_from(numbers_at))
        number = draw(st.one_of(st.sampled_from(HUGE + FULLWIDTH + ("0", "-1")),
                                st.sampled_from(UNICODE_DIGITS),
                                st.builds(lambda d: d * 3, st.sampled_from(UNICODE_DIGITS))))
        return text[:start] + number + text[end:]
    at = draw(st.integers(0, len(text)))
    return text[:at] + draw(st.sampled_from(MARKUP + ("\x00", " \x00 ", "\n" + MARKUP[0] + "\n"))) + text[at:]


@st.composite
def requests(draw: st.DrawFn, name: str) -> tuple[str, dict[str, Any], Any]:
    calc = REGISTRY[name]
    if draw(st.integers(0, 2)) == 0:
        params = dict(draw(st.sampled_from(_seeds(name))))
        for _ in range(draw(st.integers(1, 3))):
            texts = sorted(k for k, v in params.items() if isinstance(v, str))
            if texts:
                key = draw(st.sampled_from(texts))
                params[key] = draw(mutated(params[key]))
        lang = draw(st.sampled_from(["en", "zh"]))
        return name, params, lang
    params = {}
    for f in calc.fields:
        how = draw(st.sampled_from(["missing", "plausible", "hostile", "json", "alias"]))
        if how == "missing":
            continue
        key = draw(st.sampled_from((f.name, *f.aliases))) if how == "alias" else f.name
        values = {"plausible": _field_values(f), "hostile": hostile_text, "json": hostile_json,
                  "alias": _field_values(f)}[how]
        params[key] = draw(values)
    if draw(st.integers(0, 9)) == 0:
        params[draw(st.one_of(hostile_text, st.sampled_from(["__proto__", "constructor"])))] = draw(
            hostile_json)
    lang = draw(st.one_of(st.sampled_from(["en", "zh"]), st.sampled_from(["fr", "", None, ["zh"]])))
    return name, params, lang


# --- checks ----------------------------------------------------------------------------------

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# ASCII words a Chinese message may keep: names of programs, options, kernel terms and units
# that a Chinese operator reads in English too.
TECH = {
    "tcp", "udp", "syn", "ack", "rst", "fin", "ip", "ipv", "api", "cli", "json", "utf", "url", "http",
    "null", "true", "false", "sysctl", "sysctls", "somaxconn", "backlog", "listen", "accept", "ss", "nstat",
    "linux", "kernel", "systemd", "nginx", "node", "nodejs", "python", "java", "go", "redis", "haproxy",
    "postgresql", "mysql", "logrotate", "copytruncate", "create", "compress", "delaycompress", "postrotate",
    "hup", "sighup", "umask", "chmod", "setfacl", "acl", "setgid", "setuid", "sticky", "pacemaker",
    "corosync", "pcs", "votequorum", "qdevice", "stonith", "infinity", "hz", "ms", "rhel", "debian",
    "keepalive", "keepidle", "keepintvl", "keepcnt", "setsockopt", "socket", "rate", "posix",
    "rwx", "ugo", "dir", "file", "stdin", "stdout", "ssh", "nat", "lvs", "ipvs", "ipvsadm", "conntrack",
    "aws", "gcp", "azure", "nlb", "alb", "elb", "rto", "rtt", "usec", "bash", "uname", "netstat",
    "resource", "group", "location", "colocation", "defaults", "online", "standby", "offline", "stickiness",
    "apache", "httpd", "tomcat", "ubuntu", "fedora", "glibc", "int", "cookie", "cookies", "grep", "reqq",
    "opsnotes", "recv", "send", "rsyslog", "inode", "gzip", "missingok", "shell", "touch", "open", "mkdir",
    "mask", "root", "coreutils", "strace", "libuv",
}
# English terms a Chinese sentence glosses in parentheses after the Chinese word, as Chinese
# technical writing does: 期望票数（expected votes）.
GLOSSES = ("（expected votes）", "（fencing）")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


SAFE_TAGS = {"div", "p", "strong", "em", "code", "pre", "table", "caption", "thead", "tbody", "tr", "th",
             "td", "ul", "ol", "li", "dl", "dt", "dd", "span", "br", "a", "kbd", "small", "sup", "details",
             "summary", "h3", "h4", "abbr"}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in IDENTIFIERS:  # a field's own name is no text the reader typed
                yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif value is not None:
        yield str(value)


def _identifiers() -> set[str]:
    """Names a message may show as they are: calculators, fields, aliases, options."""
    words = set(NAMES)
    for name in NAMES:
        for f in REGISTRY[name].fields:
            words |= {f.name, *f.aliases, *(f.options if isinstance(f, Choice) else ())}
    return words  # as written: "nodes" is a field's name, "Nodes" an English label


IDENTIFIERS = _identifiers()


def zh_english(message: str, inputs: list[str]) -> list[str]:
    """English words left in a Chinese message once what may stay English is taken out: code
    (`...`), what the reader typed (echoed in “...”, or its words, maybe cut short), options
    (-lnt), identifiers and notation (net.core.somaxconn, o-r, two_node), names in capitals
    (LISTEN, NAME) and the technical terms in TECH."""
    text = re.sub(r"`[^`]*`", " ", message)
    text = re.sub(r"“[^”]*”", " ", text)
    for gloss in GLOSSES:
        text = text.replace(gloss, " ")
    typed = {w.lower() for s in inputs for w in re.findall(r"[A-Za-z]+", s[:5000])}
    left = []
    for token in re.findall(r"[-.]*[A-Za-z][A-Za-z0-9_.:+\-/]*", text):
        word = token.rstrip(".:-")
        camel = any(c.isupper() for c in word[1:])  # ListenOverflows, ServerSocket: identifiers
        if word.startswith(("-", ".")) or not word.isalpha() or len(word) < 3 or word.isupper() or camel:
            continue
        low = word.lower()
        if low in TECH or word in IDENTIFIERS or any(t.startswith(low) for t in typed):
            continue
        left.append(word)
    return left


def en_cjk(message: str, inputs: list[str]) -> list[str]:
    typed = set("".join(inputs))
    return [c for c in CJK.findall(message) if c not in typed and c != "\u2026"]


class Hang(Exception):
    pass


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Interrupt a call that hangs, so the suite reports it instead of hanging itself."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def fire(signum: int, frame: Any) -> None:
        raise Hang

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


TIMINGS: list[tuple[float, int]] = []  # (seconds, request size) of every checked call


def check(name: Any, params: Any, lang: Any, *, raw: str | None = None) -> list[tuple[str, str]]:
    """Failures of one request, as (category, detail)."""
    request = raw if raw is not None else json.dumps({"calc": name, "params": params, "lang": lang})
    start = time.perf_counter()
    try:
        with deadline(HARD_LIMIT_S * 5):
            reply_text = run_json(request)
    except Hang:
        return [("hang", f"{name}: no answer in {HARD_LIMIT_S * 5:.0f} s")]
    except Exception as err:  # noqa: BLE001 - what we are looking for
        return [("untyped", f"{name}: {type(err).__name__}: {str(err)[:120]}")]
    elapsed = time.perf_counter() - start
    TIMINGS.append((elapsed, len(request)))
    failures = []
    if elapsed > HARD_LIMIT_S:
        failures.append(("slow", f"{name}: {elapsed:.2f} s for {len(request)} bytes"))
    try:
        reply = json.loads(reply_text)
    except ValueError:
        return [*failures, ("untyped", f"{name}: reply is not JSON")]
    inputs = [s for s in _strings(params) if s] + [name if isinstance(name, str) else str(name)]
    if raw is not None:
        inputs.append(raw)
    want = lang if lang in ("en", "zh") else "en"
    if reply.get("ok") is True:
        if not isinstance(reply.get("result"), dict):
            failures.append(("untyped", f"{name}: ok without a result"))
    elif reply.get("ok") is False:
        error = reply.get("error")
        if not isinstance(error, dict) or error.get("key") not in MESSAGES or not error.get("message"):
            failures.append(("untyped", f"{name}: error without a catalog key: {str(error)[:120]}"))
        else:
            message = error["message"]
            if len(message) > MAX_MESSAGE:
                failures.append(("long_message", f"{name} {error['key']}: {len(message)} characters"))
            if want == "zh":
                left = zh_english(message, inputs)
            else:
                left = en_cjk(message, inputs)
            if left:
                failures.append(("wrong_language",
                                 f"{name} {want} {error['key']}: {left} in {message[:160]!r}"))
    else:
        failures.append(("untyped", f"{name}: reply has no ok: {reply_text[:120]}"))
    html = reply.get("html", "")
    if not isinstance(html, str) or not html:
        failures.append(("untyped", f"{name}: no html"))
        return failures
    joined = "\n".join(inputs)
    for piece in INJECTED:
        if piece in joined and piece in html:
            failures.append(("unescaped", f"{name}: {piece!r} in html"))
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        if tag not in SAFE_TAGS or any(a.startswith("on") for a, _ in attrs):
            failures.append(("unescaped", f"{name}: <{tag} {attrs[:2]}> in html"))
            break
    return failures


def _assert_clean(failures: list[tuple[str, str]]) -> None:
    assert not failures, "\n".join(f"{c}: {d}" for c, d in failures)


# Derandomized: the gate sees the same requests every run, so a red suite means a change broke
# something; `python tests/test_fuzz.py N` explores afresh.
FUZZ = settings(deadline=None, max_examples=600, derandomize=True, suppress_health_check=list(HealthCheck),
                database=None)


@pytest.mark.parametrize("name", NAMES)
@FUZZ
@given(data=st.data())
def test_hostile_requests(name: str, data: st.DataObject) -> None:
    _assert_clean(check(*data.draw(requests(name))))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_digit_class_in_every_number_field(name: str, lang: str) -> None:
    """Full-width digits are a phone's 0-9; every other digit is refused by name, not by a
    traceback (``int('٣')`` is 3 to Python, but no kernel reads it)."""
    calc = REGISTRY[name]
    numeric = [f for f in calc.fields if isinstance(f, (Integer, Decimal))]
    failures = []
    for f in numeric:
        mode = {f.when[0]: f.when[1]} if f.when else {}
        for digit in [*UNICODE_DIGITS, *HUGE, *FULLWIDTH]:
            failures += check(name, {**mode, f.name: digit}, lang)
        for digit in (d for d in UNICODE_DIGITS if not "０" <= d <= "９"):
            reply = json.loads(run_json(json.dumps({"calc": name, "params": {**mode, f.name: digit},
                                                    "lang": lang})))
            if reply["ok"] or reply["error"]["key"] != "not_ascii_digit":
                failures.append(("accepted_digit", f"{name}.{f.name}: {digit!r} gave {str(reply)[:100]}"))
    _assert_clean(failures)


@pytest.mark.parametrize("name", NAMES)
def test_wrong_types_for_every_field(name: str) -> None:
    calc = REGISTRY[name]
    failures = []
    for f in calc.fields:
        mode = {f.when[0]: f.when[1]} if f.when else {}
        for value in (None, True, 0, -1, 2**70, -(10**400), 1.5, float("nan"), [], ["x"], {}, {"a": [1]},
                      "\x00", "x" * 100_000, *MARKUP):
            for lang in ("en", "zh"):
                try:
                    request = json.dumps({"calc": name, "params": {**mode, f.name: value}, "lang": lang})
                except ValueError:
                    continue
                failures += check(name, {**mode, f.name: value}, lang, raw=request)
    _assert_clean(failures)


@pytest.mark.parametrize("request_text", [
    "", "null", "[]", "{}", '{"calc": ["umask"]}', '{"calc": {"a": 1}}', '{"calc": "nope", "lang": "zh"}',
    '{"calc": "umask", "params": []}', '{"calc": "umask", "params": null, "lang": "zh"}',
    '{"calc": "umask", "params": {"<img src=x onerror=alert(1)>": 1}}',
    '{"calc": "umask", "lang": {"zh": 1}}', '{"calc": "umask", "lang": ["zh"]}',
    '{"calc": "<img src=x onerror=alert(1)>"}', "[" * 100_000, '"' + "x" * 100_000 + '"', "\x00",
    '{"calc": "quorum", "params": {"nodes": 1e999}}',
    '{"calc": "quorum", "params": {"nodes": ' + "9" * 5000 + "}}",
])
def test_malformed_requests(request_text: str) -> None:
    try:
        data = json.loads(request_text)
    except (ValueError, RecursionError):
        data = None
    if isinstance(data, dict):
        _assert_clean(check(data.get("calc"), data.get("params"), data.get("lang"), raw=request_text))
    else:
        _assert_clean(check("?", data, "en", raw=request_text))


IN_TEXT = ("³", "١٢", "７", "𝟙", "9" * 5000, "-" + "9" * 5000, "0" * 4400 + "1")


def sweep_pasted_text(name: str) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Every number in every seed's text fields (the first 40 of each), replaced by each of
    IN_TEXT; and markup before every line. Deterministic, so the parsers of pasted output and
    scenarios are covered whatever hypothesis draws."""
    for seed in _seeds(name):
        for key, value in seed.items():
            if not isinstance(value, str):
                continue
            for m in list(NUMBER.finditer(value))[:40]:
                for number in IN_TEXT:
                    yield name, {**seed, key: value[:m.start()] + number + value[m.end():]}, "zh"
            lines = value.splitlines(keepends=True)
            for i in range(min(len(lines), 40)):
                for piece in (MARKUP[0], MARKUP[1]):
                    line = lines[i].replace(" ", " " + piece, 1) or piece
                    yield name, {**seed, key: "".join([*lines[:i], line, *lines[i + 1:]])}, "en"


@pytest.mark.parametrize("name", NAMES)
def test_hostile_numbers_and_markup_inside_pasted_text(name: str) -> None:
    failures = []
    for request in sweep_pasted_text(name):
        failures += check(*request)
    _assert_clean(failures)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_what_the_fuzz_found_first(lang: str) -> None:
    """The failures this suite found when it was written, pinned by name."""
    ss = "State Recv-Q Send-Q Local Address:Port Peer Address:Port\nLISTEN {} 1023 0.0.0.0:443 0.0.0.0:*\n"
    for queued, key in (("³", "backlog.paste_digit"), ("١٢", "backlog.paste_digit"),
                        ("9" * 5000, "backlog.paste_range"), ("4294967296", "backlog.paste_range")):
        reply = json.loads(run_json(json.dumps({"calc": "backlog", "lang": lang,
                                                "params": {"mode": "diagnose", "ss": ss.format(queued)}})))
        assert reply["error"]["key"] == key and reply["error"]["field"] == "ss"
    counters = {"calc": "backlog", "lang": lang,
                "params": {"mode": "diagnose", "ss": ss.format(0), "counters": "TcpExtListenOverflows ٣\n"}}
    assert json.loads(run_json(json.dumps(counters)))["error"]["key"] == "backlog.paste_digit"
    kernel = {"calc": "backlog", "lang": lang, "params": {"backlog": "1", "kernel": "٣.١٠"}}
    assert json.loads(run_json(json.dumps(kernel)))["error"]["key"] == "backlog.bad_kernel"
    scenario = "node n1\nresource a\nlocation a n1 {}\n"
    # Pacemaker clamps what it cannot hold to ±INFINITY; so does the model, without int().
    for score, value in (("9" * 5000, 1_000_000), ("-" + "0" * 4400 + "1", -1),
                         ("-" + "9" * 5000, -1_000_000)):
        reply = json.loads(run_json(json.dumps({"calc": "placement", "lang": lang,
                                                "params": {"cluster": scenario.format(score)}})))
        assert reply["result"]["scores"]["a"]["n1"] == value
    reply = json.loads(run_json(json.dumps({"calc": "placement", "lang": lang,
                                            "params": {"cluster": scenario.format("³")}})))
    assert ("第 3 行" if lang == "zh" else "line 3") in reply["error"]["message"]


def test_scenarios_at_the_size_limits_answer_in_time() -> None:
    from opsnotes.pacemaker import scenario

    at_limit = chain(scenario.MAX_NODES, scenario.MAX_RESOURCES,
                      scenario.MAX_CONSTRAINTS - (scenario.MAX_RESOURCES - 1))
    start = time.perf_counter()
    reply = json.loads(run_json(json.dumps({"calc": "placement", "params": {"cluster": at_limit}})))
    elapsed = time.perf_counter() - start
    assert reply["ok"] and elapsed < HARD_LIMIT_S, elapsed
    human = chain(10, 50, 1)  # 10 nodes, 50 resources, 50 constraints
    run_json(json.dumps({"calc": "placement", "params": {"cluster": human}}))
    start = time.perf_counter()
    assert json.loads(run_json(json.dumps({"calc": "placement", "params": {"cluster": human}})))["ok"]
    assert time.perf_counter() - start < HARD_LIMIT_S
    for beyond, what in ((chain(scenario.MAX_NODES + 1, 1, 0), "nodes"),
                         (chain(1, scenario.MAX_RESOURCES + 1, 0), "resources"),
                         (chain(2, 2, scenario.MAX_CONSTRAINTS), "constraints")):
        for lang in ("en", "zh"):
            reply = json.loads(run_json(json.dumps({"calc": "placement", "params": {"cluster": beyond},
                                                    "lang": lang})))
            assert reply["error"]["key"] == "pacemaker.too_big", reply
            assert reply["error"]["params"]["what"] == MESSAGES[f"pacemaker.what.{what}"][lang]


def test_the_checks_catch_what_they_look_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """Break escaping and a translation on purpose: the checks must notice, or a green suite
    would mean nothing."""
    from opsnotes.calculators import markup

    request = ("quorum", {"nodes": MARKUP[0]}, "zh")
    assert check(*request) == []
    monkeypatch.setitem(MESSAGES["quorum.field.nodes"], "zh", "Nodes")
    assert [c for c, _ in check(*request)] == ["wrong_language"]
    monkeypatch.setitem(MESSAGES["quorum.field.nodes"], "zh", "节点数")
    monkeypatch.setattr(markup, "escape", lambda v: v if isinstance(v, markup.Html) else markup.Html(str(v)))
    assert "unescaped" in [c for c, _ in check(*request)]
    assert en_cjk("Nodes: 节点 is not a whole number.", []) == ["节", "点"]


def test_the_bench_reports_time_against_size() -> None:
    r = sizes.measure(repeat=1)
    assert [(p["nodes"], p["resources"], p["constraints"]) for p in r["placement"]] == sizes.PLACEMENT
    assert all(p["ms"] < HARD_LIMIT_S * 1000 for p in r["placement"] + r["quorum"])
    assert "placement ms by nodes/resources/constraints" in sizes.table(r)


def test_catalog_messages_are_in_their_language() -> None:
    """Every template, placeholders left out: Chinese without stray English, English without
    Chinese. The fuzz requests reach only the messages their errors raise; this reads them all."""
    wrong = []
    for key, texts in MESSAGES.items():
        zh = re.sub(r"\{[^}]*\}", " ", texts["zh"])
        en = re.sub(r"\{[^}]*\}", " ", texts["en"])
        if zh_english(zh, []):
            wrong.append(f"{key} zh: {zh_english(zh, [])} in {texts['zh']!r}")
        if en_cjk(en, []):
            wrong.append(f"{key} en: {en_cjk(en, [])} in {texts['en']!r}")
    assert not wrong, "\n".join(wrong)


def test_human_sized_input_is_fast() -> None:
    """Every example of every calculator, in both languages, within the 50 ms a reader does
    not notice (the best of three calls: the first may import, and other work shares the
    machine). Measured when this was written: at most 1 ms each in CPython."""
    slow = []
    for name in NAMES:
        for example in REGISTRY[name].examples:
            for lang in ("en", "zh"):
                request = json.dumps({"calc": name, "params": dict(example.inputs), "lang": lang})
                run_json(request)
                best = HARD_LIMIT_S
                for _ in range(3):
                    start = time.perf_counter()
                    run_json(request)
                    best = min(best, time.perf_counter() - start)
                if best > HUMAN_LIMIT_S:
                    slow.append(f"{name} {lang} {dict(example.inputs)}: {best * 1000:.1f} ms")
    assert not slow


def count(examples: int) -> Counter[str]:
    """Failures per category over ``examples`` generated requests per calculator, plus the
    fixed cases; prints the first few of each."""
    totals: Counter[str] = Counter()
    shown: Counter[str] = Counter()

    def record(failures: list[tuple[str, str]]) -> None:
        for category, detail in failures:
            totals[category] += 1
            kind = re.sub(r"\d+", "N", detail.split(":")[0] + ":" + detail.split(":")[1][:40])
            if shown[kind] == 0:
                print(f"  {category}: {detail}"[:300])
            shown[kind] += 1

    def sweeper(name: str) -> Any:
        @settings(deadline=None, max_examples=examples, suppress_health_check=list(HealthCheck),
                  database=None)
        @given(data=st.data())
        def sweep(data: st.DataObject) -> None:
            record(check(*data.draw(requests(name))))
        return sweep

    for name in NAMES:
        sweeper(name)()
        for request in sweep_pasted_text(name):
            record(check(*request))
        calc = REGISTRY[name]
        for f in calc.fields:
            mode = {f.when[0]: f.when[1]} if f.when else {}
            values: list[Any] = [None, True, 2**70, 1.5, [], ["x"], {}, {"a": [1]}, "\x00", "x" * 100_000,
                                 *MARKUP]
            if isinstance(f, (Integer, Decimal)):
                values += [*UNICODE_DIGITS, *HUGE, *FULLWIDTH]
            for value in values:
                for lang in ("en", "zh"):
                    record(check(name, {**mode, f.name: value}, lang))
    for kind, n in shown.most_common():
        print(f"{n:6d}  {kind}")
    return totals


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    totals = count(n)
    print(dict(totals))
    times = sorted(TIMINGS)
    if times:
        print(f"{len(times)} calls; median {times[len(times) // 2][0] * 1000:.1f} ms, "
              f"p99 {times[int(len(times) * 0.99)][0] * 1000:.1f} ms, max {times[-1][0] * 1000:.1f} ms "
              f"({times[-1][1]} bytes)")
