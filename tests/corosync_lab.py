"""Real corosync clusters of up to five nodes, one network namespace per node, for the quorum tests.

    with Lab(tmp_path, votes=[1, 1, 2], options={"wait_for_all": 1}) as lab:
        lab.start([1, 2, 3]); lab.settle()
        lab.kill(3); lab.settle()
        lab.split([[1], [2]]); lab.settle()
        lab.quorumtool(1)  # {"Expected votes": "4", "Quorate": "No", "Flags": "...", ...}

Every node namespace has a veth whose other end sits in a hub namespace with three bridges;
moving a node's port to another bridge partitions the cluster without touching the node.
Many labs run at once (each has its own hub: the same addresses in every lab). Everything a lab
starts (namespaces, corosyncs, their /run and /var/lib/corosync, libqb's /dev/shm files) is
removed on exit (tests/debris.py checks).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import time
from pathlib import Path

from tests import netns

CONF = """totem {{
    version: 2
    cluster_name: lab
    transport: knet
    crypto_cipher: none
    crypto_hash: none
    token: {token}
}}
nodelist {{
{nodes}}}
quorum {{
    provider: corosync_votequorum
{options}}}
logging {{
    to_stderr: yes
    to_syslog: no
    debug: {debug}
}}
"""
TOKEN_MS = 1000  # corosync 3's default is 3000: a smaller one makes failures noticed sooner
BRIDGES = 3


def conf_text(votes: list[int], options: dict[str, object], debug: bool = False) -> str:
    nodes = "".join(f"    node {{\n        ring0_addr: 192.0.2.{i}\n        nodeid: {i}\n"
                    f"        name: node{i}\n        quorum_votes: {v}\n    }}\n"
                    for i, v in enumerate(votes, 1))
    opts = "".join(f"    {k}: {v}\n" for k, v in options.items())
    return CONF.format(nodes=nodes, options=opts, token=TOKEN_MS, debug="on" if debug else "off")


class Lab:
    def __init__(self, workdir: Path, votes: list[int], options: dict[str, object],
                 debug: bool = False) -> None:
        self.dir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.votes = votes
        self.conf = workdir / "corosync.conf"
        self.conf.write_text(conf_text(votes, options, debug))
        self.hub: netns.Namespace | None = None
        self.nodes: dict[int, netns.Namespace] = {}
        self.running: dict[int, subprocess.Popen] = {}
        self.groups: list[list[int]] = [list(range(1, len(votes) + 1))]

    def __enter__(self) -> Lab:
        try:
            self.hub = netns._create()
            for b in range(BRIDGES):
                self.hub.run(["ip", "link", "add", f"br{b}", "type", "bridge"])
                self.hub.run(["ip", "link", "set", f"br{b}", "up"])
            for i in range(1, len(self.votes) + 1):
                ns = self.nodes[i] = netns._create()
                ns.run(["ip", "link", "add", "eth0", "type", "veth", "peer", "name", f"p{i}",
                        "netns", self.hub.name])
                ns.run(["ip", "addr", "add", f"192.0.2.{i}/24", "dev", "eth0"])
                ns.run(["ip", "link", "set", "eth0", "up"])
                self.hub.run(["ip", "link", "set", f"p{i}", "master", "br0"])
                self.hub.run(["ip", "link", "set", f"p{i}", "up"])
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        # The survivors stop with SIGTERM (Namespace.close), which also removes their files.
        for ns in self.nodes.values():
            ns.close()
        if self.hub:
            self.hub.close()
        for i in self.nodes:
            with contextlib.suppress(OSError):
                shutil.rmtree(self.dir / f"n{i}-run")

    def start(self, nodes: list[int]) -> None:
        """corosync on each node, with private /run and /var/lib/corosync (mount namespace):
        instances on one host would otherwise share the pid lock and state files."""
        for i in nodes:
            run, lib = self.dir / f"n{i}-run", self.dir / f"n{i}-lib"
            for d in (run, lib):
                shutil.rmtree(d, ignore_errors=True)
                d.mkdir()
            script = (f"mount --bind {run} /run && mount --bind {lib} /var/lib/corosync && "
                      f"exec corosync -f -c {self.conf}")
            log = (self.dir / f"n{i}.log").open("a")
            self.running[i] = self.nodes[i].popen(
                ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                stdout=log, stderr=subprocess.STDOUT)

    def kill(self, node: int) -> None:
        """SIGKILL: the node vanishes without saying goodbye, as a crashed or fenced node does."""
        proc = self.running.pop(node)
        if proc.poll() is None:
            proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        netns.remove_shm_files(proc.pid)  # what a SIGKILLed corosync leaves: ~8 MB of blackbox

    def split(self, groups: list[list[int]]) -> None:
        """Each group on its own bridge: nodes of one group see each other, no one else."""
        assert len(groups) <= BRIDGES
        for b, group in enumerate(groups):
            for i in group:
                self.hub.run(["ip", "link", "set", f"p{i}", "master", f"br{b}"])
        self.groups = groups

    def log(self, node: int) -> str:
        return (self.dir / f"n{node}.log").read_text(errors="replace")

    def quorumtool(self, node: int) -> dict[str, str]:
        proc = self.nodes[node].run(["corosync-quorumtool", "-s"], check=False, timeout=10)
        fields = dict(re.findall(r"^([A-Z][\w ]+?):[ \t]+(.*?)[ \t]*$", proc.stdout, re.M))
        if "Flags" not in fields and re.search(r"^Flags:", proc.stdout, re.M):
            fields["Flags"] = ""
        return fields

    def members(self) -> dict[int, set[int]]:
        """The membership each running node should end up seeing."""
        up = set(self.running)
        return {i: set(g) & up for g in self.groups for i in g if i in up}

    def settle(self, deadline: float, quiet: float = 1.0) -> dict[int, dict[str, str]]:
        """Wait until every running node reports the membership its group should have and the
        answers stayed the same for `quiet` seconds; the last answers."""
        want = self.members()
        last: dict[int, dict[str, str]] | None = None
        since = time.monotonic()
        while True:
            now = {i: self.quorumtool(i) for i in sorted(self.running)}
            ok = all(f.get("Nodes") == str(len(want[i])) and "Quorum" in f for i, f in now.items())
            stable = {i: {k: v for k, v in f.items() if k != "Date"} for i, f in now.items()}
            if not ok or stable != last:
                last, since = stable, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return now
            if time.monotonic() > deadline:
                raise TimeoutError(f"membership never settled: want {want}, got {now}")
            time.sleep(0.2)

