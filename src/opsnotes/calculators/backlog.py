"""The listen() backlog calculator: effective limit, sizing, and diagnosis of pasted `ss -lnt`.

One calculator with a mode, so that `python -m opsnotes backlog` covers all three; the page
shows only the fields of the chosen mode (opsnotes.css).
"""

from __future__ import annotations

import argparse
import shlex
from typing import Any

from opsnotes import backlog as model
from opsnotes.calculators.form import Calculator, Cli, Field, blame, esc
from opsnotes.errors import OpsnotesError
from opsnotes.i18n import t

MODES = ("effective", "sizing", "diagnose")
SERVERS = ("custom", *model.DEFAULTS)
SAMPLE_SS = """State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process
LISTEN 0      4096         0.0.0.0:22         0.0.0.0:*
LISTEN 129    128          0.0.0.0:80         0.0.0.0:*
LISTEN 0      511        127.0.0.1:6379       0.0.0.0:*"""
SAMPLE_COUNTERS = """#kernel
TcpExtListenOverflows           3127               0.0
TcpExtListenDrops               3127               0.0"""

def _in_modes(*modes: str) -> tuple[str, tuple[str, ...]]:
    """Show a field only in these modes of the one form."""
    return ("backlog_mode", modes)


FIELDS = (
    Field("backlog_mode", "select", "effective", options=MODES),
    Field("backlog_server", "select", "nginx", options=SERVERS, when=_in_modes("effective", "sizing")),
    Field("backlog", "text", "", placeholder="511", when=_in_modes("effective")),
    Field("somaxconn", "text", "", placeholder="4096", when=_in_modes("effective")),
    Field("backlog_kernel", "text", "3.10.0-1160.el7.x86_64", placeholder="6.1.0-13-amd64",
          when=_in_modes("effective", "sizing")),
    Field("backlog_rate", "text", "2000", placeholder="2000", when=_in_modes("sizing")),
    Field("backlog_accept_ms", "text", "100", placeholder="100", when=_in_modes("sizing")),
    Field("backlog_burst", "text", "", placeholder="5000", when=_in_modes("sizing")),
    Field("backlog_ss", "textarea", SAMPLE_SS, when=_in_modes("diagnose")),
    Field("backlog_counters", "textarea", SAMPLE_COUNTERS, when=_in_modes("diagnose")),
)

# How to ask for N in each server's own configuration.
DIRECTIVES = {
    "custom": "listen(fd, {n});",
    "nginx": "listen 80 backlog={n};",
    "httpd": "ListenBacklog {n}",
    "node": "server.listen({{ port: 80, backlog: {n} }});",
    "redis": "tcp-backlog {n}",
    "gunicorn": "gunicorn --backlog {n} app:app",
    "python_socket": "sock.listen({n})",
    "asyncio": "await asyncio.start_server(handle, port=80, backlog={n})",
    "java": "new ServerSocket(80, {n});",
    "tomcat": '<Connector port="8080" acceptCount="{n}" />',
    "go": "# Go passes net.core.somaxconn itself: raise the sysctl",
    "systemd": "Backlog={n}",
}


def _optional(value: str) -> bool:
    return bool(value.strip())


def _kernel(p: dict[str, Any]) -> model.Kernel | None:
    with blame("backlog_kernel"):
        return model.parse_kernel(p["backlog_kernel"]) if _optional(p["backlog_kernel"]) else None


def _somaxconn(p: dict[str, Any], kernel: model.Kernel | None) -> tuple[int, str]:
    """The sysctl's value and where it came from (typed, the kernel's default, or assumed)."""
    if _optional(p["somaxconn"]):
        with blame("somaxconn"):
            return model.parse_count(p["somaxconn"], "somaxconn", maximum=model.INT_MAX), "given"
    if kernel is not None:
        return model.default_somaxconn(kernel), "kernel"
    return model.SOMAXCONN_NEW, "assumed"


def _requested(p: dict[str, Any], somaxconn: int) -> tuple[int, str]:
    server = p["backlog_server"]
    if _optional(p["backlog"]):
        with blame("backlog"):
            return model.parse_count(p["backlog"], "backlog", allow_negative=True), "given"
    if server == "custom":
        with blame("backlog"):
            raise OpsnotesError("empty", field="backlog")
    default = model.DEFAULTS[server]
    return (somaxconn if default == "somaxconn" else int(default)), "server"


def compute_effective(p: dict[str, Any]) -> dict[str, Any]:
    kernel = _kernel(p)
    somaxconn, source = _somaxconn(p, kernel)
    requested, how = _requested(p, somaxconn)
    limit = model.effective_limit(requested, somaxconn, kernel)
    notes = list(limit.notes)
    if source == "assumed":
        notes.insert(0, "backlog.note.assumed")
    return {"mode": "effective", "server": p["backlog_server"], "requested_from": how,
            "backlog": requested, "listen_arg": limit.requested, "somaxconn": somaxconn,
            "somaxconn_from": source, "kernel": kernel.text if kernel else None,
            "effective": limit.effective, "capacity": limit.capacity,
            "ss_send_q": limit.effective, "ss_recv_q_max": limit.capacity, "notes": notes}


def compute_sizing(p: dict[str, Any]) -> dict[str, Any]:
    kernel = _kernel(p)
    rate = accept_ms = burst = None
    if _optional(p["backlog_burst"]):
        with blame("backlog_burst"):
            burst = model.parse_count(p["backlog_burst"], "backlog_burst", minimum=1,
                                      maximum=model.INT_MAX)
    if _optional(p["backlog_rate"]) or _optional(p["backlog_accept_ms"]) or burst is None:
        with blame("backlog_rate"):
            rate = model.parse_rate(p["backlog_rate"], "backlog_rate", 10_000_000)
        with blame("backlog_accept_ms"):
            accept_ms = model.parse_rate(p["backlog_accept_ms"], "backlog_accept_ms", 600_000)
    s = model.size_backlog(rate, accept_ms, burst)
    little = model.size_backlog(rate, accept_ms, None).needed if rate is not None else None
    floor = model.default_somaxconn(kernel) if kernel else model.SOMAXCONN_NEW
    somaxconn = max(s.somaxconn, floor)
    server = p["backlog_server"]
    directive = DIRECTIVES[server].format(n=s.backlog)
    sysctl = (f"# /etc/sysctl.d/90-backlog.conf (load: sysctl --system)\n"
              f"net.core.somaxconn = {somaxconn}")
    return {"mode": "sizing", "server": server, "rate": rate, "accept_ms": accept_ms,
            "burst": burst, "little": little, "waiting": s.needed, "backlog": s.backlog,
            "somaxconn": somaxconn,
            "kernel": kernel.text if kernel else None, "effective": s.backlog,
            "capacity": s.backlog + 1, "directive": directive, "sysctl": sysctl}


def compute_diagnose(p: dict[str, Any]) -> dict[str, Any]:
    with blame("backlog_ss"):
        listeners, skipped = model.parse_ss(p["backlog_ss"])
    with blame("backlog_counters"):
        counters = model.parse_counters(p["backlog_counters"])
    rows = [{"local": x.local, "queued": x.queued, "limit": x.limit, "capacity": x.capacity,
             "fill": round(100 * x.fill), "level": x.level, "process": x.process}
            for x in listeners]
    readings = [{"key": k, "params": v} for k, v in model.read_counters(counters)]
    return {"mode": "diagnose", "listeners": rows, "skipped": skipped, "counters": counters,
            "readings": readings, "full": sum(r["level"] == "full" for r in rows)}


def compute(p: dict[str, Any]) -> dict[str, Any]:
    return {"effective": compute_effective, "sizing": compute_sizing,
            "diagnose": compute_diagnose}[p["backlog_mode"]](p)


def _li(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>" if items else ""


def _dl(pairs: list[tuple[str, str]]) -> str:
    body = "".join(f"<dt>{esc(k)}</dt><dd><code>{esc(v)}</code></dd>" for k, v in pairs)
    return f'<dl class="opsnotes-calc__forms">{body}</dl>'


def _server_name(server: str, lang: str) -> str:
    return t(f"backlog_server.{server}", lang)


def render_effective(r: dict[str, Any], lang: str) -> str:
    asked = (t("backlog.asked.server", lang, server=_server_name(r["server"], lang), n=r["backlog"])
             if r["requested_from"] == "server" else t("backlog.asked.given", lang, n=r["backlog"]))
    source = t(f"backlog.somaxconn_from.{r['somaxconn_from']}", lang, n=r["somaxconn"],
               kernel=r["kernel"] or "")
    notes = [t(n, lang, n=r["backlog"], arg=r["listen_arg"], somaxconn=r["somaxconn"],
               effective=r["effective"]) for n in r["notes"]]
    ss = f"State  Recv-Q Send-Q Local Address:Port Peer Address:Port\nLISTEN 0      {r['effective']} …"
    return (
        f'<p class="opsnotes-calc__headline"><strong>'
        f'{esc(t("backlog.headline", lang, effective=r["effective"], capacity=r["capacity"]))}'
        f'</strong></p>'
        + _dl([(t("backlog.asked", lang), asked), (t("backlog.somaxconn", lang), source),
               (t("backlog.effective", lang), str(r["effective"])),
               (t("backlog.capacity", lang), str(r["capacity"]))])
        + f'<p>{esc(t("backlog.ss_reads", lang, effective=r["effective"], capacity=r["capacity"]))}</p>'
        + f'<pre><code>{esc(ss)}</code></pre>'
        + (f'<p><strong>{esc(t("backlog.warnings", lang))}</strong></p>' + _li(notes) if notes else "")
    )


def render_sizing(r: dict[str, Any], lang: str) -> str:
    steps = []
    if r["rate"] is not None:
        steps.append(t("backlog.size.little", lang, rate=f"{r['rate']:g}", ms=f"{r['accept_ms']:g}",
                       n=r["little"]))
    if r["burst"] is not None:
        steps.append(t("backlog.size.burst", lang, n=r["burst"]))
    steps.append(t("backlog.size.headroom", lang, waiting=r["waiting"], backlog=r["backlog"]))
    steps.append(t("backlog.size.somaxconn", lang, backlog=r["backlog"], somaxconn=r["somaxconn"]))
    return (
        f'<p class="opsnotes-calc__headline"><strong>'
        f'{esc(t("backlog.size.headline", lang, backlog=r["backlog"], somaxconn=r["somaxconn"]))}'
        f'</strong></p>'
        f'<p><strong>{esc(t("backlog.size.why", lang))}</strong></p>' + _li(steps)
        + f'<p>{esc(t("backlog.size.sysctl", lang))}</p>'
        f'<pre><code class="language-ini">{esc(r["sysctl"])}</code></pre>'
        f'<p>{esc(t("backlog.size.directive", lang, server=_server_name(r["server"], lang)))}</p>'
        f'<pre><code>{esc(r["directive"])}</code></pre>'
    )


def render_diagnose(r: dict[str, Any], lang: str) -> str:
    head = "".join(f'<th scope="col">{esc(t(k, lang))}</th>' for k in
                   ("backlog.diag.local", "backlog.diag.queued", "backlog.diag.limit",
                    "backlog.diag.fill", "backlog.diag.level"))
    rows = "".join(
        f'<tr><th scope="row"><code>{esc(x["local"])}</code></th><td>{x["queued"]}</td>'
        f'<td>{x["limit"]}</td><td>{x["fill"]}%</td>'
        f'<td>{esc(t("backlog.level." + x["level"], lang))}</td></tr>' for x in r["listeners"])
    readings = [t(x["key"], lang, **x["params"]) for x in r["readings"]]
    if not r["counters"]:
        readings.append(t("backlog.read.none", lang))
    if r["skipped"]:
        readings.append(t("backlog.read.skipped", lang, n=r["skipped"]))
    return (
        f'<p class="opsnotes-calc__headline"><strong>'
        f'{esc(t("backlog.diag.headline", lang, n=len(r["listeners"]), full=r["full"]))}'
        f'</strong></p>'
        f'<table><caption>{esc(t("backlog.diag.caption", lang))}</caption>'
        f'<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        f'<p><strong>{esc(t("backlog.diag.counters", lang))}</strong></p>' + _li(readings)
    )


def render(r: dict[str, Any], lang: str) -> str:
    return {"effective": render_effective, "sizing": render_sizing,
            "diagnose": render_diagnose}[r["mode"]](r, lang)


# --- command line ---------------------------------------------------------------------------

def cli_arguments(p: Any) -> None:
    p.add_argument("--backlog", default="", help="the backlog passed to listen() (default: the "
                                                 "--server's default)")
    p.add_argument("--server", default="custom", choices=SERVERS,
                   help="take the backlog from this server's or runtime's default")
    p.add_argument("--somaxconn", default="", help="net.core.somaxconn (default: from --kernel)")
    p.add_argument("--kernel", default="", help="kernel release, e.g. 3.10.0-1160.el7.x86_64")
    p.add_argument("--rate", default="", help="sizing: peak new connections per second")
    p.add_argument("--accept-ms", default="", help="sizing: longest time (ms) the application "
                                                   "may take to accept")
    p.add_argument("--burst", default="", help="sizing: connections arriving at once")
    p.add_argument("--ss", type=argparse.FileType("r"), default=None,
                   help="diagnosis: a file with `ss -lnt` output (- for stdin)")
    p.add_argument("--counters", type=argparse.FileType("r"), default=None,
                   help="diagnosis: a file with `nstat -az` or `netstat -s` output")


def cli_params(a: Any) -> dict[str, Any]:
    if a.ss is not None or a.counters is not None:
        mode = "diagnose"
    elif a.rate or a.accept_ms or a.burst:
        mode = "sizing"
    else:
        mode = "effective"
    return {"backlog_mode": mode, "backlog_server": a.server, "backlog": a.backlog,
            "somaxconn": a.somaxconn, "backlog_kernel": a.kernel, "backlog_rate": a.rate,
            "backlog_accept_ms": a.accept_ms, "backlog_burst": a.burst,
            "backlog_ss": a.ss.read() if a.ss else "",
            "backlog_counters": a.counters.read() if a.counters else ""}


def cli_text(r: dict[str, Any], a: Any) -> str:
    if r["mode"] == "effective":
        lines = [f"listen({r['listen_arg']}) with net.core.somaxconn={r['somaxconn']}: "
                 f"the kernel uses {r['effective']}; {r['capacity']} connections can wait "
                 f"un-accepted",
                 f"ss -lnt: Send-Q {r['ss_send_q']}, Recv-Q from 0 to {r['ss_recv_q_max']}"]
        lines += [f"note: {t(n, 'en', n=r['backlog'], arg=r['listen_arg'], somaxconn=r['somaxconn'], effective=r['effective'])}"  # noqa: E501
                  for n in r["notes"]]
        return "\n".join(lines)
    if r["mode"] == "sizing":
        return (f"waiting at the peak: {r['waiting']}; backlog {r['backlog']}; "
                f"somaxconn {r['somaxconn']}\n{r['sysctl']}\n{r['directive']}")
    lines = [f"{x['local']:<24} {x['queued']:>6}/{x['capacity']:<6} {x['fill']:>3}% {x['level']}"
             for x in r["listeners"]]
    lines += [t(x["key"], "en", **x["params"]) for x in r["readings"]]
    return "\n".join(lines)


def cli_example(p: dict[str, Any]) -> str:
    args = ["python", "-m", "opsnotes", "backlog"]
    mode = p.get("backlog_mode")
    if p.get("backlog_server") not in (None, "custom"):
        args += ["--server", str(p["backlog_server"])]
    if mode == "diagnose":
        return shlex.join(args + ["--ss", "ss.txt", "--counters", "nstat.txt"])
    for key, flag in (("backlog_kernel", "--kernel"),) + (
            (("backlog_rate", "--rate"), ("backlog_accept_ms", "--accept-ms"),
             ("backlog_burst", "--burst")) if mode == "sizing" else
            (("backlog", "--backlog"), ("somaxconn", "--somaxconn"))):
        if str(p.get(key) or "").strip():
            args += [flag, str(p[key]).strip()]
    return shlex.join(args)


CLI = Cli("listen() backlog: effective limit, sizing (--rate/--burst), diagnosis (--ss)",
          cli_arguments, cli_params, cli_text, cli_example)
CALCULATOR = Calculator("backlog", FIELDS, compute, render, CLI)
