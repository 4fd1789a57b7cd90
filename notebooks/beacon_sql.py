"""Beacon's SQL interface for notebooks: one long-lived `beacon sql --batch` process per kernel.

Notebooks never read table files; every query goes through Beacon, which resolves gold.* by name.

    from beacon_sql import query
    df = query("SELECT * FROM gold.latest_grades")

Environment: BEACON_LAKEHOUSE picks the lakehouse (default ./lakehouse of the repository);
BEACON_SQL_URL, the JDBC URL a running `jobs/beacon serve` prints, sends the queries there instead, so
that the kernels share one warm Spark rather than start one each; BEACON_SQL_COMMAND, a command line,
replaces `jobs/beacon sql` (the tests pass a java command).
"""
import atexit
import io
import os
import shlex
import subprocess
import sys
import tempfile

import pandas as pd

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_process = None
_log = None


def _start():
    global _process, _log
    command = os.environ.get("BEACON_SQL_COMMAND")
    args = shlex.split(command) if command else [os.path.join(_ROOT, "jobs", "beacon"), "sql"]
    args += ["--batch", "--format", "csv"]
    url = os.environ.get("BEACON_SQL_URL")
    lakehouse = os.environ.get("BEACON_LAKEHOUSE")
    if url:
        args += ["--connect", url]
    elif lakehouse:
        args += ["--lakehouse", lakehouse]
    # Beacon's log goes to a file, so a process that ends early can say why (see _ended()).
    _log = tempfile.TemporaryFile(mode="w+")
    _process = subprocess.Popen(args, cwd=_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=_log, text=True, bufsize=1)
    atexit.register(close)


def close():
    """Ends the Beacon process (it also ends with the kernel)."""
    global _process
    if _process is not None:
        _process.stdin.close()
        _process.wait(timeout=60)
        _process = None


class BeaconEnded(RuntimeError):
    """The Beacon process ended before it answered."""


def query(sql):
    """Runs one statement and returns its result as a pandas DataFrame; raises RuntimeError on failure.

    A Beacon process that ends before answering is started again once, its errors written to stderr: a query
    only reads, so running it again is safe.
    """
    try:
        return _run(sql)
    except BeaconEnded as first:
        print("Beacon ended before answering; starting it again. " + str(first), file=sys.stderr)
        return _run(sql)


def _run(sql):
    if _process is None or _process.poll() is not None:
        _start()
    try:
        _process.stdin.write(" ".join(sql.strip().rstrip(";").split()) + ";\n")
        _process.stdin.flush()
    except BrokenPipeError:
        raise _ended() from None
    lines = []
    for line in _process.stdout:
        if line.startswith("#beacon-end"):
            status = line.rstrip("\n")[len("#beacon-end "):]
            if status != "ok":
                raise RuntimeError("Beacon could not run the query: " + status[len("error "):])
            text = "".join(lines)
            return pd.read_csv(io.StringIO(text)) if text.strip() else pd.DataFrame()
        lines.append(line)
    raise _ended()


def _ended():
    """The error for a Beacon process that ended without answering, with the end of its log."""
    _process.wait(timeout=60)
    _log.seek(0)
    lines = _log.readlines()
    # A stack trace fills the end of the log; the lines that name an exception or an error say what it was.
    causes = [l for l in lines if ("Exception" in l or "ERROR" in l or "Error:" in l) and not l.lstrip().startswith("at ")]
    return BeaconEnded("The Beacon SQL process ended (exit code %s) before answering; its errors:\n%s\nthe end of its log:\n%s"
                        % (_process.returncode, "".join(causes[:10]), "".join(lines[-20:])))
