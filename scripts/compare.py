#!/usr/bin/env python3
"""guanhuai against the alternatives: VisiData on the same roster, and the
hand-written SQL of the overdue rules in the sqlite3 shell as the floor.

Run through scripts/compare.sh, which builds the binaries, installs VisiData
(and pyte, the terminal emulator this script reads the screen with) into
bench-data/venv and the sqlite3 shell if missing, then runs this script with
the venv's Python:

    scripts/compare.sh                  # 8,275 and 100,000 members
    scripts/compare.sh --large          # and 1,000,000
    scripts/compare.sh --sizes 8275     # any list

For each size it generates bench-data/members-N.sqlite once (three years of
history, the generator and seed of benches/guanhuai_bench.rs, which shares
the files), exports the roster and its records to CSV, and measures:

- the UI on a pseudo-terminal of 80x24: time from process start until the
  Overview shows an overdue row (a member code and its due date from
  `guanhuai overdue`), time and CPU (user+sys, /proc/PID/stat) until the
  process is idle (no output and no CPU for 0.5 s), peak memory (VmHWM);
- VisiData opening the roster's CSV the same way: first screen (the first
  data row drawn), fully loaded (the status line shows all N rows), idle,
  CPU and peak memory;
- bytes written to the terminal for one Down, one PageDown, `/` and one
  letter of a search (guanhuai on its Members tab; VisiData on the sheet,
  plus the Enter that runs its search): all the bytes read from the pty
  master after the key until the output is quiet for 0.5 s;
- `guanhuai overdue --format csv` end to end and the same rules as
  benches/baseline.sql in the sqlite3 shell, whose rows must equal ours;
- the full import from CSV into a fresh file (members, then talks, visits,
  events, as `guanhuai export` wrote them), and the database file sizes.

Warm page cache; medians of --runs runs (one import). The Markdown table is
printed and written to bench-data/compare.md, the raw figures to
bench-data/compare.json.
"""

import argparse
import csv
import fcntl
import importlib.metadata
import io
import json
import os
import platform
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

import pyte
from wcwidth import wcwidth

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-28"
COLS, ROWS = 80, 24
# seconds with no output and no CPU that count as idle / a keystroke done
QUIET = 0.5
# a gap in the output that ends a frame being written
BURST = 0.02
TICK = os.sysconf("SC_CLK_TCK")
DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# box lines and the scroll bar, read as spaces when splitting a screen line
BOX = re.compile(r"[\u2500-\u259f|]")


class Failed(Exception):
    """A measurement that could not be made; the table shows it as failed."""


# ---------------------------------------------------------------- processes


def proc_cpu(pid):
    """User+sys seconds of the process (all its threads, living and ended)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def proc_hwm(pid):
    """Peak resident memory in bytes (VmHWM)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise Failed("no VmHWM")


# Starts a command from a small process of its own and reports its wall time
# and peak RSS: a child forked straight from this script would count this
# script's own memory in its peak (Linux keeps the peak across exec).
PEAK_HELPER = r"""
import os, sys, time
report = sys.argv[1]
t = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - t
with open(report, "w") as f:
    f.write(f"{wall} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_cli(argv, env, stdin=None):
    """Runs a command to completion: (wall seconds, peak RSS bytes, stdout)."""
    with tempfile.TemporaryFile() as f, open(stdin or os.devnull, "rb") as i, \
            tempfile.NamedTemporaryFile("r") as rep:
        helper = [sys.executable, "-c", PEAK_HELPER, rep.name]
        p = subprocess.Popen(helper + [str(x) for x in argv], stdin=i, stdout=f,
                             stderr=subprocess.PIPE, env=env)
        with p.stderr:
            err = p.stderr.read()
        p.wait()
        f.seek(0)
        out = f.read()
        measured = rep.read().split()
    if p.returncode != 0 or len(measured) != 2:
        raise Failed(f"{' '.join(map(str, argv))} exited {p.returncode}: {err.decode(errors='replace')[-500:]}")
    return float(measured[0]), int(measured[1]) * 1024, out


def warm(db):
    """Reads a database file (and its WAL) once, into the page cache."""
    for path in (db, Path(f"{db}-wal")):
        if path.exists():
            with open(path, "rb") as f:
                while f.read(1 << 24):
                    pass


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


class Screen(pyte.Screen):
    """A pyte screen that answers the program's queries (cursor position)."""

    def __init__(self, cols, rows, master):
        super().__init__(cols, rows)
        self.master = master

    def write_process_input(self, data):
        os.write(self.master, data.encode())


def _controlling_tty():
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Term:
    """A program on a pseudo-terminal of COLS x ROWS, its output read into a
    pyte screen and counted."""

    def __init__(self, argv, env, log=None):
        self.log = log
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.screen = Screen(COLS, ROWS, self.master)
        self.stream = pyte.ByteStream(self.screen)
        self.bytes = 0
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env,
            preexec_fn=_controlling_tty, close_fds=True,
        )
        os.close(slave)
        self.pid = self.proc.pid

    def lines(self):
        # pyte's own `display` trips over a wide character's second cell ("")
        # once a narrow one is written over the first: a terminal blanks it
        buf, cols = self.screen.buffer, self.screen.columns
        out = []
        for y in range(self.screen.lines):
            row, cells, wide = buf[y], [], False
            for x in range(cols):
                data = row[x].data
                if data == "":
                    data = "" if wide else " "
                wide = bool(data) and wcwidth(data[0]) == 2
                cells.append(data)
            out.append("".join(cells))
        return out

    def pump(self, timeout):
        """Reads what the program wrote within `timeout` s; the byte count."""
        r, _, _ = select.select([self.master], [], [], timeout)
        if not r:
            return 0
        try:
            b = os.read(self.master, 1 << 16)
        except OSError:
            b = b""
        if not b:
            raise Failed("the program ended: " + self.dump())
        self.bytes += len(b)
        self.stream.feed(b)
        return len(b)

    def wait_for(self, pred, timeout):
        """Seconds from start until `pred(lines)` first holds, and the frame
        that made it hold is written to its end (the burst of output it came
        in: no gap of BURST s)."""
        end = time.perf_counter() + timeout
        while not pred(self.lines()):
            if time.perf_counter() > end:
                raise Failed(f"not on the screen after {timeout} s: " + self.dump())
            self.pump(0.05)
        at = time.perf_counter()
        while self.pump(BURST):
            at = time.perf_counter()
        return at - self.t0

    def settle(self, timeout=1800):
        """Waits until QUIET s pass with no output and no CPU; returns the
        seconds from start to the last activity and the CPU seconds then."""
        end = time.perf_counter() + timeout
        cpu = proc_cpu(self.pid)
        last = time.perf_counter()
        while time.perf_counter() - last < QUIET:
            if time.perf_counter() > end:
                raise Failed(f"not idle after {timeout} s")
            n = self.pump(0.05)
            c = proc_cpu(self.pid)
            if n or c != cpu:
                cpu = c
                last = time.perf_counter()
        return last - self.t0, cpu

    def key(self, data, timeout=600):
        """Bytes the program writes for one key, and the seconds until its
        last byte. The program is idle before."""
        self.settle(timeout)
        if callable(data):
            data = data(self)
        before = self.bytes
        t = time.perf_counter()
        os.write(self.master, data)
        last = t
        while time.perf_counter() - last < QUIET:
            if time.perf_counter() - t > timeout:
                raise Failed("no end of output")
            if self.pump(0.05):
                last = time.perf_counter()
        self.snap(f"after {data!r}")
        return self.bytes - before, (last - t) if self.bytes > before else 0.0

    def snap(self, what):
        """Appends the screen to the log file, to check what was measured."""
        if self.log:
            with open(self.log, "a") as f:
                f.write(f"--- {what} at {time.perf_counter() - self.t0:.3f} s, "
                        f"{self.bytes} bytes so far{self.dump()}\n")

    def dump(self):
        return "\n" + "\n".join(line.rstrip() for line in self.lines())

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        os.close(self.master)


def down(term):
    # application cursor mode (DECCKM, set by curses' keypad) sends ESC O B
    return b"\x1bOB" if (1 << 5) in term.screen.mode else b"\x1b[B"


PAGE_DOWN = b"\x1b[6~"
# the search's one character: a digit, which both programs find (guanhuai in
# codes and phone numbers, VisiData in the code column it starts on)
SEARCH_KEY = b"7"


# ------------------------------------------------------------------ pieces


def term_env(home):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    env.update(TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8",
               GUANHUAI_TODAY=TODAY, HOME=str(home))
    return env


def overdue_pairs(out):
    """(member code, due date) of every overdue row, and the rows."""
    rows = list(csv.reader(io.StringIO(out.decode())))
    head, body = rows[0], rows[1:]
    due = next((i for i, h in enumerate(head) if DATE.fullmatch(body[0][i] if body else "")), None)
    if due is None:
        raise Failed("no date column in the overdue CSV")
    return {(r[0], r[due]) for r in body}, body


def shows_overdue(pairs):
    def pred(lines):
        for line in lines[1:]:
            words = BOX.sub(" ", line).split()
            if not words:
                continue
            for d in DATE.findall(line):
                if any((w, d) in pairs for w in words[:3]):
                    return True
        return False
    return pred


def measure_ui(bin_, db, pairs, env, runs, keys, log):
    """The UI: first frame with an overdue row, idle, CPU, peak memory; then
    the bytes of the keys on its Members tab (last run)."""
    res = {"first": [], "idle": [], "cpu": [], "hwm": []}
    for i in range(runs):
        t = Term([str(bin_), "--db", str(db)], env, log)
        try:
            res["first"].append(t.wait_for(shows_overdue(pairs), 1800))
            t.snap(f"run {i + 1}: first screen")
            idle, cpu = t.settle()
            t.snap(f"run {i + 1}: idle")
            res["idle"].append(idle)
            res["cpu"].append(cpu)
            res["hwm"].append(proc_hwm(t.pid))
            if keys and i == runs - 1:
                res["tab"] = t.key(b"2")
                res["down"] = t.key(down)
                res["pagedown"] = t.key(PAGE_DOWN)
                res["slash"] = t.key(b"/")
                res["letter"] = t.key(SEARCH_KEY)
                t.settle()
                res["hwm_keys"] = proc_hwm(t.pid)
        finally:
            t.close()
    return res


def measure_vd(vd, csv_path, env, runs, keys, log):
    """VisiData on the roster CSV: first screen, fully loaded, idle, CPU,
    peak memory; then the bytes of the keys (last run)."""
    with open(csv_path, newline="") as f:
        r = csv.reader(f)
        next(r)
        first = next(r)
        n = 1 + sum(1 for _ in r)
    # the first data row's code, drawn below the header line
    mark = re.compile(rf"(^|[\s\u2502]){re.escape(first[0])}(\s|\u2502|$)")

    def first_row(lines):
        return any(mark.search(line) for line in lines[2:-1])

    loaded = re.compile(rf"\b{n} rows\b")

    def all_rows(lines):
        return bool(loaded.search(lines[-1])) and "loading" not in lines[-1]

    res = {"first": [], "loaded": [], "idle": [], "cpu": [], "hwm": [], "rows": n}
    for i in range(runs):
        t = Term([str(vd), str(csv_path)], env, log)
        try:
            res["first"].append(t.wait_for(first_row, 1800))
            t.snap(f"run {i + 1}: first screen")
            res["loaded"].append(t.wait_for(all_rows, 3600))
            t.snap(f"run {i + 1}: all rows loaded")
            idle, cpu = t.settle()
            t.snap(f"run {i + 1}: idle")
            res["idle"].append(idle)
            res["cpu"].append(cpu)
            res["hwm"].append(proc_hwm(t.pid))
            if keys and i == runs - 1:
                res["down"] = t.key(down)
                res["pagedown"] = t.key(PAGE_DOWN)
                res["slash"] = t.key(b"/")
                res["letter"] = t.key(SEARCH_KEY)
                res["enter"] = t.key(b"\r")
                t.settle()
                res["hwm_keys"] = proc_hwm(t.pid)
        finally:
            t.close()
    return res


def same_rows(ours, theirs):
    a = list(csv.reader(io.StringIO(ours.decode())))[1:]
    b = list(csv.reader(io.StringIO(theirs.decode())))
    if a != b:
        first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        print(f"  rows differ: {len(a)} vs {len(b)}; first at {first}: "
              f"{a[first] if first < len(a) else None} vs {b[first] if first < len(b) else None}",
              file=sys.stderr)
    return a == b


def remove_db(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def db_size(path):
    return sum(os.path.getsize(p) for p in (str(path), str(path) + "-wal") if os.path.exists(p))


def counts(sqlite3, db):
    q = ("SELECT (SELECT count(*) FROM members), (SELECT count(*) FROM talks), "
         "(SELECT count(*) FROM visits), (SELECT count(*) FROM events);")
    out = subprocess.run([sqlite3, "-readonly", str(db), q], capture_output=True, check=True, text=True)
    return [int(x) for x in out.stdout.strip().split("|")]


# ------------------------------------------------------------------ one size


def attempt(res, key, fn):
    try:
        res[key] = fn()
    except Failed as e:
        print(f"  {key}: FAILED: {e}", file=sys.stderr)
        res[key] = {"failed": str(e)[:2000]}


def bench_size(n, a, env):
    data = a.data
    db = data / f"members-{n}.sqlite"
    if not db.exists():
        print(f"generating {n} members into {db} …", file=sys.stderr)
        subprocess.run([str(a.gen), str(n), str(db)], check=True)
    work = data / f"compare-{n}"
    work.mkdir(exist_ok=True)
    runs = a.runs if n < 1_000_000 else max(1, a.runs // 2)
    res = {"members": n, "runs": runs, "load": [os.getloadavg()[0]]}
    g = [str(a.bin), "--db", str(db)]

    # bring the file to the program's schema (and warm the cache) before measuring
    print(f"== {n} members: overdue ==", file=sys.stderr)
    _, _, out = run_cli(g + ["overdue", "--as-of", TODAY, "--format", "csv"], env)
    pairs, body = overdue_pairs(out)
    res["overdue_rows"] = len(body)
    res["counts"] = counts(a.sqlite3, db)
    res["db_bytes"] = db_size(db)

    def overdue():
        times, rss = [], 0
        for _ in range(runs):
            t, r, _ = run_cli(g + ["overdue", "--as-of", TODAY, "--format", "csv"], env)
            times.append(t)
            rss = max(rss, r)
        return {"wall": median(times), "rss": rss}

    attempt(res, "overdue", overdue)

    def baseline():
        sql = (ROOT / "benches" / "baseline.sql").read_text()
        sql = sql.replace("'2026-11-28' AS d", f"'{TODAY}' AS d")
        path = work / "baseline.sql"
        path.write_text(sql)
        times, rss, theirs = [], 0, b""
        for _ in range(runs):
            t, r, theirs = run_cli([a.sqlite3, "-readonly", str(db)], env, stdin=path)
            times.append(t)
            rss = max(rss, r)
        return {"wall": median(times), "rss": rss, "same_rows": same_rows(out, theirs)}

    attempt(res, "baseline", baseline)

    print(f"== {n} members: export, import ==", file=sys.stderr)
    files = {k: work / f"{k}.csv" for k in ("members", "talks", "visits", "events")}

    def export():
        total = 0.0
        for k, f in files.items():
            f.unlink(missing_ok=True)
            t, _, _ = run_cli(g + ["export", k, str(f)] + (["--full"] if k == "members" else []), env)
            total += t
        return {"wall": total, "csv_bytes": {k: f.stat().st_size for k, f in files.items()}}

    attempt(res, "export", export)

    def import_():
        fresh = work / "imported.sqlite"
        remove_db(fresh)
        parts, rss, said = {}, 0, {}
        for k, f in files.items():
            t, r, out = run_cli([str(a.bin), "--db", str(fresh), "import", k, str(f)], env)
            parts[k] = t
            said[k] = out.decode(errors="replace").strip()
            rss = max(rss, r)
        c = counts(a.sqlite3, fresh)
        result = {"wall": sum(parts.values()), "parts": parts, "rss": rss,
                  "db_bytes": db_size(fresh), "counts": c, "summary": said}
        remove_db(fresh)
        return result

    if "failed" not in res["export"]:
        attempt(res, "import", import_)

    print(f"== {n} members: the UI ==", file=sys.stderr)
    home = work / "home"
    home.mkdir(exist_ok=True)
    tenv = term_env(home)
    for f in ("screens-guanhuai.txt", "screens-visidata.txt"):
        (work / f).unlink(missing_ok=True)
    # the import just wrote a file as large as this one: read this one back
    # into the page cache, so that the screens are measured warm
    warm(db)
    attempt(res, "ui", lambda: measure_ui(a.bin, db, pairs, tenv, runs, True,
                                          work / "screens-guanhuai.txt"))
    if "failed" not in res["export"]:
        print(f"== {n} members: VisiData ==", file=sys.stderr)
        attempt(res, "vd", lambda: measure_vd(a.vd, files["members"], tenv, runs, True,
                                                  work / "screens-visidata.txt"))
    res["load"].append(os.getloadavg()[0])
    return res


# ------------------------------------------------------------------ the table


def fmt_s(s):
    if s is None:
        return "—"
    if s < 1:
        return f"{s * 1000:.0f} ms"
    if s < 100:
        return f"{s:.2f} s"
    return f"{s:.0f} s"


def fmt_b(b):
    if b is None:
        return "—"
    if b < 10_000:
        return f"{b:,} B"
    if b < 1 << 20:
        return f"{b / 1024:,.0f} KiB"
    if b < 100 << 20:
        return f"{b / (1 << 20):.1f} MiB"
    return f"{b / (1 << 20):,.0f} MiB" if b < 10 << 30 else f"{b / (1 << 30):.1f} GiB"


def ratio(x, y):
    if x is None or y is None or y == 0:
        return "—"
    r = x / y
    return f"{r:.2f}×" if r < 10 else f"{r:.0f}×"


def get(res, key, field, agg=median):
    v = res.get(key)
    if not isinstance(v, dict) or "failed" in v or field not in v:
        return None
    v = v[field]
    if isinstance(v, list):
        return agg(v) if v else None
    return v


def failed(res, key):
    v = res.get(key)
    return isinstance(v, dict) and "failed" in v


def table(res, vd_version, sqlite_version):
    n = res["members"]
    c = res["counts"]
    lines = [
        f"**{n:,} members** ({c[1]:,} talks, {c[2]:,} visits, {c[3]:,} events; "
        f"{res['overdue_rows']:,} overdue rows; median of {res['runs']} runs; load average "
        f"{res['load'][0]:.1f} before, {res['load'][-1]:.1f} after)",
        "",
        f"| | guanhuai | VisiData {vd_version} | guanhuai ÷ VisiData | sqlite3 {sqlite_version} + hand SQL | guanhuai ÷ sqlite3 |",
        "|---|---:|---:|---:|---:|---:|",
    ]

    def row(label, g, v=None, s=None, f=fmt_s):
        lines.append(f"| {label} | {f(g)} | {f(v) if v is not None else '—'} | {ratio(g, v)} "
                     f"| {f(s) if s is not None else '—'} | {ratio(g, s)} |")

    ui, vd = "ui", "vd"
    row("first screen: Overview with overdue rows / first rows of the CSV",
        get(res, ui, "first"), get(res, vd, "first"))
    # guanhuai's Overview with its rows is its loaded state: it reads the
    # rest of the data when a screen needs it
    row("ready: Overview with overdue rows / status line shows every row loaded",
        get(res, ui, "first"), get(res, vd, "loaded"))
    row("start to idle (no output, no CPU)", get(res, ui, "idle"), get(res, vd, "idle"))
    row("CPU from start to idle (user+sys)", get(res, ui, "cpu"), get(res, vd, "cpu"))
    row("peak memory (VmHWM)", get(res, ui, "hwm", max), get(res, vd, "hwm", max), f=fmt_b)
    row("overdue list as CSV (process start to exit)", get(res, "overdue", "wall"),
        s=get(res, "baseline", "wall"))
    row("peak memory of that", get(res, "overdue", "rss"), s=get(res, "baseline", "rss"), f=fmt_b)
    row("import from CSV into a fresh file (members, talks, visits, events)",
        get(res, "import", "wall"))
    row("database file", res["db_bytes"], f=fmt_b)

    def kb(key, what):
        v = res.get(key)
        if not isinstance(v, dict) or what not in v:
            return None
        return v[what][0]

    for what, label in (("down", "bytes to the terminal: Down"),
                        ("pagedown", "bytes to the terminal: PageDown"),
                        ("slash", "bytes to the terminal: `/` (search opens)"),
                        ("letter", "bytes to the terminal: a character of the search (`7`)")):
        row(label, kb(ui, what), kb(vd, what), f=lambda b: "—" if b is None else f"{b:,} B")
    search = {}
    for key, parts in ((ui, ("slash", "letter")), (vd, ("slash", "letter", "enter"))):
        v = res.get(key)
        if isinstance(v, dict) and all(p in v for p in parts):
            search[key] = sum(v[p][0] for p in parts)
    row("bytes for a one-character search (`/`, `7`; VisiData: and Enter)",
        search.get(ui), search.get(vd), f=lambda b: "—" if b is None else f"{b:,} B")
    notes = []
    if isinstance(res.get(vd), dict) and "enter" in res[vd]:
        notes.append(f"VisiData's search runs on Enter: {res[vd]['enter'][0]:,} B more.")
    hk = [get(res, k, "hwm_keys") for k in (ui, vd)]
    if all(hk):
        notes.append(f"Peak memory by the end of those keys (the last run): guanhuai "
                     f"{fmt_b(hk[0])} (with its Members tab and search), VisiData {fmt_b(hk[1])}.")
    b = res.get("baseline")
    if isinstance(b, dict) and "same_rows" in b:
        notes.append("The hand SQL's rows equal guanhuai's." if b["same_rows"]
                     else "**The hand SQL's rows differ from guanhuai's.**")
    ex = res.get("export")
    if isinstance(ex, dict) and "csv_bytes" in ex:
        notes.append("VisiData opens the roster's CSV, "
                     + fmt_b(ex["csv_bytes"]["members"]) + "; the records' CSV files: "
                     + ", ".join(f"{k} {fmt_b(v)}" for k, v in ex["csv_bytes"].items() if k != "members")
                     + f" (`guanhuai export`, {fmt_s(ex['wall'])} in all).")
    imp = res.get("import")
    if isinstance(imp, dict) and "parts" in imp:
        p = imp["parts"]
        notes.append("Import: " + ", ".join(f"{k} {fmt_s(v)}" for k, v in p.items())
                     + f"; peak memory {fmt_b(imp['rss'])}; the new file {fmt_b(imp['db_bytes'])}"
                     + ("" if imp["counts"] == c else
                        f"; rows (members, talks, visits, events) {imp['counts']} against {c} "
                        "in the generated file (the import skips a record equal to one "
                        "already there)") + ".")
    for key in ("overdue", "baseline", "export", "import", ui, vd):
        if failed(res, key):
            notes.append(f"**{key} failed:** {res[key]['failed'][:300]}")
    if notes:
        lines += ["", " ".join(notes)]
    return "\n".join(lines)


def installed_size(name, seen=None):
    """Bytes of a distribution's installed files and those of what it
    requires (this Python's site-packages: the venv's)."""
    seen = set() if seen is None else seen
    key = re.sub(r"[-_.]+", "-", name).lower()
    if key in seen:
        return 0
    seen.add(key)
    try:
        d = importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return 0
    total = sum(p.stat().st_size for p in (Path(d.locate_file(f)) for f in d.files or [])
                if p.is_file())
    for req in d.requires or []:
        if "extra ==" in req:
            continue
        total += installed_size(re.match(r"[A-Za-z0-9_.-]+", req).group(0), seen)
    return total


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="8275,100000")
    p.add_argument("--large", action="store_true", help="also 1,000,000 members")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--bin", type=Path, default=ROOT / "target" / "release" / "guanhuai")
    p.add_argument("--gen", type=Path, default=ROOT / "target" / "release" / "examples" / "bench_roster")
    p.add_argument("--dist-bin", type=Path)
    p.add_argument("--vd", type=Path, default=ROOT / "bench-data" / "venv" / "bin" / "vd")
    p.add_argument("--sqlite3", default=shutil.which("sqlite3") or "sqlite3")
    p.add_argument("--data", type=Path, default=ROOT / "bench-data")
    a = p.parse_args()
    sizes = [int(s.replace("_", "")) for s in a.sizes.replace(",", " ").split()]
    if a.large and 1_000_000 not in sizes:
        sizes.append(1_000_000)
    a.data.mkdir(exist_ok=True)

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["GUANHUAI_TODAY"] = TODAY
    vd_version = subprocess.run([str(a.vd), "--version"], capture_output=True, text=True,
                                env=term_env(a.data)).stdout.strip().split()[-1].lstrip("v")
    sqlite_version = subprocess.run([a.sqlite3, "--version"], capture_output=True,
                                    text=True).stdout.split()[0]
    results = []
    for n in sizes:
        results.append(bench_size(n, a, env))

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    head = [
        f"Measured by `scripts/compare.sh` on {os.cpu_count()} cores ({cpu}), Linux {platform.release()}, "
        f"a pseudo-terminal of {COLS}×{ROWS}, warm page cache. VisiData {vd_version} on Python "
        f"{platform.python_version()}; ratios are guanhuai's figure divided by the other's "
        f"(below 1: guanhuai takes less).",
    ]
    if a.dist_bin and a.dist_bin.exists():
        head.append("")
        head.append(f"The release binary (`cargo build --profile dist`, one file needing only the C library): "
                    f"{fmt_b(a.dist_bin.stat().st_size)}. VisiData as installed: "
                    f"{fmt_b(installed_size('visidata'))} with its dependencies, "
                    f"Python {platform.python_version()} not counted.")
    md = "\n".join(head) + "\n\n" + "\n\n".join(table(r, vd_version, sqlite_version) for r in results) + "\n"
    print(md)
    (a.data / "compare.md").write_text(md)
    (a.data / "compare.json").write_text(json.dumps(results, indent=1, default=str))
    bad = any(failed(r, k) for r in results for k in ("overdue", "baseline", "export", "import", "ui", "vd"))
    bad |= any(isinstance(r.get("baseline"), dict) and r["baseline"].get("same_rows") is False
               for r in results)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
