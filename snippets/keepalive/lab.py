# %% [markdown] lang="en"
# # Keepalive lab: probe timelines
#
# This notebook draws when Linux sends keepalive probes to a peer that has vanished, and
# when it gives up, for a few settings people actually use. The times come from the
# `opsnotes` model (`opsnotes.keepalive.detect`), which the repository's tests check against
# the running kernel in network namespaces (`tests/test_keepalive_kernel.py`): in those runs
# the kernel was never early and at most about 0.13 s late. It needs the
# `opsnotes` package (`pip install -e .` in the repository, or `PYTHONPATH=src`); it needs
# neither root nor a network. Each setting below is a label, then the idle time, the
# interval, the count and `TCP_USER_TIMEOUT` in ms; `NAT` is the idle timeout of an AWS NAT
# gateway or Network Load Balancer, in seconds.

# %% [markdown] lang="zh"
# # keepalive 保活实验：探测时间线
#
# 这个笔记本画出对端消失之后，Linux 在什么时候发出保活探测、什么时候放弃，
# 用的是几组实际常见的设置。时间来自 `opsnotes` 的模型（`opsnotes.keepalive.detect`），
# 仓库里的测试（`tests/test_keepalive_kernel.py`）会在网络命名空间里拿它和正在运行的内核对照：
# 内核从来没有提前，最多晚约 0.13 秒。
# 运行前需要能导入 `opsnotes`（在仓库里 `pip install -e .`，或者设置 `PYTHONPATH=src`）；
# 不需要 root，也不需要联网。下面每组设置依次是名称、空闲时间、探测间隔、探测次数和
# `TCP_USER_TIMEOUT`（毫秒）；`NAT` 是 AWS NAT 网关或网络负载均衡器的空闲超时（秒）。

# %%
import matplotlib.pyplot as plt

from opsnotes.figures import setup, show
from opsnotes.keepalive import detect, middlebox_survives

CONFIGS = [
    ("Linux defaults", 7200, 75, 9, 0),
    ("300 s / 30 s / 4", 300, 30, 4, 0),
    ("Redis tcp-keepalive 300", 300, 100, 3, 0),
    ("Node.js setKeepAlive(600000)", 600, 1, 10, 0),
    ("1 s / 1 s / 5, user timeout 2500 ms", 1, 1, 5, 2500),
]
NAT = 350

print(f"{'setting':38} {'probes':>6} {'dead after':>11}  survives a {NAT} s NAT")
for label, idle, intvl, cnt, ut in CONFIGS:
    d = detect(idle, intvl, cnt, ut)
    print(f"{label:38} {d.probes:>6} {d.detect_seconds:>9} s  {middlebox_survives(idle, NAT)}")

# %% [markdown] lang="en"
# Each row below is one setting. Dots are probes that get no answer, the cross is the
# moment the kernel sends a reset and the application gets `ETIMEDOUT`. Time starts at the
# last segment received from the peer. Note the last row: with `TCP_USER_TIMEOUT` the
# kernel stops after 2 probes although the count is 5. The x axes differ: the Linux
# defaults take more than two hours.

# %% [markdown] lang="zh"
# 下面每一行是一组设置。圆点是没有应答的探测，叉号是内核发送 RST、
# 应用程序收到 `ETIMEDOUT` 的时刻。时间从最后一次收到对端报文算起。
# 注意最后一行：设置了 `TCP_USER_TIMEOUT` 之后，虽然次数是 5，内核发了 2 次探测就停了。
# 各行的横轴刻度不同：Linux 默认值要两个多小时。

# %% lang="en"
WORDS = {
    "probe": "unanswered probe", "nat": "{nat} s NAT forgets the flow",
    "title": "{label}: dead after {seconds} s", "x": "seconds since the last segment from the peer",
    "alt": "One timeline per setting, from the last segment received: dots for unanswered "
           "probes, a cross where the kernel gives up with ETIMEDOUT, and, on the rows idle "
           "longer than {nat} s, a dashed line where a NAT forgets the idle flow. The kernel "
           "gives up after: {summary}.",
    "after": "{label}, {seconds} s ({probes} probes)",
}

# %% lang="zh"
WORDS = {
    "probe": "没有应答的探测", "nat": "{nat} 秒时 NAT 忘掉这条流",
    "title": "{label}：{seconds} 秒后判定对端失联", "x": "距最后一次收到对端报文的秒数",
    "alt": "每组设置一条时间线，从最后一次收到对端报文算起：圆点是没有应答的探测，"
           "叉号是内核放弃、应用收到 ETIMEDOUT 的时刻；"
           "空闲时间超过 {nat} 秒的几行用虚线标出 NAT 忘掉这条空闲流的时刻。"
           "内核放弃的时刻：{summary}。",
    "after": "{label}，{seconds} 秒（探测 {probes} 次）",
}

# %%
setup()
fig, axes = plt.subplots(len(CONFIGS), 1, figsize=(8, 1.4 * len(CONFIGS)))
for ax, (label, idle, intvl, cnt, ut) in zip(axes, CONFIGS, strict=True):
    d = detect(idle, intvl, cnt, ut)
    probes = [idle + i * intvl for i in range(d.probes)]
    ax.hlines(0, 0, d.detect_seconds, color="0.6")
    ax.plot(probes, [0] * len(probes), "o", color="tab:blue", label=WORDS["probe"])
    ax.plot([d.detect_seconds], [0], "x", color="tab:red", markersize=10, label="ETIMEDOUT")
    if idle >= NAT:
        ax.axvline(NAT, color="tab:orange", linestyle="--", label=WORDS["nat"].format(nat=NAT))
    ax.set_yticks([])
    ax.set_title(WORDS["title"].format(label=label, seconds=d.detect_seconds), fontsize=9, loc="left")
    ax.set_xlim(-0.02 * d.detect_seconds, d.detect_seconds * 1.05)
axes[-1].set_xlabel(WORDS["x"])
axes[0].legend(loc="upper left", fontsize=7)
fig.tight_layout()
summary = "; ".join(WORDS["after"].format(label=label, seconds=d.detect_seconds, probes=d.probes)
                    for label, d in ((c[0], detect(*c[1:])) for c in CONFIGS))
show(fig, WORDS["alt"].format(nat=NAT, summary=summary))
