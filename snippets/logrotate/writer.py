"""A log writer for rotation experiments: numbered lines, one behaviour per KIND.

    python3 writer.py KIND FILE                  # step mode: commands on stdin
        w N   write N lines        h   act on a pending SIGHUP now        q   quit
        (each command is answered with "ok LAST_LINE_NUMBER")
    python3 writer.py KIND FILE --rate 200 --seconds 2 [--reopen-delay 0.3]

Every line is six digits and a newline, so a checker can find each one again.
"""

import os
import signal
import sys
import time

KINDS = {
    # kind: (flags for open(2), keeps the descriptor, reopens on SIGHUP)
    "append": (os.O_WRONLY | os.O_CREAT | os.O_APPEND, True, False),
    "offset": (os.O_WRONLY | os.O_CREAT, True, False),
    "reopen": (os.O_WRONLY | os.O_CREAT | os.O_APPEND, True, True),
    "reopen-offset": (os.O_WRONLY | os.O_CREAT, True, True),
    "per-write": (os.O_WRONLY | os.O_CREAT | os.O_APPEND, False, False),
}


class Writer:
    def __init__(self, kind: str, path: str) -> None:
        self.flags, self.keeps, self.reopens = KINDS[kind]
        self.path = path
        self.number = 0
        self.hup_at: float | None = None
        self.fd = self.open() if self.keeps else -1
        signal.signal(signal.SIGHUP, self.on_hup)

    def open(self) -> int:
        fd = os.open(self.path, self.flags, 0o666)
        os.lseek(fd, 0, os.SEEK_END)  # without O_APPEND only this first write is at the end
        return fd

    def on_hup(self, signum, frame) -> None:
        self.hup_at = time.monotonic()  # acted on outside the handler, like rsyslog

    def handle_hup(self, delay: float = 0.0) -> None:
        if self.hup_at is None or time.monotonic() - self.hup_at < delay:
            return
        self.hup_at = None
        if self.reopens:
            os.close(self.fd)
            self.fd = self.open()

    def write(self) -> None:
        self.number += 1
        line = f"{self.number:06d}\n".encode()
        if self.keeps:
            os.write(self.fd, line)
        else:
            fd = self.open()
            os.write(fd, line)
            os.close(fd)


def step_mode(w: Writer) -> None:
    for command in sys.stdin:
        word, *arg = command.split()
        if word == "w":
            for _ in range(int(arg[0]) if arg else 1):
                w.write()
        elif word == "h":
            w.handle_hup()
        if word == "q":
            break
        print("ok", w.number, flush=True)


def timed_mode(w: Writer, rate: float, seconds: float, reopen_delay: float) -> None:
    end = time.monotonic() + seconds  # bounded: never runs longer than asked
    while time.monotonic() < end:
        w.handle_hup(reopen_delay)
        w.write()
        time.sleep(1 / rate)
    print("wrote", w.number, flush=True)


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[0] not in KINDS:  # no (or foreign) arguments: show the kinds
        for kind, (flags, keeps, reopens) in KINDS.items():
            print(kind, bool(flags & os.O_APPEND), keeps, reopens)
            #> append True True False
            #> offset False True False
            #> reopen True True True
            #> reopen-offset False True True
            #> per-write True False False
        return
    w = Writer(argv[0], argv[1])
    opts = dict(zip(argv[2::2], map(float, argv[3::2]), strict=True))
    if "--rate" in opts:
        timed_mode(w, opts["--rate"], opts.get("--seconds", 1.0), opts.get("--reopen-delay", 0.0))
    else:
        step_mode(w)


if __name__ == "__main__":
    main(sys.argv[1:])
