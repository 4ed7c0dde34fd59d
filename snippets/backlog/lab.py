# %% [markdown] lang="en"
# # listen() backlog lab
#
# What happens to a burst of connections that arrives while the application is not
# calling `accept()`? This notebook simulates one listener, second by second, with the
# kernel's rules from the `opsnotes` model (`opsnotes.backlog.effective_limit`): the
# accept queue holds backlog + 1, and a SYN that finds it full is dropped and retried by
# the client after 1 s, 3 s and 7 s (a client on Linux before 6.5, such as RHEL or
# Debian 12; from 6.5 after 1, 2 and 3 s). The tests check these rules against the real
# kernel; this notebook needs no root and no network (`PYTHONPATH=src` or `pip install -e .`).

# %% [markdown] lang="zh"
# # backlog 实验
#
# 应用没在调用 `accept()` 的时候，一波突发连接涌进来，会发生什么？
# 这个笔记本按毫秒模拟一个监听套接字，规则取自 `opsnotes` 的模型
# （`opsnotes.backlog.effective_limit`）：全连接队列容纳 backlog + 1 个连接，
# 碰上队列已满的 SYN 会被丢弃，客户端在 1 s、3 s、7 s 后重传
# （Linux 6.5 之前的客户端，例如 RHEL 或 Debian 12；6.5 起为 1、2、3 秒）。
# 这些规则已由测试在真实内核上核对；本笔记本不需要 root，也不需要网络
# （设置 `PYTHONPATH=src` 或 `pip install -e .` 即可）。

# %%
import matplotlib.pyplot as plt

from opsnotes.backlog import effective_limit, parse_kernel, syn_schedule
from opsnotes.figures import setup, show

# When a client on Linux before 6.5 resends its SYN, counted from the first try
RETRIES_MS = tuple(round(1000 * t) for t in syn_schedule(parse_kernel("6.1")).sends[1:4])


def simulate(backlog, somaxconn, burst=400, burst_ms=100, stall_ms=300, accept_per_ms=2,
             horizon_ms=9000):
    """Queue length per millisecond, and how long each client's connect() took (None: gave up)."""
    capacity = effective_limit(backlog, somaxconn).capacity
    syns = {}  # millisecond -> [(client, attempt)]
    first = {}
    for client in range(burst):
        first[client] = client * burst_ms // burst
        syns.setdefault(first[client], []).append((client, 0))
    waited, queue, occupancy = {}, 0, []
    for now in range(horizon_ms):
        for client, attempt in syns.pop(now, []):
            if queue < capacity:
                queue += 1
                waited[client] = now - first[client]
            elif attempt < len(RETRIES_MS):
                retry = first[client] + RETRIES_MS[attempt]
                syns.setdefault(retry, []).append((client, attempt + 1))
        if now >= stall_ms:
            queue = max(0, queue - accept_per_ms)
        occupancy.append(queue)
    return occupancy, [waited.get(c) for c in range(burst)]


runs = {b: simulate(b, 4096) for b in (128, 511)}
for b, (occ, delays) in runs.items():
    waits = [d for d in delays if d is not None]
    print(f"backlog {b:4}: peak queue {max(occ):4}, connected {len(waits)}/400, "
          f"slowest connect() {max(waits)} ms")

# %% [markdown] lang="en"
# With backlog 128 the queue holds 129 connections: the rest of the 400-connection burst
# is dropped. Those clients wait a second for their SYN retransmission, and the ones that
# meet a full queue again wait three, although the application stalled for only 300 ms.
# With 511 the whole burst fits: every connect() returns at once, and the connections
# wait in the queue until the application
# resumes. The upper plot shows the queue over time (the second peak at 1 s is the
# retransmitted SYNs); the lower one how long each client's connect() took.

# %% [markdown] lang="zh"
# backlog 为 128 时队列只能容纳 129 个连接，400 个突发连接中其余的都被丢弃，
# 这些客户端要等一秒，重传的 SYN 才能进来；重传时又碰上满队列的，要等三秒——
# 而应用只停顿了 300 毫秒。
# backlog 为 511 时整波突发都装得下：每个 connect() 都立即返回，
# 连接在队列里等到应用恢复为止。上图是队列长度随时间的变化（1 s 处的第二个峰就是重传的 SYN），
# 下图是每个客户端的 connect() 花了多久。

# %% lang="en"
WORDS = {
    "time": "time (ms)", "waiting": "connections waiting for accept()",
    "queue": "Accept queue during a 400-connection burst", "took": "connect() took (ms)",
    "connected": "clients connected", "within": "Clients connected within a given time",
    "alt": "Two line charts for backlog 128 and 511. Top: connections waiting in the accept "
           "queue over time; with 511 the whole burst of 400 waits, with 128 the queue stops "
           "at 129 and a smaller second peak at about 1 s is the dropped clients' resent SYNs. "
           "Bottom: how long each client's connect() took: with 511 all {burst} at once; with "
           "128, {waits}.",
    "wait": "{n} after {ms} ms",
}

# %% lang="zh"
WORDS = {
    "time": "时间（毫秒）", "waiting": "等待 accept() 的连接数",
    "queue": "400 个连接突发期间的全连接队列", "took": "connect() 耗时（毫秒）",
    "connected": "已连上的客户端数", "within": "在给定时间内连上的客户端",
    "alt": "backlog 为 128 和 511 时的两张折线图。上图：全连接队列里等待的连接数随时间的变化；"
           "backlog 511 时 400 个突发连接全部在队列里等待，128 时队列停在 129，"
           "约 1 秒处较小的第二个峰是被丢弃的客户端重传的 SYN。"
           "下图：每个客户端的 connect() 花了多久：backlog 511 时 {burst} 个全部立即连上；128 时{waits}。",
    "wait": "{n} 个在 {ms} 毫秒后",
}

# %%
setup()
# one above the other: side by side, each would be half a phone's width
fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(7, 7))
for b, (occ, delays) in runs.items():
    ax1.plot(range(len(occ[:4000])), occ[:4000], label=f"backlog {b}")
    waits = sorted(d for d in delays if d is not None)
    ax2.plot(waits, range(1, len(waits) + 1), label=f"backlog {b}", drawstyle="steps-post")
ax1.set_xlabel(WORDS["time"])
ax1.set_ylabel(WORDS["waiting"])
ax1.set_title(WORDS["queue"])
ax1.legend()
ax2.set_xlabel(WORDS["took"])
ax2.set_ylabel(WORDS["connected"])
ax2.set_title(WORDS["within"])
ax2.legend()
fig.tight_layout()
late = sorted(d for d in runs[128][1] if d is not None)
waits = ", ".join(WORDS["wait"].format(n=late.count(ms), ms=ms) for ms in sorted(set(late)))
show(fig, WORDS["alt"].format(burst=len(runs[511][1]), waits=waits))
