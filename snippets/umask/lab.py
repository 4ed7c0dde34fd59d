# %% [markdown] lang="en"
# # umask lab
#
# This notebook asks the running kernel which modes new files and directories get
# under common umasks, and checks that the `opsnotes` model (`opsnotes.umask.create`)
# predicts the same. It needs the `opsnotes` package (`pip install -e .` in the
# repository, or `PYTHONPATH=src`). Nothing outside a temporary directory is touched,
# and the umask of the notebook's process is restored after every cell.

# %% [markdown] lang="zh"
# # umask 实验
#
# 这个笔记本直接让正在运行的内核创建文件和目录，
# 看看在几种常见 umask 下它们的最终权限是多少，
# 再和 `opsnotes` 的模型（`opsnotes.umask.create`）算出来的结果对一对。
# 运行前需要能导入 `opsnotes`（在仓库里 `pip install -e .`，或者设置 `PYTHONPATH=src`）。
# 所有文件都建在临时目录里，每个单元格结束后都会把进程原来的 umask 恢复回去。

# %%
import os
import stat
import tempfile

import matplotlib.pyplot as plt

from opsnotes.figures import setup, show
from opsnotes.umask import create

UMASKS = [0o000, 0o002, 0o022, 0o027, 0o077, 0o033]


def kernel_modes(umask):
    """Create a file (open 0666) and a directory (mkdir 0777) under `umask`."""
    old = os.umask(umask)
    try:
        with tempfile.TemporaryDirectory() as d:
            f = os.path.join(d, "f")
            os.close(os.open(f, os.O_CREAT | os.O_WRONLY, 0o666))
            sub = os.path.join(d, "sub")
            os.mkdir(sub, 0o777)
            return stat.S_IMODE(os.stat(f).st_mode), stat.S_IMODE(os.stat(sub).st_mode)
    finally:
        os.umask(old)


rows = []
for u in UMASKS:
    k_file, k_dir = kernel_modes(u)
    m_file, m_dir = create(u, "file").mode, create(u, "dir").mode
    rows.append((u, k_file, m_file, k_dir, m_dir))

print(f"{'umask':>6} | {'file (kernel)':>13} {'file (model)':>13} | "
      f"{'dir (kernel)':>12} {'dir (model)':>12}")
for u, kf, mf, kd, md in rows:
    print(f"{u:04o}".rjust(6), "|",
          f"{kf:04o} {stat.filemode(stat.S_IFREG | kf)}".rjust(13),
          f"{mf:04o}".rjust(13), "|",
          f"{kd:04o} {stat.filemode(stat.S_IFDIR | kd)}".rjust(12),
          f"{md:04o}".rjust(12))
assert all(kf == mf and kd == md for _, kf, mf, kd, md in rows), "model and kernel disagree"
print("kernel and model agree for all", len(rows), "umasks")

# %% [markdown] lang="en"
# Note umask `0033`: subtracting digit by digit would give `0633` for a file, but
# the kernel gives `0644`, because the file never asked for execute bits and
# the umask can only clear bits that were requested (`0666 & ~0033`).
#
# The heat map below shows every possible group and other digit of a umask
# (owner digit 0) and the mode of a new file created with `0666`. The colour is
# the number of permission bits the file grants to group and others together.
# Rows 0 and 1, 2 and 3, and so on are identical: for ordinary files the execute
# bit of the umask makes no difference.

# %% [markdown] lang="zh"
# 注意 umask `0033` 这一行：按位逐个相减会得到 `0633`，内核给的却是 `0644`。
# 原因是文件本来就没有请求执行位，umask 只能清掉请求里已有的位
# （`0666 & ~0033`），不存在“多减”一说。
#
# 下面的热力图列出了 umask 组位和其他人位的全部 64 种组合（属主位固定为 0），
# 格子里写的是以 `0666` 新建的文件的最终权限，
# 颜色表示同组用户和其他人一共拿到几个权限位。
# 可以看到第 0 行和第 1 行、第 2 行和第 3 行……完全一样：
# 对普通文件来说，umask 里的执行位不起任何作用。

# %%
grid = [[0] * 8 for _ in range(8)]
labels = [[""] * 8 for _ in range(8)]
for g in range(8):
    for o in range(8):
        mode = create((g << 3) | o, "file").mode
        grid[g][o] = bin(mode & 0o077).count("1")
        labels[g][o] = f"{mode:03o}"

# %% lang="en"
WORDS = {
    "x": "umask digit for others (0o00X)", "y": "umask digit for group (0o0X0)",
    "title": "Mode of a new file (requested 0666)", "bar": "permission bits granted to group + others",
    "alt": "An 8 by 8 grid: the umask's group digit down, its others digit across, and in each "
           "cell the mode of a file created with 0666, from {first} (umask 000) to {last} "
           "(umask 077). Rows 0 and 1, 2 and 3, 4 and 5, 6 and 7 are identical, and so are "
           "the matching columns: the execute bit of a umask changes nothing for a file.",
}

# %% lang="zh"
WORDS = {
    "x": "umask 的其他人位（0o00X）", "y": "umask 的组位（0o0X0）",
    "title": "新文件的权限（请求 0666）", "bar": "同组用户和其他人拿到的权限位数",
    "alt": "8×8 的网格：纵向是 umask 的组位，横向是其他人位，每个格子是以 0666 新建的文件的权限，"
           "从 {first}（umask 000）到 {last}（umask 077）。第 0 和第 1 行、第 2 和第 3 行、"
           "第 4 和第 5 行、第 6 和第 7 行完全相同，对应的列也一样：对普通文件来说，umask 的执行位不起作用。",
}

# %%
setup()
fig, ax = plt.subplots(figsize=(6.5, 5.5))
image = ax.imshow(grid, cmap="viridis", origin="upper")
for g in range(8):
    for o in range(8):
        ax.text(o, g, labels[g][o], ha="center", va="center",
                color="white" if grid[g][o] < 2 else "black", fontsize=9)
ax.set_xticks(range(8))
ax.set_yticks(range(8))
ax.set_xlabel(WORDS["x"])
ax.set_ylabel(WORDS["y"])
ax.set_title(WORDS["title"])
fig.colorbar(image, ax=ax, label=WORDS["bar"])
fig.tight_layout()
same = all(labels[g] == labels[g + 1] for g in range(0, 8, 2))  # what the alt text says
assert same, labels
show(fig, WORDS["alt"].format(first=labels[0][0], last=labels[7][7]))
