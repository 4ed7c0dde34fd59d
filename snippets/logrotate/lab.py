# %% [markdown] lang="en"
# # logrotate lab
#
# logrotate's work is a few system calls: rename, create, copy, truncate, gzip, unlink.
# This notebook makes those calls itself, in a temporary directory, while a descriptor
# opened like a log writer's stays open, and checks that the `opsnotes` model
# (`opsnotes.logrotate.simulate`) puts every line where the kernel did. It needs no root
# and no logrotate: the tests run the real logrotate (see the article). Then it draws
# the timelines: where each numbered line lands, for every way of rotating.

# %% [markdown] lang="zh"
# # logrotate 实验
#
# logrotate 做的事其实就是几个系统调用：改名、新建、复制、截断、压缩、删除。
# 这个笔记本在临时目录里亲自调用它们，同时像日志程序那样保持一个打开的描述符，
# 再检查 `opsnotes` 的模型（`opsnotes.logrotate.simulate`）算出的每一行的去向
# 是否与内核的结果一致。它不需要 root，也不需要 logrotate：真实 logrotate 的对比在测试里做
# （见正文）。最后画出时间线：每种轮转方式下，每个编号行落在哪里。

# %%
import os
import shutil
import tempfile

import matplotlib.pyplot as plt

from opsnotes import logrotate as lr
from opsnotes.figures import setup, show


def line(n):
    return f"{n:06d}\n".encode()


def replay(mode, writer):
    """Write line 1, rotate by hand like logrotate, write line 2."""
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "app.log")
        flags = os.O_WRONLY | os.O_CREAT
        if writer == "append":
            flags |= os.O_APPEND
        fd = os.open(log, flags, 0o644)
        os.write(fd, line(1))
        if mode in ("create", "nocreate"):
            os.rename(log, log + ".1")
            if mode == "create":
                new = os.O_CREAT | os.O_EXCL | os.O_WRONLY
                os.close(os.open(log, new, 0o600))
        else:
            shutil.copyfile(log, log + ".1")
            if mode == "copytruncate":
                os.truncate(log, 0)
        os.write(fd, line(2))
        os.close(fd)
        found = {}
        for name in sorted(os.listdir(d)):
            data = open(os.path.join(d, name), "rb").read()
            for n in (1, 2):
                if line(n) in data:
                    found.setdefault(n, []).append(name)
            if b"\0" in data:
                found.setdefault("nul", []).append(name)
        return found


def status(files):
    if not files:
        return "lost"
    if len(files) > 1:
        return "duplicated"
    return "new" if files[0] == "app.log" else "rotated"


yn = {True: "yes", False: "no"}
print("kernel / model")
print(f"{'way':12} {'writer':6} {'line 1':>21} {'line 2':>15} NUL")
for mode in lr.MODES:
    for writer in ("append", "offset"):
        real = replay(mode, writer)
        model = lr.simulate(lr.Config(mode=mode, writer=writer, rotate=1))
        before = model["lines"][0]["status"]
        after = model["lines_after_rotation_go_to"]
        k1, k2 = status(real.get(1, [])), status(real.get(2, []))
        nul = model["may_leave_nul_bytes"]
        print(f"{mode:12} {writer:6} {k1 + '/' + before:>21}",
              f"{k2 + '/' + after:>15} {yn['nul' in real]}/{yn[nul]}")
        assert (k1, k2) == (before, after), (mode, writer)
        assert ("nul" in real) == model["may_leave_nul_bytes"]
print("kernel and model agree")

# %% [markdown] lang="en"
# Line 1 is written before the rotation, line 2 after it, through the same descriptor.
# With `create` and `nocreate` the descriptor follows the inode to `app.log.1`; with
# `copy` line 1 is in both files; with `copytruncate` and no `O_APPEND` line 2 lands
# after a hole of NUL bytes. (Here nothing writes between the copy and the truncate,
# so nothing is lost; the tests widen that window with strace.)
#
# The picture below is the model's timeline for a writer that reopens on SIGHUP, with
# `compress` and a postrotate that sends the signal: one numbered line in every gap
# between two of logrotate's steps, over two rotations.

# %% [markdown] lang="zh"
# 第 1 行写在轮转之前，第 2 行写在轮转之后，用的是同一个描述符。
# 用 `create` 和 `nocreate` 时，描述符跟着 inode 到了 `app.log.1`；用 `copy` 时，第 1 行
# 在两个文件里都有；用 `copytruncate` 且不带 `O_APPEND` 时，第 2 行落在一段 NUL 字节空洞之后。
# （这里复制和截断之间没有写入，所以没有丢行；测试里用 strace 把这个窗口拉长来验证。）
#
# 下图是模型给出的时间线：写入程序收到 SIGHUP 会重新打开，配置里有 `compress`，
# postrotate 会发信号；logrotate 每两步之间写一行，共轮转两次。

# %%
COLORS = {"rotated": "#1f77b4", "new": "#2ca02c", "lost": "#d62728",
          "duplicated": "#9467bd", "removed": "#7f7f7f", "backup": "#ff7f0e"}
ROWS = ["new", "rotated", "duplicated", "backup", "lost", "removed"]

# %% lang="en"
WORDS = {
    "rows": {"new": "new", "rotated": "rotated", "duplicated": "duplicated", "backup": "backup",
             "lost": "lost", "removed": "removed"},
    "panel": "{mode} + reopen, compress, SIGHUP",
    "title": "Where each numbered line lands\n(x: rotation, and the step after which it was written)",
    "alt": "Four panels, one per method, for a writer that reopens its log on SIGHUP, with "
           "compress, over two rotations: each numbered line is a dot in the row of the file "
           "it ends up in. {summary}.",
    "count": "{mode}: {counts}", "lines": "{n} {where}",
}

# %% lang="zh"
WORDS = {
    "rows": {"new": "新文件", "rotated": "已轮转", "duplicated": "重复", "backup": "备份",
             "lost": "丢失", "removed": "已删除"},
    "panel": "{mode} + 重新打开、compress、SIGHUP",
    "title": "每一行最后落在哪里\n（横轴：第几次轮转，以及这一行写在哪一步之后）",
    "alt": "四个子图，每种方式一个；写入程序收到 SIGHUP 会重新打开日志，配置了 compress，"
           "共轮转两次：每个编号的行是一个点，画在它最后所在文件的那一行。{summary}。",
    "count": "{mode}：{counts}", "lines": "{where} {n} 行",
}

# %%
setup()
# one panel under the other: four side by side would be unreadable on a phone
fig, axes = plt.subplots(4, 1, figsize=(7, 12), sharey=True)
summary = []
for ax, mode in zip(axes.flat, lr.MODES, strict=True):
    cfg = lr.Config(mode=mode, writer="reopen", compress=True, signal=True,
                    rotate=2, rotations=2)
    result = lr.simulate(cfg)
    for item in result["lines"]:
        where = item["status"]
        ax.scatter(item["line"], ROWS.index(where), color=COLORS[where], s=60,
                   marker="s" if item["nul_before"] else "o")
    labels = [f"{x['rotation']}:{x['phase'].replace('after-', '')}"
              for x in result["lines"]]
    ax.set_xticks(range(1, len(labels) + 1))
    ax.set_xticklabels(labels, rotation=70, fontsize=7)
    ax.set_title(WORDS["panel"].format(mode=mode), fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    where = [item["status"] for item in result["lines"]]
    counts = ", ".join(WORDS["lines"].format(n=where.count(row), where=WORDS["rows"][row])
                       for row in ROWS if row in where)
    summary.append(WORDS["count"].format(mode=mode, counts=counts))
axes[0].set_yticks(range(len(ROWS)))
axes[0].set_yticklabels([WORDS["rows"][row] for row in ROWS])
fig.suptitle(WORDS["title"])
fig.tight_layout()
show(fig, WORDS["alt"].format(summary="; ".join(summary)))
