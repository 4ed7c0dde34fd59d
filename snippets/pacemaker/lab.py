# %% [markdown] lang="en"
# # Pacemaker lab: failover tables and quorum
#
# This notebook uses the `opsnotes` models (`opsnotes.pacemaker`), the same code the
# site's calculators run and the tests compare with `crm_simulate` (placement and
# scores) and with a real corosync (quorum). It needs no cluster and no root:
# `pip install -e .` in the repository, or `PYTHONPATH=src`.
#
# First, the N+1 layout of the tutorial: two services with a home node each and
# node3 as the spare. For every combination of failed nodes, where does each
# service run? Nothing is running yet in each row (a cold start), so stickiness
# plays no part.

# %% [markdown] lang="zh"
# # Pacemaker 实验：故障转移表与仲裁
#
# 本笔记本使用 `opsnotes` 的模型（`opsnotes.pacemaker`）。网站上的计算器跑的就是这份代码，
# 测试也拿它和 `crm_simulate`（资源位置与分数）以及真实的 corosync（仲裁）做了比对。
# 运行它不需要集群，也不需要 root：在仓库里 `pip install -e .`，或者设置 `PYTHONPATH=src`。
#
# 先看教程里的 N+1 架构：两个服务各有自己的常驻节点，node3 是备机。
# 对每一种节点故障组合，每个服务会在哪里运行？每一行都是从零启动（还没有资源在运行），
# 所以资源粘性不起作用。

# %%
from itertools import product
from pathlib import Path

import matplotlib.pyplot as plt

from opsnotes.figures import setup, show
from opsnotes.pacemaker import quorum, scenario
from opsnotes.pacemaker.placement import place

ROOT = next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / "snippets").is_dir())
BASE = (ROOT / "snippets" / "pacemaker" / "n-plus-1.txt").read_text()


def n_plus_1(states):
    """The tutorial's scenario with the given node states and nothing running yet."""
    lines = []
    for line in BASE.splitlines():
        words = line.split()
        if words[:1] == ["node"]:
            line = f"node {words[1]} {states[words[1]]}"
        elif words[:1] == ["resource"]:
            line = f"resource {words[1]}"
        lines.append(line)
    return scenario.parse("\n".join(lines))


print(f"{'down':<14} {'svc-a':<8} {'svc-b':<8}")
for states in product(("online", "offline"), repeat=3):
    nodes = dict(zip(("node1", "node2", "node3"), states, strict=True))
    down = ", ".join(n for n, s in nodes.items() if s == "offline") or "none"
    down = "all" if down.count(",") == 2 else down
    result = place(n_plus_1(nodes))
    where = {g: result.placement[m] or "stopped" for g, m in (("svc-a", "ip-a"), ("svc-b", "ip-b"))}
    print(f"{down:<14} {where['svc-a']:<8} {where['svc-b']:<8}")

# %% [markdown] lang="en"
# The row "node1, node2" puts both services on the spare: the layout's known cost.
# Next, stickiness. svc-b has moved to the spare while node2 was down; node2 comes
# back. With the tutorial's `resource-stickiness=100`, each member of the group adds
# 100 on node3, so svc-b stays there (100 + 200 against 200). The sweep below
# shows the stickiness at which it stops moving back.

# %% [markdown] lang="zh"
# “node1, node2” 这一行两个服务都落到了备机上，这是该架构已知的代价。
# 接下来看资源粘性。node2 宕机期间 svc-b 迁到了备机，现在 node2 恢复了。
# 按教程设置的 `resource-stickiness=100`，组里每个成员都在 node3 上加 100 分，
# 所以 svc-b 留在原地（100 + 200 对 200）。下面逐个尝试粘性值，看从哪个值开始它不再迁回。

# %%
back = BASE.replace("node node2 offline", "node node2").replace("on=node2", "on=node3")
stays = []
for stick in range(0, 201, 10):
    text = back.replace("defaults stickiness=100", f"defaults stickiness={stick}")
    result = place(scenario.parse(text))
    stays.append(result.placement["ip-b"] == "node3")
first = next(s for s, ok in zip(range(0, 201, 10), stays, strict=True) if ok)
print("svc-b stays on node3 from stickiness", first)

# %% [markdown] lang="en"
# At 50 per resource the group's stickiness (100) plus the spare's score (100)
# equals the home preference (200); the tie goes to the node it runs on.
#
# Finally quorum: how many nodes may fail, one at a time, before the last partition
# loses quorum, with and without `last_man_standing` (and `auto_tie_breaker` for the
# last step, which corosync accepts with an odd number of nodes only together with
# `wait_for_all`)?

# %% [markdown] lang="zh"
# 每个资源粘性为 50 时，组的粘性（100）加上备机的分数（100）正好等于常驻节点的偏好（200）；
# 分数相同时，资源留在当前运行的节点上。
#
# 最后看仲裁：节点一个接一个地故障，最多能坏几个，剩下的分区才会失去仲裁？
# 分别比较默认设置、`last_man_standing`，以及再加上 `auto_tie_breaker`（负责最后一步；
# 节点数为奇数时，corosync 要求同时开启 `wait_for_all` 才接受这个组合）。

# %%
sizes = range(2, 9)
variants = {
    "default": {},
    "last_man_standing": {"last_man_standing": True},
    "lms + atb + wait_for_all": {"last_man_standing": True, "auto_tie_breaker": True,
                                 "wait_for_all": True},
}
tolerated = {}
for name, options in variants.items():
    tolerated[name] = []
    for n in sizes:
        survive = 0
        for k in range(1, n + 1):
            failed = list(range(n - k + 1, n + 1))
            up = [i for i in range(1, n + 1) if i not in failed]
            r = quorum.evaluate([1] * n, failed, [up] if up else [], quorum.Options(**options))
            if not r["quorate"]:
                break
            survive = k
        tolerated[name].append(survive)
    print(f"{name:<24}", tolerated[name])

# %% lang="en"
WORDS = {
    "x": "nodes in the cluster", "y": "nodes that may fail one at a time",
    "title": "Failures a cluster survives with quorum (votequorum model)",
    "alt": "Grouped bars for clusters of {first} to {last} nodes: how many nodes may fail one "
           "at a time while the remaining partition keeps quorum. Default: {default}. "
           "last_man_standing: {lms}. last_man_standing with auto_tie_breaker and wait_for_all: {atb}.",
}

# %% lang="zh"
WORDS = {
    "x": "集群节点数", "y": "可以逐个故障的节点数",
    "title": "集群在保有仲裁的前提下能承受的故障数（votequorum 模型）",
    "alt": "{first} 到 {last} 个节点的集群的分组柱状图：节点一个接一个故障时，"
           "剩下的分区保有仲裁的前提下最多能坏几个。默认设置：{default}。"
           "last_man_standing：{lms}。last_man_standing 加 auto_tie_breaker 和 wait_for_all：{atb}。",
}

# %%
setup()
fig, ax = plt.subplots(figsize=(6.5, 3.8))
for offset, (name, values) in zip((-0.25, 0, 0.25), tolerated.items(), strict=True):
    ax.bar([n + offset for n in sizes], values, width=0.25, label=name)
ax.set_xlabel(WORDS["x"])
ax.set_ylabel(WORDS["y"])
ax.set_title(WORDS["title"])
ax.legend()
fig.tight_layout()
counts = {key: ", ".join(map(str, values)) for key, values in zip(("default", "lms", "atb"),
                                                                    tolerated.values(), strict=True)}
show(fig, WORDS["alt"].format(first=sizes[0], last=sizes[-1], **counts))
