"""A throwaway PostgreSQL server for the tests (the Debian ``postgresql`` package, see the Makefile).

:func:`start` runs ``initdb`` in a temporary folder and ``pg_ctl start`` on a free
loopback port with its unix socket in the same folder; :meth:`PgServer.stop`
stops it and removes the folder. As root the server runs as the ``postgres``
system user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path


class PgUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def find_bindir() -> Path:
    """The newest ``/usr/lib/postgresql/<version>/bin`` holding ``initdb`` and ``pg_ctl``."""
    found = sorted(
        (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin") if Path(p, "initdb").exists() and Path(p, "pg_ctl").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not found:
        raise PgUnavailable(
            "PostgreSQL server binaries were not found under /usr/lib/postgresql/*/bin; "
            "run `make system-deps` (it installs the Debian package postgresql)."
        )
    return found[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    bindir: Path
    root: Path
    port: int
    user: str
    as_user: list[str]

    @property
    def socket_dir(self) -> Path:
        return self.root / "sock"

    def url(self, dbname: str) -> str:
        """The SQLAlchemy URL of database ``dbname`` over TCP on loopback."""
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*self.as_user, *args], check=True, capture_output=True, text=True, timeout=120)

    def create_db(self, name: str | None = None) -> str:
        """Create a fresh database and return its URL."""
        name = name or "tw_" + uuid.uuid4().hex[:12]
        self._run(str(self.bindir / "createdb"), "-h", str(self.socket_dir), "-p", str(self.port), "-U", self.user, name)
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)


def start() -> PgServer:
    """Start a throwaway server (trust authentication, loopback only)."""
    bindir = find_bindir()
    # As root the folder must be reachable by the postgres user: /tmp rather than a private $TMPDIR.
    base = "/tmp" if os.getuid() == 0 and os.path.isdir("/tmp") else None
    root = Path(tempfile.mkdtemp(prefix="trucewatch-pg-", dir=base))
    as_user: list[str] = []
    user = pwd.getpwuid(os.getuid()).pw_name
    if os.getuid() == 0:
        try:
            pg = pwd.getpwnam("postgres")
        except KeyError:
            raise PgUnavailable("Running as root but there is no `postgres` system user to run the server as.") from None
        os.chmod(root, 0o700)
        os.chown(root, pg.pw_uid, pg.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
        user = "postgres"
    (root / "sock").mkdir()
    if as_user:
        os.chown(root / "sock", pwd.getpwnam("postgres").pw_uid, pwd.getpwnam("postgres").pw_gid)
    server = PgServer(bindir, root, _free_port(), user, as_user)
    try:
        server._run(str(bindir / "initdb"), "-D", str(root / "data"), "-U", user, "-A", "trust", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-sync")
        opts = f"-k {root / 'sock'} -p {server.port} -h 127.0.0.1 -F -c fsync=off -c full_page_writes=off"
        server._run(str(bindir / "pg_ctl"), "-D", str(root / "data"), "-l", str(root / "log"), "-o", opts, "-w", "-t", "60", "start")
    except subprocess.CalledProcessError as e:
        log = (root / "log").read_text(errors="replace") if (root / "log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"Could not start PostgreSQL: {e.stderr or e.stdout}\n{log}") from None
    return server
