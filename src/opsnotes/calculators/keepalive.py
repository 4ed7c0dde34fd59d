"""The keepalive calculator: time to detect a dead peer, probe timeline, middlebox, config."""

from __future__ import annotations

import shlex
from typing import Any

from opsnotes import keepalive as model
from opsnotes.calculators.form import Calculator, Cli, Field, blame, esc
from opsnotes.i18n import t

FIELDS = (
    Field("ka_via", "select", "socket", options=model.VIAS),
    Field("ka_idle", "text", "7200", placeholder="7200"),
    Field("ka_intvl", "text", "75", placeholder="75"),
    Field("ka_cnt", "text", "9", placeholder="9"),
    Field("ka_user_timeout", "text", "0", placeholder="0"),
    Field("ka_in_flight", "checkbox", False),
    Field("ka_middlebox", "text", "", placeholder="350"),
    Field("ka_hz", "select", "1000", options=model.HZ_VALUES),
)
NAMES = ("idle", "intvl", "cnt")


def _validation(values: dict[str, int], ut: int, hz: int) -> list[dict[str, Any]]:
    rows = []
    for via in model.VIAS:
        bounds = model.limits(via, hz)
        for name in NAMES:
            low, high = bounds[name]
            value = values[name]
            api = model.SOCKOPT_NAMES[name] if via == "socket" else model.SYSCTL_NAMES[name]
            if low <= value <= high:
                verdict = "ok"
            elif model.kernel_accepts(name, value, via, hz):
                verdict = "meaningless"
            else:
                verdict = via
            rows.append({"api": api, "via": via, "value": value, "min": low, "max": high,
                         "verdict": verdict})
    rows.append({"api": "TCP_USER_TIMEOUT", "via": "socket", "value": ut, "min": 0,
                 "max": model.INT_MAX, "verdict": "ok"})
    return rows


def compute(p: dict[str, Any]) -> dict[str, Any]:
    via, hz = p["ka_via"], int(p["ka_hz"])
    values = {}
    for name in NAMES:
        with blame(f"ka_{name}"):
            values[name] = model.parse_int(p[f"ka_{name}"], f"ka_{name}")
            model.check(name, values[name], via, hz)
    with blame("ka_user_timeout"):
        raw = p["ka_user_timeout"]
        ut = 0 if isinstance(raw, str) and not raw.strip() else model.parse_int(raw, "ka_user_timeout")
        model.check_user_timeout(ut)
    middlebox = None
    with blame("ka_middlebox"):
        raw = p["ka_middlebox"]
        if not (isinstance(raw, str) and not raw.strip()):
            middlebox = model.parse_int(raw, "ka_middlebox")
            model.check_middlebox(middlebox)
    idle, intvl, cnt = values["idle"], values["intvl"], values["cnt"]
    d = model.detect(idle, intvl, cnt, ut, p["ka_in_flight"])
    validation = _validation(values, ut, hz)
    ok = {via: all(r["verdict"] == "ok" for r in validation if r["via"] == via) for via in model.VIAS}
    config = model.generate(idle, intvl, cnt, ut)
    if not ok["socket"]:
        config = {"sysctl": config["sysctl"]}
    if not ok["sysctl"]:
        config.pop("sysctl")
    return {
        "detect_seconds": d.detect_seconds,
        "detect_exact": d.exact,
        "governed_by": d.governed_by,
        "probes": d.probes,
        "probe_times": list(d.probe_times),
        "error": "ETIMEDOUT",
        "error_if_peer_rebooted": "ECONNRESET",
        "idle": idle, "intvl": intvl, "cnt": cnt, "user_timeout_ms": ut,
        "in_flight": p["ka_in_flight"], "via": via, "hz": hz,
        "middlebox_timeout": middlebox,
        "middlebox_survives": None if middlebox is None else model.middlebox_survives(idle, middlebox),
        "validation": validation,
        "config": config,
    }


def human(seconds: float, lang: str) -> str:
    whole = int(seconds)
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if whole >= size:
            parts.append(t(f"keepalive.unit.{unit}", lang, n=whole // size))
            whole %= size
    rest = whole + (seconds - int(seconds))
    if rest or not parts:
        parts.append(t("keepalive.unit.s", lang, n=_num(rest)))
    return " ".join(parts)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _timeline(r: dict[str, Any], lang: str) -> str:
    rows = [("0", t("keepalive.event.last", lang))]
    times = r["probe_times"]
    for i, at in enumerate(times):
        n = i + 1 if i < model.TIMELINE_HEAD else r["probes"]
        if i == model.TIMELINE_HEAD:
            rows.append(("…", t("keepalive.event.elided", lang, intvl=r["intvl"])))
        rows.append((_num(at), t("keepalive.event.probe", lang, n=n)))
    rows.append((_num(r["detect_seconds"]), t("keepalive.event.dead", lang)))
    body = "".join(f'<tr><th scope="row">{esc(a)}</th><td>{esc(b)}</td></tr>' for a, b in rows)
    return (f'<table><caption>{esc(t("keepalive.timeline", lang))}</caption><thead><tr>'
            f'<th scope="col">{esc(t("keepalive.col.time", lang))}</th>'
            f'<th scope="col">{esc(t("keepalive.col.event", lang))}</th></tr></thead>'
            f'<tbody>{body}</tbody></table>')


def _validation_table(r: dict[str, Any], lang: str) -> str:
    body = []
    for row in r["validation"]:
        verdict = (t("keepalive.valid", lang) if row["verdict"] == "ok"
                   else t(f"keepalive.invalid.{row['verdict']}", lang))
        body.append(f'<tr><th scope="row"><code>{esc(row["api"])}</code></th>'
                    f'<td>{row["value"]}</td><td>{row["min"]}–{row["max"]}</td>'
                    f'<td>{esc(verdict)}</td></tr>')
    head = "".join(f'<th scope="col">{esc(t(k, lang))}</th>' for k in
                   ("keepalive.col.setting", "keepalive.col.value", "keepalive.col.range",
                    "keepalive.col.ok"))
    return (f'<table><caption>{esc(t("keepalive.validation", lang))}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')


def render(r: dict[str, Any], lang: str) -> str:
    seconds = _num(r["detect_seconds"])
    key = "keepalive.headline" if r["detect_exact"] else "keepalive.headline_min"
    out = [f'<p class="opsnotes-calc__headline"><strong>'
           f'{esc(t(key, lang, human=human(r["detect_seconds"], lang), seconds=seconds))}'
           f'</strong></p>']
    by = r["governed_by"]
    if by == "keepalive":
        why = t("keepalive.by.keepalive", lang, idle=r["idle"], cnt=r["cnt"], intvl=r["intvl"])
    elif by == "user_timeout" and not r["in_flight"]:
        why = t("keepalive.by.user_timeout", lang, ut=r["user_timeout_ms"], probes=r["probes"],
                cnt=r["cnt"])
    elif by == "user_timeout":
        why = t("keepalive.by.user_timeout_flight", lang, ut=r["user_timeout_ms"])
    else:
        why = t("keepalive.by.retransmission", lang)
    out.append(f"<p>{esc(why)}</p>")
    if not r["in_flight"]:
        out.append(_timeline(r, lang))
    error = t("keepalive.error", lang)
    if not r["in_flight"]:
        error += (" " if lang == "en" else "") + t("keepalive.reboot", lang, idle=r["idle"])
    out.append(f"<p>{esc(error)}</p>")
    if r["middlebox_timeout"] is not None:
        key = "keepalive.middlebox.ok" if r["middlebox_survives"] else "keepalive.middlebox.dropped"
        out.append(f'<p><strong>{esc(t(key, lang, idle=r["idle"], timeout=r["middlebox_timeout"], margin=r["middlebox_timeout"] - r["idle"]))}</strong></p>')  # noqa: E501
    out.append(_validation_table(r, lang))
    note = "keepalive.socket_note" if r["via"] == "socket" else "keepalive.sysctl_note"
    out.append(f"<p>{esc(t(note, lang))}</p>")
    out.append(f'<p><strong>{esc(t("keepalive.config", lang))}</strong></p>')
    for reason_key, present, check in (("keepalive.no_sysctl_file", "sysctl" in r["config"], "sysctl"),
                                       ("keepalive.no_socket_code", "c" in r["config"], "socket")):
        if not present:
            bad = next(row for row in r["validation"] if row["via"] == check
                       and row["verdict"] != "ok")
            reason = f'{bad["api"]} = {bad["value"]} ({bad["min"]}–{bad["max"]})'
            out.append(f"<p>{esc(t(reason_key, lang, reason=reason))}</p>")
    for name, code in r["config"].items():
        language = {"sysctl": "ini", "node": "javascript"}.get(name, name)
        # One block open, the rest folded: six languages would bury the page below.
        opened = " open" if name == next(iter(r["config"])) else ""
        out.append(f'<details class="opsnotes-calc__config"{opened}>'
                   f'<summary>{esc(t(f"keepalive.lang.{name}", lang))}</summary>'
                   f'<pre><code class="language-{language}">{esc(code)}</code></pre></details>')
    return "".join(out)


def cli_example(p: dict[str, Any]) -> str:
    args = ["python", "-m", "opsnotes", "keepalive", "--idle", str(p.get("ka_idle", "7200")),
            "--intvl", str(p.get("ka_intvl", "75")), "--cnt", str(p.get("ka_cnt", "9"))]
    if str(p.get("ka_user_timeout") or "0").strip() not in ("", "0"):
        args += ["--user-timeout", str(p["ka_user_timeout"])]
    if p.get("ka_in_flight"):
        args.append("--in-flight")
    if str(p.get("ka_middlebox") or "").strip():
        args += ["--middlebox", str(p["ka_middlebox"])]
    if p.get("ka_via") == "sysctl":
        args += ["--via", "sysctl"]
    if str(p.get("ka_hz", "1000")) != "1000":
        args += ["--hz", str(p["ka_hz"])]
    return shlex.join(args)


def cli_arguments(p: Any) -> None:
    p.add_argument("--idle", default="7200", help="seconds idle before the first probe")
    p.add_argument("--intvl", default="75", help="seconds between probes")
    p.add_argument("--cnt", default="9", help="unanswered probes before giving up")
    p.add_argument("--user-timeout", default="0", help="TCP_USER_TIMEOUT in ms (0: not set)")
    p.add_argument("--in-flight", action="store_true", help="data is waiting for an ACK")
    p.add_argument("--middlebox", default="", help="idle timeout of a firewall/NAT/LB (s)")
    p.add_argument("--via", choices=model.VIAS, default="socket",
                   help="validate for setsockopt (socket) or the sysctls")
    p.add_argument("--hz", choices=model.HZ_VALUES, default="1000",
                   help="kernel CONFIG_HZ, which bounds the sysctls (default 1000)")


def cli_params(a: Any) -> dict[str, Any]:
    return {"ka_idle": a.idle, "ka_intvl": a.intvl, "ka_cnt": a.cnt,
            "ka_user_timeout": a.user_timeout, "ka_in_flight": a.in_flight,
            "ka_middlebox": a.middlebox, "ka_via": a.via, "ka_hz": a.hz}


def cli_text(r: dict[str, Any], a: Any) -> str:
    at_least = "" if r["detect_exact"] else "at least "
    lines = [f"dead peer detected after {at_least}{_num(r['detect_seconds'])} s "
             f"({human(r['detect_seconds'], 'en')}), governed by {r['governed_by']}; "
             f"the application gets {r['error']}"]
    if r["probe_times"]:
        lines.append(f"probes sent: {r['probes']}, at "
                     + ", ".join(_num(x) for x in r["probe_times"]) + " s")
    if r["middlebox_timeout"] is not None:
        verdict = "survives" if r["middlebox_survives"] else "is dropped by"
        lines.append(f"an idle connection {verdict} the {r['middlebox_timeout']} s middlebox")
    return "\n".join(lines)


CLI = Cli("time until TCP keepalive declares a dead peer, and config for it", cli_arguments,
          cli_params, cli_text, cli_example)
CALCULATOR = Calculator("keepalive", FIELDS, compute, render, CLI)
