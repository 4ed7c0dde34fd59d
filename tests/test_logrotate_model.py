"""The logrotate model: known outcomes, bad input, the CLI as a reader runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsnotes import logrotate as model
from opsnotes.calculators import run
from opsnotes.errors import OpsnotesError
from opsnotes_site import paths

anything = st.one_of(st.none(), st.booleans(), st.integers(-5, 50), st.floats(),
                     st.text(max_size=6),
                     st.sampled_from(model.MODES + model.WRITERS + ("0640", "7777", "", " 3 ")))


@settings(max_examples=300)
@given(st.fixed_dictionaries({k: anything for k in (
    "mode", "writer", "create_mode", "compress", "delaycompress", "rotate", "signal", "rate",
    "rotations")}))
def test_only_opsnotes_error_escapes(kwargs) -> None:
    try:
        cfg = model.make_config(**kwargs)
    except OpsnotesError as err:
        assert err.message("en") and err.message("zh") and err.field
        return
    result = model.simulate(cfg)
    json.dumps(result)
    assert result["lines_after_rotation_go_to"] in ("rotated", "new", "lost")


@settings(max_examples=200)
@given(st.sampled_from(model.MODES), st.sampled_from(model.WRITERS), st.booleans(),
       st.booleans(), st.integers(0, 3), st.integers(1, 3), st.integers(1, 4))
def test_every_line_is_accounted_for(mode, writer, compress, signal, rotate, rate, rotations):
    cfg = model.Config(mode=mode, writer=writer, compress=compress, rotate=rotate,
                       signal=signal, rate=rate, rotations=rotations)
    result = model.simulate(cfg)
    numbers = [ln["line"] for ln in result["lines"]]
    assert numbers == list(range(1, len(numbers) + 1))
    for ln in result["lines"]:
        assert (ln["status"] in ("lost", "removed")) == (not ln["files"])


@pytest.mark.parametrize("mode, writer, lose, dup, nul, after", [
    ("create", "append", False, False, False, "rotated"),
    ("create", "reopen", False, False, False, "rotated"),
    ("copytruncate", "append", True, False, False, "new"),
    ("copytruncate", "offset", True, False, True, "new"),
    ("copy", "append", False, True, False, "new"),
    ("nocreate", "per-write", False, False, False, "new"),
    ("nocreate", "append", False, False, False, "rotated"),
])
def test_known_outcomes(mode, writer, lose, dup, nul, after) -> None:
    r = model.simulate(model.make_config(mode=mode, writer=writer, signal=True))
    assert (r["may_lose"], r["may_duplicate"], r["may_leave_nul_bytes"]) == (lose, dup, nul)
    assert r["lines_after_rotation_go_to"] == after


def test_compress_without_delaycompress_loses_what_a_slow_writer_writes() -> None:
    fast = model.simulate(model.make_config(writer="reopen", signal=True, compress=True))
    slow = model.simulate(model.make_config(writer="reopen", signal=True, compress=True,
                                            delaycompress=True))
    assert fast["may_lose"] and fast["lines_after_rotation_go_to"] == "lost"
    assert not slow["may_lose"] and slow["lines_after_rotation_go_to"] == "rotated"
    assert slow["lines_after_reopen_go_to"] == "new"


def test_steps_in_logrotates_order() -> None:
    cfg = model.make_config(compress=True, delaycompress=True, signal=True)
    assert model.steps(cfg) == ["delaycompress", "shift", "rename", "create", "postrotate",
                                "remove"]
    cfg = model.make_config(mode="copytruncate", compress=True)
    assert model.steps(cfg) == ["shift", "copy", "truncate", "postrotate", "compress", "remove"]


def test_create_mode() -> None:
    assert model.simulate(model.make_config(create_mode="640"))["new_file_mode"] == "0640"
    assert model.simulate(model.make_config())["new_file_mode"] == model.OLD_MODE
    assert model.simulate(model.make_config(mode="nocreate", writer="per-write"))[
        "new_file_mode"] == model.WRITER_MODE


@pytest.mark.parametrize("writer", model.WRITERS)
def test_recommended_stanzas_are_safe(writer) -> None:
    cfg = model.recommended_config(writer)
    if writer == "offset":
        # the stanza restarts the program in postrotate: it starts over on the new file
        cfg = model.Config(**{**cfg.__dict__, "writer": "reopen-offset"})
    r = model.simulate(cfg)
    if writer == "append":
        assert r["may_lose"] and not r["may_leave_nul_bytes"]  # the copytruncate window
    else:
        assert model.verdict(r) == ["safe"], r


@pytest.mark.parametrize("kwargs, key, field", [
    ({"mode": "copy", "create_mode": "0640"}, "logrotate.create_mode_needs_create", "create_mode"),
    ({"delaycompress": True}, "logrotate.delaycompress_needs_compress", "delaycompress"),
    ({"rotate": 0, "compress": True, "delaycompress": True}, "logrotate.delaycompress_needs_rotate",
     "delaycompress"),
    ({"create_mode": "0849"}, "logrotate.bad_create_mode", "create_mode"),
    ({"rotate": "x"}, "not_integer", "rotate"),
    ({"rotate": "99"}, "out_of_range", "rotate"),
    ({"writer": "syslog"}, "bad_choice", "writer"),
])
def test_invalid_combinations(kwargs, key, field) -> None:
    with pytest.raises(OpsnotesError) as info:
        model.make_config(**kwargs)
    assert info.value.key == key and info.value.field == field


def test_calculator_blames_the_field() -> None:
    out = run("logrotate", {"method": "copy", "create_mode": "0640"}, "zh")
    assert not out["ok"] and out["error"]["field"] == "create_mode"
    assert "新文件的权限只对 create 方式有意义" in out["html"]


def cli(*args: str, lang: str = "C.UTF-8") -> subprocess.CompletedProcess:
    env = {**os.environ, "LANG": lang, "LC_ALL": "", "PYTHONPATH": str(paths.ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "opsnotes", *args], capture_output=True,
                          text=True, env=env, timeout=30)


def test_cli_json_as_in_the_issue() -> None:
    proc = cli("logrotate", "--mode", "copytruncate", "--writer", "append", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["may_lose"] is True and data["may_duplicate"] is False
    assert data["may_leave_nul_bytes"] is False
    assert data["lines_after_rotation_go_to"] == "new"


def test_cli_text() -> None:
    proc = cli("logrotate", "--mode", "create", "--writer", "reopen", "--signal", "--compress",
               "--delaycompress")
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[:3] == [
        "create + reopen: safe",
        "may_lose=false may_duplicate=false may_leave_nul_bytes=false",
        "lines_after_rotation_go_to=rotated"]


@pytest.mark.parametrize("lang, text", [("C.UTF-8", "only has an effect together with compress"),
                                        ("zh_CN.UTF-8", "只有和 compress 一起用才起作用")])
def test_cli_invalid_combination(lang, text) -> None:
    proc = cli("logrotate", "--mode", "create", "--delaycompress", lang=lang)
    assert proc.returncode == 2 and text in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_cli_bad_mode_name() -> None:
    proc = cli("logrotate", "--mode", "truncate", "--json")
    assert proc.returncode == 2 and "is not one of create, copytruncate" in proc.stderr


# Behaviours the generated comparison with the real logrotate found (tests/test_logrotate_generated.py).
@pytest.mark.parametrize("compress", [False, True])
def test_rotate_0_with_copytruncate_copies_nothing(compress) -> None:
    r = model.simulate(model.make_config(mode="copytruncate", rotate=0, compress=compress))
    assert "skip-copy" in r["steps"] and "copy" not in r["steps"]
    assert [f["name"] for f in r["final_files"]] == [model.LOG]
    before = [ln for ln in r["lines"] if ln["phase"] == "before"]
    assert before and all(ln["status"] == "removed" for ln in before)  # dropped on purpose
    assert ("logrotate.note.compress_fails" in r["notes"]) == compress
    assert any(e.get("error") for e in r["events"]) == compress


@pytest.mark.parametrize("mode", ["create", "nocreate"])
def test_rotate_0_with_compress_removes_the_gz(mode) -> None:
    r = model.simulate(model.make_config(mode=mode, writer="per-write", rotate=0, compress=True,
                                         rotations=2))
    assert not [f for f in r["final_files"] if f["name"].endswith(".gz")]
    before = [ln["line"] for ln in r["lines"] if ln["phase"] == "before"]
    assert before and all(r["final_gone"][n] == "removed" for n in before)


def test_gz_loses_setuid_bits() -> None:
    r = model.simulate(model.make_config(create_mode="4640", compress=True, rotations=2))
    modes = {f["name"]: f["mode"] for f in r["final_files"]}
    assert modes[model.LOG] == "4640" and modes[model.LOG + ".1.gz"] == "0640"
