"""The umask and default-ACL parsers against real bash and real setfacl, over generated inputs.

Expected values come from the tools: bash 5.2's umask builtin (what `umask WORD` leaves as the
mask, or that it refuses WORD) and acl 2.3's setfacl/getfacl (the default ACL it sets on a new
directory, or that it refuses the text). The inputs are exhaustive over short strings of the
characters that matter plus generated longer ones, so the parsers cannot pass by hand-picking.
"""

from __future__ import annotations

import grp
import itertools
import os
import pwd
import subprocess
import tempfile

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from opsnotes import umask as model
from opsnotes.errors import OpsnotesError
from tests.conftest import require_tool

pytestmark = [pytest.mark.real, pytest.mark.tools("bash", "acl")]

STARTS = (0o022, 0o077, 0o000, 0o751)
# bash's loop: reset the mask, apply the word, report the mask, REFUSED, or OPTION when the
# builtin took the word as an option and printed something (-S, -p, --) instead of setting.
BASH_LOOP = r'''
start=$1; shift; tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
for w in "$@"; do
  umask "$start"
  if umask "$w" >"$tmp" 2>/dev/null; then
    if [ -s "$tmp" ]; then echo OPTION; else umask; fi
  else echo REFUSED; fi
done
'''


def bash_results(words: list[str], start: int) -> list[str]:
    proc = subprocess.run(["bash", "-c", BASH_LOOP, "bash", f"{start:04o}", *words],
                          capture_output=True, text=True, timeout=120, check=True)
    lines = proc.stdout.splitlines()
    assert len(lines) == len(words)
    return lines


def model_result(word: str, start: int) -> str:
    try:
        return model.parse_umask(word, current=start).octal
    except OpsnotesError:
        return "REFUSED"


def compare(words: list[str]) -> list[str]:
    bad = []
    for start in STARTS:
        for word, real in zip(words, bash_results(words, start), strict=True):
            if real == "OPTION":
                real = "REFUSED"  # not a mode: the model refuses what bash reads as an option
            got = model_result(word, start)
            if got != real:
                bad.append(f"umask {word!r} from {start:04o}: bash {real}, model {got}")
    return bad


ALPHABET = "ugoa+-=rwx,0178 X"


def test_every_short_word_agrees_with_bash() -> None:
    """All 5,219 words of up to three characters from the alphabet that matters, four masks."""
    words = ["".join(p) for n in (1, 2, 3) for p in itertools.product(ALPHABET, repeat=n)]
    assert len(words) == 5219
    bad = compare(words)
    assert not bad, "\n".join(bad[:20])


WORD = st.text(alphabet=ALPHABET + "sStT\t٣", min_size=1, max_size=14)
CLAUSES = st.lists(st.from_regex(r"[ugoa]{0,3}[-+=][rwx]{0,3}", fullmatch=True), min_size=1,
                   max_size=4).map(",".join)


# The letters the page's table says bash refuses (X, s, t, copying like g=u), always compared.
REFUSED_LETTERS = ["g=s", "u+s", "o+t", "a=t", "+t", "g=u", "o-g", "u=rwX", "g+X",
                   "u=rwx,g+t", "u=rwx,o=g"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(WORD, CLAUSES, st.from_regex(r"0*[0-7]{1,5}", fullmatch=True)),
                min_size=80, max_size=80))
@example(REFUSED_LETTERS)
def test_generated_words_agree_with_bash(words) -> None:
    bad = compare(words)
    assert not bad, "\n".join(bad[:20])


def test_without_current_mask_a_relative_mode_is_refused() -> None:
    for text in ("g+w", "o-r", "u=rwx", "+x"):
        with pytest.raises(OpsnotesError) as info:
            model.parse_umask(text)
        assert info.value.key == "umask_needs_current"
    # Absolute forms need no current mask: every class is set by '='.
    assert model.parse_umask("u=rwx,g=rx,o=").octal == "0027"
    assert model.parse_umask("a=rx").octal == "0222"
    assert model.parse_umask("g+w", current=0o077).octal == "0057"


# --- setfacl -d -m -------------------------------------------------------------------------

def setfacl_result(text: str, parent_mode: int) -> dict | None:
    """The default ACL setfacl sets on a fresh directory of mode parent_mode, or None."""
    setfacl, getfacl = require_tool("setfacl"), require_tool("getfacl")
    with tempfile.TemporaryDirectory() as d:
        target = os.path.join(d, "x")
        os.mkdir(target)
        os.chmod(target, parent_mode)
        if subprocess.run([setfacl, "-d", "-m", text, target], capture_output=True,
                          timeout=10).returncode:
            return None
        out = subprocess.run([getfacl, "-n", "-p", "-d", "-c", target], capture_output=True,
                             text=True, timeout=10, check=True).stdout
    acl: dict = {"named": set()}
    for line in out.split():
        if line.startswith("#"):
            continue  # "#effective:r--" after an entry that the mask limits
        tag, qual, perms = line.split(":")
        bits = sum(v for ch, v in zip(perms, (4, 2, 1), strict=True) if ch != "-")
        if qual:
            acl["named"].add((tag[0], qual, bits))
        else:
            acl[tag[0]] = bits
    return acl


def numeric(tag: str, qualifier: str) -> str:
    if qualifier.isdigit():
        return str(int(qualifier))
    return str(pwd.getpwnam(qualifier).pw_uid if tag == "u" else grp.getgrnam(qualifier).gr_gid)


def model_acl(text: str, parent_mode: int) -> dict | None:
    try:
        acl = model.parse_default_acl(text, parent_mode=parent_mode)
    except OpsnotesError:
        return None
    out = {"u": acl.user_obj, "g": acl.group_obj, "o": acl.other,
           "named": {(tag, numeric(tag, q), bits) for tag, q, bits in acl.named}}
    if acl.mask is not None:
        out["m"] = acl.mask
    return out


TAGS = ("u", "user", "g", "group", "m", "mask", "o", "other", "us")
# Names must exist for setfacl (the model cannot know which do): daemon is a user and a group.
QUALIFIERS = ("::", ":", " ::", ": :", ":0:", ":daemon:", ": 65534 :")
PERMS = ("rwx", "r-x", "-", "", "7", "007", "77", "0", "rwX", "xr", "r w", " r ", "8")


def check_setfacl(texts: list[str], parent_mode: int = 0o751) -> list[str]:
    bad = []
    for text in texts:
        real, got = setfacl_result(text, parent_mode), model_acl(text, parent_mode)
        if real != got:
            bad.append(f"setfacl -d -m {text!r}: setfacl {real}, model {got}")
    return bad


def test_every_single_entry_form_agrees_with_setfacl() -> None:
    """9 tags x 2 starts x 7 qualifier forms x 13 permission forms = 1,638 entries."""
    texts = [f"{lead}{tag}{qual}{perms}" for tag, lead, qual, perms
             in itertools.product(TAGS, ("", " "), QUALIFIERS, PERMS)]
    assert len(texts) == 1638
    bad = check_setfacl(texts)
    assert not bad, "\n".join(bad[:20])


ENTRY = st.tuples(st.sampled_from(TAGS[:8]), st.sampled_from(QUALIFIERS),
                  st.sampled_from(PERMS[:7] + ("r", "w", "x", "--x"))).map("".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(ENTRY, min_size=1, max_size=5), st.sampled_from([",", ",", ",,", ", "]),
       st.booleans(), st.sampled_from([0o755, 0o700, 0o2770]))
def test_generated_acls_agree_with_setfacl(entries, sep, trailing, parent_mode) -> None:
    text = sep.join(entries) + ("," if trailing else "")
    bad = check_setfacl([text], parent_mode)
    assert not bad, bad[0]


# --- the same words through the calculator's form (field reading, current umask) ------------

def calculator_result(word: str, start: int) -> str:
    from opsnotes.calculators import run

    out = run("umask", {"umask": word, "current": f"{start:04o}"}, "en")
    return out["result"]["umask"] if out["ok"] else "REFUSED"


def compare_calculator(words: list[str]) -> list[str]:
    """The form reads a phone's capitalised letters in lower case (and says so): bash is asked
    about the word the form reads."""
    bad = []
    for start in STARTS:
        for word, real in zip(words, bash_results([w.lower() for w in words], start), strict=True):
            real = "REFUSED" if real == "OPTION" else real
            got = calculator_result(word, start)
            if got != real:
                bad.append(f"calculator umask {word!r}, current {start:04o}: bash {real}, calculator {got}")
    return bad


def test_calculator_accepts_and_refuses_what_bash_does() -> None:
    """Every word of up to two characters, and some with blanks, through the whole form."""
    words = ["".join(p) for n in (1, 2) for p in itertools.product(ALPHABET + "U\t", repeat=n)]
    words += ["U=rwx,G=rx,O=", " 022", "022 ", "u=rwx ", " g+w", "0 22", "g+w,\to-r", "u=rwx,g=rx,o=",
              "7777", "07777"]
    bad = compare_calculator(words)
    assert not bad, "\n".join(bad[:20])


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(WORD, CLAUSES), min_size=60, max_size=60))
def test_generated_words_through_the_calculator_agree_with_bash(words) -> None:
    words = [w for w in words if w.isascii()]  # the form folds a phone's full-width digits
    bad = compare_calculator(words)
    assert not bad, "\n".join(bad[:20])


def test_calculator_accepts_and_refuses_the_acls_setfacl_does() -> None:
    """The 1,638 single-entry texts through the form, with the parent's mode for what is left out."""
    from opsnotes.calculators import run

    texts = [f"{lead}{tag}{qual}{perms}" for tag, lead, qual, perms
             in itertools.product(TAGS, ("", " "), QUALIFIERS, PERMS)]
    bad = []
    for text in texts:
        real = setfacl_result(text, 0o751) is not None
        out = run("umask", {"default_acl": text, "parent_mode": "0751"}, "en")
        if out["ok"] != real:
            bad.append(f"setfacl -d -m {text!r}: setfacl {'accepts' if real else 'refuses'}, "
                       f"calculator {'accepts' if out['ok'] else out['error']['message']}")
    assert not bad, "\n".join(bad[:20])


def test_symbolic_form_of_every_umask_is_what_bash_prints() -> None:
    """`umask -S` for all 512 masks: the calculator's symbolic line (what the mask lets
    through, u=rwx,g=rx,o=rx style) is bash's own."""
    masks = [f"{m:03o}" for m in range(0o1000)]
    proc = subprocess.run(["bash", "-c", 'for m in "$@"; do umask "$m"; umask -S; done', "bash",
                           *masks], capture_output=True, text=True, timeout=60, check=True)
    real = proc.stdout.splitlines()
    assert len(real) == 512
    bad = [(m, r, model.parse_umask(m).symbolic) for m, r in zip(masks, real, strict=True)
           if model.parse_umask(m).symbolic != r]
    assert not bad, bad[:10]
