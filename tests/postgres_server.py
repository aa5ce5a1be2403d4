"""A real, private PostgreSQL server for the tests: Debian's binaries (`apt-get install -y
postgresql`), `initdb` + `pg_ctl` into a temporary directory, on 127.0.0.1 with a free port.

PostgreSQL refuses to run as root; as root (CI) the server runs as the `postgres` user the
Debian package creates. Tests SKIP, saying what to install, only when the binaries are absent.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tests.chroma_server import free_port

INSTALL = "PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install -y postgresql"


def pg_bin() -> Path | None:
    """The directory holding initdb and pg_ctl (PATH first, then Debian's versioned folders)."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yields postgresql://dossier@127.0.0.1:PORT/postgres; stops and removes the server after."""
    binaries = pg_bin()
    if binaries is None:
        import pytest

        pytest.skip(INSTALL)
    run_as: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="dossier-pg-"))      # not under pytest's 0700 root-owned tmp
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            import pytest

            pytest.skip("running as root and no `postgres` user to run PostgreSQL as (apt-get install -y postgresql)")
        os.chown(root, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", free_port()
    try:
        subprocess.run([*run_as, str(binaries / "initdb"), "-D", str(data), "-U", "dossier", "-A", "trust",
                        "-E", "UTF8", "--no-sync"], check=True, capture_output=True, timeout=120)
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60"
        subprocess.run([*run_as, str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"),
                        "-w", "-t", "60", "start"], check=True, capture_output=True, timeout=90)
        try:
            yield f"postgresql://dossier@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run([*run_as, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           capture_output=True, timeout=60)
    finally:
        shutil.rmtree(root, ignore_errors=True)
