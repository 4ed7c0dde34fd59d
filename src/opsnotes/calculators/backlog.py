"""The listen() backlog calculator: effective limit, sizing, and diagnosis of pasted `ss -lnt`.

One calculator with a mode, so that `python -m opsnotes backlog` covers all three (the CLI
tells the mode from the flags given); the page shows and reads only the mode's fields.
"""

from __future__ import annotations

from typing import Any

from opsnotes import backlog as model
from opsnotes.calculators.fields import Choice, Decimal, Integer, Text, Textarea
from opsnotes.calculators.form import Calculator, Example
from opsnotes.calculators.markup import Html, h, join
from opsnotes.errors import OpsnotesError
from opsnotes.i18n import t

MODES = ("effective", "sizing", "diagnose")
# Every runtime the model knows, in the order the page's table lists them.
SERVERS = ("custom", "nginx", "httpd", "node", "redis", "gunicorn", "python_socket", "asyncio",
           "socketserver", "java", "tomcat", "go", "systemd", "systemd_4096", "systemd_128")
SAMPLE_SS = """State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process
LISTEN 0      4096         0.0.0.0:22         0.0.0.0:*
LISTEN 129    128          0.0.0.0:80         0.0.0.0:*
LISTEN 0      511        127.0.0.1:6379       0.0.0.0:*"""
SAMPLE_COUNTERS = """#kernel
TcpExtListenOverflows           3127               0.0
TcpExtListenDrops               3127               0.0"""
MAX_RATE = 10_000_000  # new connections per second: more than any one listener takes
MAX_ACCEPT_MS = 600_000  # ten minutes without accept() is a hung program, not a stall

FIELDS = (
    Choice("mode", MODES, aliases=("backlog_mode",)),
    Choice("server", SERVERS, when=("mode", "effective", "sizing"), aliases=("backlog_server",)),
    # What the server's configuration says, before the server turns it into listen()'s int:
    # a systemd unit's 4294967295 arrives as -1, Node.js wraps 4294967296 to 0, Python
    # refuses what is not a C int (OverflowError). 64 bits covers every parser here.
    Integer("backlog", low=-(2**63), high=2**64 - 1, empty=None, placeholder="511",
            when=("mode", "effective")),
    Integer("somaxconn", low=0, high=model.INT_MAX, empty=None, placeholder="4096",
            when=("mode", "effective")),
    Text("kernel", read=model.parse_kernel, empty=None, placeholder="6.1.0-13-amd64",
         when=("mode", "effective", "sizing"), aliases=("backlog_kernel",)),
    Decimal("rate", high=MAX_RATE, empty=None, placeholder="2000", when=("mode", "sizing"),
            aliases=("backlog_rate",)),
    Decimal("accept_ms", high=MAX_ACCEPT_MS, empty=None, placeholder="100", when=("mode", "sizing"),
            aliases=("backlog_accept_ms",)),
    Integer("burst", low=1, high=model.INT_MAX, empty=None, placeholder="5000",
            when=("mode", "sizing"), aliases=("backlog_burst",)),
    Textarea("ss", read=model.parse_ss, file="ss.txt", when=("mode", "diagnose"),
             aliases=("backlog_ss",)),
    Textarea("counters", read=model.read_counter_text, file="nstat.txt", when=("mode", "diagnose"),
             aliases=("backlog_counters",)),
)

def _somaxconn(p: dict[str, Any]) -> tuple[int, str]:
    """The sysctl's value and where it came from (typed, the kernel's default, or assumed)."""
    if p["somaxconn"] is not None:
        if model.somaxconn_refused(p["somaxconn"], p["kernel"]):
            raise OpsnotesError("backlog.somaxconn_refused", field="somaxconn", value=p["somaxconn"],
                                kernel=p["kernel"].text)
        return p["somaxconn"], "given"
    if p["kernel"] is not None:
        return model.default_somaxconn(p["kernel"]), "kernel"
    return model.SOMAXCONN_NEW, "assumed"


def _reaches(server: str, backlog: int | None, somaxconn: int,
             kernel: model.Kernel | None) -> model.Reaches:
    """What the server, configured with ``backlog`` (None: left at its default), really
    passes to listen() and the limit the kernel makes of it (model.reaches_listen)."""
    return model.reaches_listen(server, backlog, somaxconn, kernel)


def _outcome(reaches: model.Reaches) -> dict[str, Any]:
    """The part of a result that says what reached listen(): the same keys in both modes."""
    passed, limit = reaches.passed, reaches.limit
    notes = [n for n in (passed.note,) if n and n != "backlog.rt.go_fixed"]
    if reaches.runtime == "go" and reaches.configured is not None:
        notes.append("backlog.rt.go_fixed")
    if limit is None:
        return {"refused": passed.error, "listen_arg": None, "effective": None,
                "capacity": None, "ss_send_q": None, "ss_recv_q_max": None, "notes": notes}
    return {"refused": None, "listen_arg": passed.arg, "effective": limit.effective,
            "capacity": limit.capacity, "ss_send_q": limit.effective,
            "ss_recv_q_max": limit.capacity, "notes": notes + list(limit.notes)}


def _default(server: str, somaxconn: int, kernel: model.Kernel | None) -> int | None:
    """What the server asks for when not configured (None: custom, which has no default)."""
    if server == "custom":
        return None
    if server == "go":
        return model.go_listen_arg(somaxconn, kernel)
    return int(model.RUNTIMES[server].default)


def compute_effective(p: dict[str, Any]) -> dict[str, Any]:
    kernel, server = p["kernel"], p["server"]
    somaxconn, source = _somaxconn(p)
    if server == "custom" and p["backlog"] is None:
        raise OpsnotesError("empty", field="backlog")
    reaches = _reaches(server, p["backlog"], somaxconn, kernel)
    configured = p["backlog"] if p["backlog"] is not None else _default(server, somaxconn, kernel)
    out = {"mode": "effective", "server": server,
           "requested_from": "given" if p["backlog"] is not None else "server",
           "backlog": configured, "somaxconn": somaxconn, "somaxconn_from": source,
           "kernel": kernel.text if kernel else None, **_outcome(reaches)}
    if source == "assumed":
        out["notes"].insert(0, "backlog.note.assumed")
    return out


def compute_sizing(p: dict[str, Any]) -> dict[str, Any]:
    kernel, rate, accept_ms, burst = p["kernel"], p["rate"], p["accept_ms"], p["burst"]
    if rate is not None or accept_ms is not None or burst is None:
        # Little's law needs both; a burst alone needs neither.
        for name in ("rate", "accept_ms"):
            if p[name] is None:
                raise OpsnotesError("empty", field=name)
    s = model.size_backlog(rate, accept_ms, burst)
    little = model.size_backlog(rate, accept_ms, None).needed if rate is not None else None
    server = p["server"]
    # The same model as the effective mode: what this server passes with the recommended
    # settings on this kernel (caps included), not the number the sizing asked for.
    planned = model.plan(server, s, kernel)
    outcome = _outcome(planned.reaches)
    return {"mode": "sizing", "server": server, "rate": rate, "accept_ms": accept_ms,
            "burst": burst, "little": little, "waiting": s.needed, "backlog": s.backlog,
            "somaxconn": planned.somaxconn, "kernel": kernel.text if kernel else None,
            "directive": planned.config["directive"], "sysctl": planned.config["sysctl"],
            **outcome, "short": outcome["effective"] is not None
            and outcome["capacity"] < s.needed}


def compute_diagnose(p: dict[str, Any]) -> dict[str, Any]:
    listeners, skipped = p["ss"]
    counters, source = p["counters"].values, p["counters"].source
    rows = [{"local": x.local, "queued": x.queued, "limit": x.limit, "capacity": x.capacity,
             "fill": round(100 * x.fill), "level": x.level, "process": x.process}
            for x in listeners]
    readings = [{"key": k, "params": v} for k, v in model.read_counters(counters)]
    if source == "nstat_empty":
        readings.insert(0, {"key": "backlog.read.nstat_empty", "params": {}})
    return {"mode": "diagnose", "listeners": rows, "skipped": skipped, "counters": counters,
            "counters_from": source, "readings": readings, "full": sum(r["level"] == "full" for r in rows)}


def compute(p: dict[str, Any]) -> dict[str, Any]:
    return {"effective": compute_effective, "sizing": compute_sizing,
            "diagnose": compute_diagnose}[p["mode"]](p)


def _li(items: list[str]) -> Html | None:
    return h("ul", [h("li", i) for i in items]) if items else None


def _dl(pairs: list[tuple[str, str]]) -> Html:
    return h("dl", [(h("dt", k), h("dd", h("code", v))) for k, v in pairs],
             class_="opsnotes-calc__forms")


def _server_name(server: str, lang: str) -> str:
    return t(f"backlog.field.server.{server}", lang)


def _headline(text: str) -> Html:
    return h("p", h("strong", text), class_="opsnotes-calc__headline")


def _notes(r: dict[str, Any], lang: str) -> list[str]:
    return [t(n, lang, n=r["backlog"], arg=r["listen_arg"], somaxconn=r["somaxconn"],
              effective=r["effective"]) for n in r["notes"]]


def render_effective(r: dict[str, Any], lang: str) -> Html:
    server = _server_name(r["server"], lang)
    asked = (t("backlog.asked.server", lang, server=server, n=r["backlog"])
             if r["requested_from"] == "server" else t("backlog.asked.given", lang, n=r["backlog"]))
    source = t(f"backlog.somaxconn_from.{r['somaxconn_from']}", lang, n=r["somaxconn"],
               kernel=r["kernel"] or "")
    notes = _notes(r, lang)
    if r["refused"]:
        return join([
            _headline(t("backlog.refused.headline", lang, server=server)),
            h("p", t(r["refused"], lang, arg=r["backlog"])),
            notes and _li(notes),
        ])
    ss = f"State  Recv-Q Send-Q Local Address:Port Peer Address:Port\nLISTEN 0      {r['effective']} …"
    return join([
        _headline(t("backlog.headline", lang, effective=r["effective"], capacity=r["capacity"])),
        _dl([(t("backlog.asked", lang), asked), (t("backlog.somaxconn", lang), source),
             (t("backlog.passed", lang), str(r["listen_arg"])),
             (t("backlog.effective", lang), str(r["effective"])),
             (t("backlog.capacity", lang), str(r["capacity"]))]),
        h("p", t("backlog.ss_reads", lang, effective=r["effective"], capacity=r["capacity"])),
        h("pre", h("code", ss)),
        notes and [h("p", h("strong", t("backlog.warnings", lang))), _li(notes)],
    ])


def render_sizing(r: dict[str, Any], lang: str) -> Html:
    server = _server_name(r["server"], lang)
    steps = []
    if r["rate"] is not None:
        steps.append(t("backlog.size.little", lang, rate=f"{r['rate']:g}", ms=f"{r['accept_ms']:g}",
                       n=r["little"]))
    if r["burst"] is not None:
        steps.append(t("backlog.size.burst", lang, n=r["burst"]))
    steps.append(t("backlog.size.headroom", lang, waiting=r["waiting"], backlog=r["backlog"]))
    steps.append(t("backlog.size.somaxconn", lang, backlog=r["backlog"], somaxconn=r["somaxconn"]))
    if r["refused"]:
        steps.append(t(r["refused"], lang, arg=r["backlog"]))
    else:
        steps.append(t("backlog.size.reaches", lang, server=server, arg=r["listen_arg"],
                       effective=r["effective"], capacity=r["capacity"]))
    if r["short"]:
        steps.append(t("backlog.size.short", lang, waiting=r["waiting"], capacity=r["capacity"]))
    steps += _notes(r, lang)
    return join([
        _headline(t("backlog.size.headline", lang, backlog=r["backlog"], somaxconn=r["somaxconn"])),
        h("p", h("strong", t("backlog.size.why", lang))), _li(steps),
        h("p", t("backlog.size.sysctl", lang)),
        h("pre", h("code", r["sysctl"], class_="language-ini")),
        h("p", t("backlog.size.directive", lang, server=server)),
        h("pre", h("code", r["directive"])),
    ])


def render_diagnose(r: dict[str, Any], lang: str) -> Html:
    head = [h("th", t(k, lang), scope="col") for k in
            ("backlog.diag.local", "backlog.diag.queued", "backlog.diag.limit",
             "backlog.diag.fill", "backlog.diag.level")]
    rows = [h("tr", h("th", h("code", x["local"]), scope="row"), h("td", x["queued"]),
              h("td", x["limit"]), h("td", f'{x["fill"]}%'),
              h("td", t("backlog.level." + x["level"], lang))) for x in r["listeners"]]
    readings = [t(x["key"], lang, **x["params"]) for x in r["readings"]]
    if not r["counters"]:
        readings.append(t("backlog.read.none", lang))
    if r["skipped"]:
        readings.append(t("backlog.read.skipped", lang, n=r["skipped"]))
    return join([
        _headline(t("backlog.diag.headline", lang, n=len(r["listeners"]), full=r["full"])),
        h("table", h("caption", t("backlog.diag.caption", lang)), h("thead", h("tr", head)),
          h("tbody", rows)),
        h("p", h("strong", t("backlog.diag.counters", lang))), _li(readings),
    ])


def render(r: dict[str, Any], lang: str) -> Html:
    return {"effective": render_effective, "sizing": render_sizing,
            "diagnose": render_diagnose}[r["mode"]](r, lang)


def text(r: dict[str, Any], p: dict[str, Any]) -> str:
    if r["mode"] in ("effective", "sizing") and r["refused"]:
        return t(r["refused"], "en", arg=r["backlog"])
    if r["mode"] == "effective":
        lines = [f"listen({r['listen_arg']}) with net.core.somaxconn={r['somaxconn']}: "
                 f"the kernel uses {r['effective']}; {r['capacity']} connections can wait "
                 f"un-accepted",
                 f"ss -lnt: Send-Q {r['ss_send_q']}, Recv-Q from 0 to {r['ss_recv_q_max']}"]
        lines += [f"note: {n}" for n in _notes(r, "en")]
        return "\n".join(lines)
    if r["mode"] == "sizing":
        lines = [f"waiting at the peak: {r['waiting']}; backlog {r['backlog']}; "
                 f"somaxconn {r['somaxconn']}",
                 f"listen({r['listen_arg']}): the kernel uses {r['effective']}; "
                 f"{r['capacity']} connections can wait un-accepted"]
        if r["short"]:
            lines.append(t("backlog.size.short", "en", waiting=r["waiting"], capacity=r["capacity"]))
        lines += [f"note: {n}" for n in _notes(r, "en")]
        return "\n".join([*lines, r["sysctl"], r["directive"]])
    lines = [f"{x['local']:<24} {x['queued']:>6}/{x['capacity']:<6} {x['fill']:>3}% {x['level']}"
             for x in r["listeners"]]
    lines += [t(x["key"], "en", **x["params"]) for x in r["readings"]]
    return "\n".join(lines)


EXAMPLES = (
    # The page: nginx's 511 on a RHEL 7 kernel, where somaxconn is still 128.
    Example({"server": "nginx", "kernel": "3.10.0-1160.el7.x86_64", "rate": "2000",
             "accept_ms": "100", "ss": SAMPLE_SS, "counters": SAMPLE_COUNTERS},
            expect={"effective": 128, "capacity": 129, "somaxconn_from": "kernel"}, page=True),
    Example({"server": "nginx", "kernel": "3.10.0-1160.el7.x86_64"},
            expect={"effective": 128, "capacity": 129}, preset="rhel7_nginx"),
    Example({"server": "nginx", "kernel": "5.14.0-362.el9.x86_64"},
            expect={"effective": 511, "capacity": 512}, preset="rhel9_nginx"),
    Example({"server": "redis", "kernel": "4.18.0-553.el8_10.x86_64"},
            expect={"effective": 128, "capacity": 129}, preset="rhel8_redis"),
    Example({"backlog": "128", "somaxconn": "4096"}, expect={"effective": 128, "capacity": 129}),
    Example({"backlog": "-1", "kernel": "6.1.0-13-amd64"}, expect={"effective": 4096}),
    Example({"backlog": "1000", "somaxconn": "512"}, expect={"effective": 512, "capacity": 513}),
    Example({"backlog": "1000"}, expect={"effective": 1000, "somaxconn_from": "assumed"}),
    Example({"server": "Go", "kernel": "5.4"}, expect={"server": "go", "effective": 4096}),
    Example({"mode": "sizing", "rate": "2000", "accept_ms": "100"},
            expect={"backlog": 511, "somaxconn": 4096}, preset="sizing"),
    Example({"mode": "sizing", "burst": "5000"}, expect={"backlog": 16383, "somaxconn": 16383},
            shows=("net.core.somaxconn = 16383",)),
    Example({"mode": "sizing", "rate": "２０００．５", "accept_ms": "100", "server": "nginx"},
            expect={"rate": 2000.5}, shows=("listen 80 backlog=",)),
    Example({"mode": "diagnose", "ss": SAMPLE_SS, "counters": SAMPLE_COUNTERS},
            expect={"full": 1}),
    Example({"mode": "diagnose", "ss": "State Recv-Q Send-Q Local Address:Port Peer Address:Port\n"
             "LISTEN 1024 1023 0.0.0.0:443 0.0.0.0:*\nLISTEN 900 1023 0.0.0.0:80 0.0.0.0:*\n"},
            expect={"full": 1}),
    # What the runtime passes, not the number configured (tests/test_backlog_runtimes.py).
    Example({"server": "node", "backlog": "0", "somaxconn": "4096"},
            expect={"listen_arg": 511, "effective": 511}),
    Example({"server": "java", "backlog": "-1"}, expect={"listen_arg": 50, "effective": 50}),
    Example({"server": "nginx", "backlog": "4294967295"},
            expect={"refused": "backlog.rt.nginx_invalid", "effective": None}),
    Example({"mode": "sizing", "burst": "100000", "server": "nginx",
             "kernel": "3.10.0-1160.el7.x86_64"},
            expect={"somaxconn": 65535, "effective": 65535, "short": True}),
    Example({"mode": "diagnose", "ss": SAMPLE_SS, "counters": "#kernel\n"},
            expect={"counters_from": "nstat_empty"}),
    Example({"backlog": "lots"}, error="not_integer", field="backlog"),
    Example({"backlog": "³"}, error="not_ascii_digit", field="backlog"),
    Example({"somaxconn": "9" * 5000}, error="out_of_range", field="somaxconn"),
    Example({}, error="empty", field="backlog"),
    Example({"kernel": "lots", "backlog": "1"}, error="backlog.bad_kernel", field="kernel"),
    Example({"mode": "sizing"}, error="empty", field="rate"),
    Example({"mode": "sizing", "rate": "0.5.5", "accept_ms": "1"}, error="not_positive_number",
            field="rate"),
    Example({"mode": "diagnose", "ss": "Netid State\nnothing here"}, error="backlog.no_listeners",
            field="ss"),
    Example({"mode": "diagnose", "ss": SAMPLE_SS, "counters": "hello"}, error="backlog.no_counters",
            field="counters"),
)
CALCULATOR = Calculator("backlog", FIELDS, compute, render, text, EXAMPLES)
