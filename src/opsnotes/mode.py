"""File permission bits and the three ways people write them.

References: chmod(1), inode(7) ("The file type and mode"), ls(1) for the
s/S/t/T letters.
"""

from __future__ import annotations

S_ISUID = 0o4000
S_ISGID = 0o2000
S_ISVTX = 0o1000
PERM_BITS = 0o777
ALL_BITS = 0o7777

WHO = ("u", "g", "o")
WHO_SHIFT = {"u": 6, "g": 3, "o": 0}
PERM_LETTERS = ("r", "w", "x")
PERM_VALUE = {"r": 4, "w": 2, "x": 1}


def octal(mode: int) -> str:
    """Four octal digits, the way `umask` and `stat -c %#a` padding readers expect."""
    return f"{mode:04o}"


def bit_name(bit: int) -> tuple[str, str]:
    """(who, perm) for one of the nine rwx bits, e.g. 0o020 -> ("g", "w")."""
    for who, shift in WHO_SHIFT.items():
        for letter, value in PERM_VALUE.items():
            if bit == value << shift:
                return who, letter
    raise ValueError(f"not a single rwx bit: {bit:o}")


def symbolic(mode: int) -> str:
    """chmod-style symbolic form, e.g. 0o4750 -> "u=rwxs,g=rx,o=".

    The special bits are written as chmod(1) accepts them, so `chmod <this> f`
    reproduces the mode exactly.
    """
    parts = []
    for who in WHO:
        shift = WHO_SHIFT[who]
        letters = "".join(p for p in PERM_LETTERS if mode & (PERM_VALUE[p] << shift))
        if who == "u" and mode & S_ISUID:
            letters += "s"
        if who == "g" and mode & S_ISGID:
            letters += "s"
        if who == "o" and mode & S_ISVTX:
            letters += "t"
        parts.append(f"{who}={letters}")
    return ",".join(parts)


def umask_symbolic(umask: int) -> str:
    """What `umask -S` prints: the permissions the mask *allows*."""
    return symbolic(~umask & PERM_BITS)


def ls_l(mode: int, kind: str = "file") -> str:
    """The ten-character column of `ls -l`, with s/S and t/T as ls(1) prints them."""
    type_char = "d" if kind == "dir" else "-"
    out = [type_char]
    specials = {"u": (S_ISUID, "s"), "g": (S_ISGID, "s"), "o": (S_ISVTX, "t")}
    for who in WHO:
        shift = WHO_SHIFT[who]
        r = "r" if mode & (4 << shift) else "-"
        w = "w" if mode & (2 << shift) else "-"
        x_set = bool(mode & (1 << shift))
        special_bit, letter = specials[who]
        if mode & special_bit:
            x = letter if x_set else letter.upper()
        else:
            x = "x" if x_set else "-"
        out += [r, w, x]
    return "".join(out)


def stat_a(mode: int) -> str:
    """What GNU `stat -c %a` prints: octal without leading zeros."""
    return f"{mode:o}"
