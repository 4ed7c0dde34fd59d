"""The keepalive calculator: time to detect a dead peer, probe timeline, middlebox, config."""

from __future__ import annotations

from typing import Any

from opsnotes import keepalive as model
from opsnotes.calculators.fields import C_INT, Choice, Flag, Integer
from opsnotes.calculators.form import Calculator, Example
from opsnotes.calculators.markup import Html, h, join
from opsnotes.i18n import t

NAMES = ("idle", "intvl", "cnt")
# Any C int reaches the model, whose checks name the API that refuses it (TCP_KEEPCNT, ...).
FIELDS = (
    Choice("via", model.VIAS, aliases=("ka_via",)),
    *(Integer(name, low=C_INT[0], high=C_INT[1], default=model.LINUX_DEFAULTS[name],
              placeholder=str(model.LINUX_DEFAULTS[name]), aliases=(f"ka_{name}",)) for name in NAMES),
    Integer("user_timeout", low=C_INT[0], high=C_INT[1], default=0, empty=0, placeholder="0",
            aliases=("ka_user_timeout",)),
    Flag("in_flight", aliases=("ka_in_flight",)),
    Integer("middlebox", low=C_INT[0], high=C_INT[1], empty=None, placeholder="350",
            aliases=("ka_middlebox",)),
    Choice("hz", model.HZ_VALUES, default=str(model.DEFAULT_HZ), aliases=("ka_hz",)),
)



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
            elif via == "sysctl" and name == "cnt":
                verdict = "sysctl_probes"  # EINVAL since 5.13; before, any int
            else:
                verdict = via
            rows.append({"api": api, "via": via, "value": value, "min": low, "max": high,
                         "verdict": verdict})
    rows.append({"api": "TCP_USER_TIMEOUT", "via": "socket", "value": ut, "min": 0,
                 "max": model.INT_MAX, "verdict": "ok"})
    return rows


def compute(p: dict[str, Any]) -> dict[str, Any]:
    via, hz = p["via"], int(p["hz"])
    values = {name: p[name] for name in NAMES}
    for name in NAMES:
        model.check(name, values[name], via, hz)
    ut, middlebox = p["user_timeout"], p["middlebox"]
    model.check_user_timeout(ut)
    if middlebox is not None:
        model.check_middlebox(middlebox)
    idle, intvl, cnt = values["idle"], values["intvl"], values["cnt"]
    d = model.detect(idle, intvl, cnt, ut, p["in_flight"])
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
        "in_flight": p["in_flight"], "via": via, "hz": hz,
        "middlebox_timeout": middlebox,
        "middlebox_survives": None if middlebox is None else model.middlebox_survives(
            idle, middlebox, intvl, hz),
        # Timers never fire early but may run late by their wheel level's granularity (at
        # most 8/63 of the timeout, at the reader's HZ): the detection time is a lower bound,
        # and the path may stay silent for up to this long between answered probes.
        "detect_latest_seconds": None if p["in_flight"] else round(
            model.latest_detection(idle, intvl, d.probes, hz), 3),
        "idle_gap_latest_seconds": round(model.latest_idle_gap(idle, intvl, hz), 3),
        # Answered probes come every max(idle, interval) seconds (tcp_keepalive_timer()).
        "probe_pace_seconds": max(idle, intvl),
        "middlebox_safe_idle": None if middlebox is None else model.longest_safe_idle(middlebox, hz),
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


def _timeline(r: dict[str, Any], lang: str) -> Html:
    rows = [("0", t("keepalive.event.last", lang))]
    times = r["probe_times"]
    for i, at in enumerate(times):
        n = i + 1 if i < model.TIMELINE_HEAD else r["probes"]
        if i == model.TIMELINE_HEAD:
            rows.append(("…", t("keepalive.event.elided", lang, intvl=r["intvl"])))
        rows.append((_num(at), t("keepalive.event.probe", lang, n=n)))
    rows.append((_num(r["detect_seconds"]), t("keepalive.event.dead", lang)))
    return h("table", h("caption", t("keepalive.timeline", lang)),
             h("thead", h("tr", h("th", t("keepalive.col.time", lang), scope="col"),
                          h("th", t("keepalive.col.event", lang), scope="col"))),
             h("tbody", [h("tr", h("th", a, scope="row"), h("td", b)) for a, b in rows]))


def _validation_table(r: dict[str, Any], lang: str) -> Html:
    body = []
    for row in r["validation"]:
        verdict = (t("keepalive.valid", lang) if row["verdict"] == "ok"
                   else t(f"keepalive.invalid.{row['verdict']}", lang))
        body.append(h("tr", h("th", h("code", row["api"]), scope="row"), h("td", row["value"]),
                      h("td", f'{row["min"]}–{row["max"]}'), h("td", verdict)))
    head = [h("th", t(k, lang), scope="col") for k in
            ("keepalive.col.setting", "keepalive.col.value", "keepalive.col.range", "keepalive.col.ok")]
    return h("table", h("caption", t("keepalive.validation", lang)), h("thead", h("tr", head)),
             h("tbody", body))


def render(r: dict[str, Any], lang: str) -> Html:
    seconds = _num(r["detect_seconds"])
    key = "keepalive.headline" if r["detect_exact"] else "keepalive.headline_min"
    out = [h("p", h("strong", t(key, lang, human=human(r["detect_seconds"], lang), seconds=seconds)),
             class_="opsnotes-calc__headline")]
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
    out.append(h("p", why))
    if not r["in_flight"]:
        out.append(_timeline(r, lang))
    if r["detect_latest_seconds"] is not None:
        out.append(h("p", t("keepalive.late", lang, seconds=seconds,
                            latest=_num(r["detect_latest_seconds"]))))
    error = t("keepalive.error", lang)
    if not r["in_flight"]:
        error += (" " if lang == "en" else "") + t("keepalive.reboot", lang, idle=r["idle"])
    else:
        error += (" " if lang == "en" else "") + t("keepalive.icmp_flight", lang)
    out.append(h("p", error))
    if r["middlebox_timeout"] is not None:
        if r["middlebox_survives"]:
            key = "keepalive.middlebox.ok"
        elif r["probe_pace_seconds"] < r["middlebox_timeout"]:
            key = "keepalive.middlebox.tight"
        else:
            key = "keepalive.middlebox.dropped"
        out.append(h("p", h("strong", t(key, lang, idle=r["probe_pace_seconds"],
                                        timeout=r["middlebox_timeout"],
                                        safe=r["middlebox_safe_idle"],
                                        worst=_num(r["idle_gap_latest_seconds"]),
                                        margin=_num(r["middlebox_timeout"]
                                                    - r["idle_gap_latest_seconds"])))))
    out.append(_validation_table(r, lang))
    note = "keepalive.socket_note" if r["via"] == "socket" else "keepalive.sysctl_note"
    out.append(h("p", t(note, lang)))
    out.append(h("p", h("strong", t("keepalive.config", lang))))
    for reason_key, present, check in (("keepalive.no_sysctl_file", "sysctl" in r["config"], "sysctl"),
                                       ("keepalive.no_socket_code", "c" in r["config"], "socket")):
        if not present:
            bad = next(row for row in r["validation"] if row["via"] == check
                       and row["verdict"] != "ok")
            reason = f'{bad["api"]} = {bad["value"]} ({bad["min"]}–{bad["max"]})'
            out.append(h("p", t(reason_key, lang, reason=reason)))
    # The same code as in the result, commented in the reader's language.
    local = model.generate(r["idle"], r["intvl"], r["cnt"], r["user_timeout_ms"], lang)
    for name in r["config"]:
        code = local[name]
        language = {"sysctl": "ini", "node": "javascript"}.get(name, name)
        # One block open, the rest folded: six languages would bury the page below.
        out.append(h("details", h("summary", t(f"keepalive.lang.{name}", lang)),
                     h("pre", h("code", code, class_=f"language-{language}")),
                     class_="opsnotes-calc__config", open=name == next(iter(r["config"]))))
    return join(out)


def text(r: dict[str, Any], p: dict[str, Any]) -> str:
    at_least = "" if r["detect_exact"] else "at least "
    lines = [f"dead peer detected after {at_least}{_num(r['detect_seconds'])} s "
             f"({human(r['detect_seconds'], 'en')}), governed by {r['governed_by']}; "
             f"the application gets {r['error']}"]
    if r["detect_latest_seconds"] is not None:
        lines.append(f"timers may run late: up to {_num(r['detect_latest_seconds'])} s")
    if r["probe_times"]:
        lines.append(f"probes sent: {r['probes']}, at "
                     + ", ".join(_num(x) for x in r["probe_times"]) + " s")
    if r["middlebox_timeout"] is not None:
        box = f"the {r['middlebox_timeout']} s middlebox"
        if r["middlebox_survives"]:
            lines.append(f"an idle connection survives {box}")
        elif r["probe_pace_seconds"] < r["middlebox_timeout"]:
            lines.append(f"an idle connection survives {box} only if the timer runs on time "
                         f"(a late one may wait {_num(r['idle_gap_latest_seconds'])} s; "
                         f"at most {r['middlebox_safe_idle']} s is safe)")
        else:
            lines.append(f"an idle connection is dropped by {box}")
    return "\n".join(lines)


EXAMPLES = (
    Example({}, expect={"detect_seconds": 7875, "probes": 9, "governed_by": "keepalive"}),
    Example({"idle": "300", "intvl": "30", "cnt": "4"}, expect={"detect_seconds": 420},
            shows=("net.ipv4.tcp_keepalive_probes = 4", "socket.setKeepAlive(true, 300000);")),
    Example({"idle": "300", "intvl": "10", "cnt": "3", "middlebox": "350"},
            expect={"detect_seconds": 330, "middlebox_survives": True}),
    Example({"idle": "300", "middlebox": "200"}, expect={"middlebox_survives": False}),
    # The page's advice for a 350 s middlebox, and the kernel's defaults behind Google
    # Cloud's 10-minute connection tracking.
    Example({"idle": "300", "intvl": "30", "cnt": "4", "middlebox": "350"},
            expect={"detect_seconds": 420, "middlebox_survives": True}, preset="aws"),
    Example({"middlebox": "600"}, expect={"detect_seconds": 7875, "middlebox_survives": False},
            preset="gcp_defaults"),
    # 330 s is 330000 jiffies at HZ 1000, in the wheel's level 5 (granularity 32768 jiffies).
    Example({"idle": "330", "middlebox": "350"}, expect={"middlebox_survives": False,
                                                         "idle_gap_latest_seconds": 362.768},
            shows=("362.768",)),
    # An interval longer than the idle time sets the pace of answered probes.
    Example({"idle": "60", "intvl": "400", "cnt": "2", "middlebox": "350"},
            expect={"middlebox_survives": False, "idle_gap_latest_seconds": 432.768}),
    Example({"idle": "60", "intvl": "10", "cnt": "3", "user_timeout": "30000"},
            expect={"detect_seconds": 70, "governed_by": "user_timeout"}, preset="fast"),
    Example({"idle": "60", "intvl": "10", "cnt": "3", "user_timeout": "45000", "middlebox": "30",
             "via": "sysctl", "hz": "250"},
            expect={"detect_seconds": 70, "governed_by": "user_timeout", "hz": 250}),
    Example({"user_timeout": "3000", "in_flight": True}, expect={"detect_seconds": 3.0}),
    Example({"via": "Sysctl", "idle": "４００００"}, expect={"via": "sysctl", "idle": 40000}),
    Example({"cnt": "128"}, error="keepalive.out_of_range", field="cnt"),
    Example({"cnt": "256", "via": "sysctl"}, error="keepalive.probes_range", field="cnt"),
    Example({"idle": "ten"}, error="not_integer", field="idle"),
    Example({"idle": "³"}, error="not_ascii_digit", field="idle"),
    Example({"intvl": "9" * 5000}, error="out_of_range", field="intvl"),
    Example({"via": "sysctl", "idle": "0"}, error="keepalive.sysctl_meaningless", field="idle"),
    Example({"middlebox": "0"}, error="keepalive.middlebox_range", field="middlebox"),
    Example({"user_timeout": "-1"}, error="keepalive.out_of_range", field="user_timeout"),
)
CALCULATOR = Calculator("keepalive", FIELDS, compute, render, text, EXAMPLES)
