#!/usr/bin/env python3
"""Work and memory cliffs: inputs of at most 10 MB that once took minutes or
gigabytes to build (issue 21 point 4, issue 23 point 7).

Each case is a one-page course made here (cached under bench/.corpus/cliffs/);
coursegen builds it once per run and the script prints the wall time, peak
memory (max RSS), exit code, the largest page written and the first error.

    python3 bench/cliffs.py                      # every case, 1 run each
    python3 bench/cliffs.py -c headings -r 3     # one case, 3 runs
    python3 bench/cliffs.py --bin /path/to/an/older/coursegen
    python3 bench/cliffs.py --list

The target: no case takes more than 2 s or 500 MiB. A case over a budget is
meant to end in a located error (exit 1), quickly; the others to build.
Numbers, not asserts: nothing here fails on a slow run. A run is stopped
after --timeout seconds and shown as such.
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".corpus" / "cliffs"
MB = 1000 * 1000


def headings(n=20_000):
    """Thousands of identical headings: ids same, same-1, same-2, …"""
    return "# Headings\n\n" + "## Same\n\n" * n


def long_line(size=5 * MB):
    """One paragraph of prose on a single line."""
    words = "the quick brown fox jumps over the lazy dog "
    return "# Long line\n\n" + words * (size // len(words)) + "\n"


def long_links(size=5 * MB):
    """One paragraph of 1.25 million `[a]`, each a possible link."""
    return "# Long line\n\n" + "[a] " * (size // 4) + "\n"


def long_entities(size=5 * MB):
    """One paragraph of 800,000 `&amp;`."""
    return "# Long line\n\n" + "&amp; " * (size // 6) + "\n"


def wide_row(cells=100_000):
    """A table of one row with many cells."""
    row = "|" + "|".join(f"c{i}" for i in range(cells)) + "|\n"
    rule = "|" + "|".join("-" for _ in range(cells)) + "|\n"
    return "# Wide\n\n" + row + rule + row


def big_table(size=10 * MB, cols=50):
    """10 MB of an ordinary table: 50 columns, as many rows as fit."""
    head = "|" + "|".join(f"h{i}" for i in range(cols)) + "|\n" + "|" + "|".join("-" for _ in range(cols)) + "|\n"
    row = "|" + "|".join("cell" for _ in range(cols)) + "|\n"
    return "# Table\n\n" + head + row * ((size - len(head)) // len(row))


def steps_vars(n=2_000):
    """2,000 steps, each setting a new variable: steps x variables values."""
    rows = "".join(f"  - cells: [s{i}, v, e]\n    set: {{var{i}: {i}}}\n" for i in range(n))
    return "# Steps\n\n```steps\nsteps:\n" + rows + "```\n\n```tracker\n```\n"


def code_line(lang, size=200_000):
    """A code block of one long line in `lang`."""
    unit = {
        "ruby": "def f(a, b); \"s#{a}\" + :sym.to_s; end; ",
        "markdown": "*em* **strong** `code` [link](u) ",
        "sql": "SELECT a, 'b' FROM t WHERE c = 1 AND ",
        "python": "x = foo(1, 'a') + bar[2]; ",
    }[lang]
    return f"# Code\n\n```{lang}\n" + unit * (size // len(unit)) + "\n```\n"


def dense_code(size=2 * MB):
    """2 MB of dense Python in 80-byte lines, one block (HTML 75x the code)."""
    line = ("x = foo(1, 'a') + bar[2]; " * 4)[:80]
    return "# Code\n\n```python\n" + (line + "\n") * (size // 81) + "```\n"


def dense_blocks(size=2 * MB, blocks=8):
    """2 MB of dense Python in 8 blocks, each under the highlighting cap."""
    line = ("x = foo(1, 'a') + bar[2]; " * 4)[:80]
    block = "```python\n" + (line + "\n") * (size // blocks // 81) + "```\n\n"
    return "# Code\n\n" + block * blocks


def quizzes(n=40_000):
    """40,000 one-question quizzes on one page."""
    return "# Quizzes\n\n" + "".join(f"Text {i}.\n\n```quiz\n- prompt: Prompt{i}\n  answer: b\n```\n\n" for i in range(n))


def raw_html_warnings(n=20_000):
    """20,000 raw HTML warnings on one 140 KB page."""
    return "# Warnings\n\n" + "x <b>\n\n" * n


def huge_output(size=9 * MB):
    """9 MB of one-letter headings: about 128 bytes of HTML each."""
    return "# Many\n\n" + "# a\n" * ((size - 8) // 4)


CASES = {
    "headings": headings,
    "long-line": long_line,
    "long-links": long_links,
    "long-entities": long_entities,
    "wide-row": wide_row,
    "big-table": big_table,
    "steps-vars": steps_vars,
    "code-ruby": lambda: code_line("ruby"),
    "code-markdown": lambda: code_line("markdown"),
    "code-sql": lambda: code_line("sql"),
    "code-python-1mb": lambda: code_line("python", 1 * MB),
    "dense-code": dense_code,
    "dense-blocks": dense_blocks,
    "quizzes": quizzes,
    "raw-html-warnings": raw_html_warnings,
    "huge-output": huge_output,
}


def course(name):
    """The one-page course for case `name`, made once."""
    out = CACHE / name
    if out.exists():
        return out
    tmp = CACHE / (name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "content").mkdir(parents=True)
    (tmp / "book.toml").write_text(f'[book]\ntitle = "{name}"\nsrc = "content"\n', encoding="utf-8")
    (tmp / "content" / "SUMMARY.md").write_text("- [Page](page.md)\n", encoding="utf-8")
    (tmp / "content" / "page.md").write_text(CASES[name](), encoding="utf-8")
    tmp.rename(out)
    return out


def run(cmd, timeout):
    """Runs cmd once; returns (wall s, cpu s, peak RSS MiB, exit code or
    None if stopped, stderr)."""
    # Stderr to a file, not a pipe: a pipe nobody reads stops the run once
    # 64 KiB of warnings fill it.
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        code = None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() - start > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        wall = time.perf_counter() - start
        err.seek(0)
        text = err.read().decode(errors="replace")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code, text


def largest_page(out):
    pages = list(Path(out).rglob("*.html")) if Path(out).exists() else []
    return max((p.stat().st_size for p in pages), default=0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-c", "--case", action="append", choices=sorted(CASES), help="only these cases (repeatable)")
    ap.add_argument("-r", "--runs", type=int, default=1)
    ap.add_argument("--bin", type=Path, help="the coursegen to run (default: cargo build --release, then target/release/coursegen)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds before a run is stopped")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    args = ap.parse_args()
    if args.list:
        for name, make in CASES.items():
            print(f"{name:<18} {(make.__doc__ or 'A code block of one long line.').strip()}")
        return
    binary = args.bin
    if binary is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = ROOT / "target" / "release" / "coursegen"
    print(f"{binary}: {args.runs} run(s) each; median wall and cpu (user + system), largest peak memory")
    for name in args.case or CASES:
        src = course(name)
        size = (src / "content" / "page.md").stat().st_size
        out = CACHE / (name + ".out")
        samples = []
        for _ in range(args.runs):
            shutil.rmtree(out, ignore_errors=True)
            samples.append(run([str(binary), "build", str(src), "-d", str(out)], args.timeout))
        wall = statistics.median(s[0] for s in samples)
        cpu = statistics.median(s[1] for s in samples)
        rss = max(s[2] for s in samples)
        code, err = samples[-1][3], samples[-1][4]
        status = "stopped" if code is None else f"exit {code}"
        page = largest_page(out)
        first = next((line for line in err.splitlines() if ": error: " in line or ": warning: " in line), "")
        print(f"  {name:<17} in {size / MB:5.2f} MB  wall {wall:7.2f} s  cpu {cpu:7.2f} s  peak {rss:6.0f} MiB  {status:<7}  page {page / MB:7.2f} MB  {first[:110]}", flush=True)
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
