"""``analyze --processes 2`` killed with SIGKILL leaves nothing behind: its workers notice the parent is
gone and exit, and with them the forkserver and the resource tracker (a real subprocess, Linux /proc)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample-corpus"
CLI = "import sys; from trucewatch.cli import main; sys.argv[0] = 'trucewatch'; main()"


def _children() -> dict[int, list[int]]:
    """parent pid -> child pids, for every live (not zombie) process."""
    out: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if state != "Z":
            out.setdefault(int(ppid), []).append(int(entry))
    return out


def _descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for c in tree.get(todo.pop(), []):
            if c not in found:
                found.add(c)
                todo.append(c)
    return found


def _started(pid: int) -> str | None:
    """The start time of a live process (with its pid, it names the process even after pid reuse)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == "Z" else fields[19]


def _alive(pid: int, started: str) -> bool:
    return _started(pid) == started


def _note(seen: dict[int, str], pid: int) -> None:
    for p in _descendants(pid):
        t = _started(p)
        if t is not None:
            seen.setdefault(p, t)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from Linux /proc")
def test_kill_9_of_a_pooled_analyze_leaves_no_process_behind(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TRUCEWATCH_DB": str(tmp_path / "t.db")}
    subprocess.run([sys.executable, "-c", CLI, "add", str(SAMPLE)], env=env, check=True, capture_output=True, timeout=300)
    main = subprocess.Popen([sys.executable, "-c", CLI, "analyze", "--processes", "2", "--batch-size", "2"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen: dict[int, str] = {}  # pid -> start time
    try:
        deadline = time.monotonic() + 120
        # forkserver + resource tracker + two workers (the workers are the forkserver's children)
        while time.monotonic() < deadline and len(seen) < 4 and main.poll() is None:
            _note(seen, main.pid)
            time.sleep(0.05)
        assert len(seen) >= 4, f"the pool did not start: {seen}"
        time.sleep(0.5)  # the workers are inside their initializer (loading the model) or working
        _note(seen, main.pid)
        main.send_signal(signal.SIGKILL)
        main.wait(timeout=10)
        end = time.monotonic() + 10
        while time.monotonic() < end and any(_alive(p, t) for p, t in seen.items()):
            time.sleep(0.1)
        left = sorted(p for p, t in seen.items() if _alive(p, t))
        assert not left, f"still running after the parent's death: {left}"
    finally:
        if main.poll() is None:
            main.kill()
        for p, t in seen.items():  # on failure: the processes this test started (same pid, same start time)
            if _alive(p, t):
                os.kill(p, signal.SIGKILL)
