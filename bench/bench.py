#!/usr/bin/env python3
"""Build-time benchmark: coursegen against the floor and the other generators.

Generates courses with ../shared/bench/gen_corpus.py (cached under
bench/.corpus/), runs each generator several times and prints the median wall
time, CPU time (user + system) and peak memory (max RSS) of each.

    python3 bench/bench.py                 # N = 100 and 1000, 5 runs each
    python3 bench/bench.py -n 1000 5000 -r 3
    python3 bench/bench.py --blocks        # also the block-heavy variant
    python3 bench/bench.py --out /dev/shm  # outputs on another filesystem
    python3 bench/bench.py --no-others     # the floor and coursegen only

Outputs go inside each course folder unless --out names a folder for them
(each tool's under its own name). On a disk without a journal (this project's
2-core VM), ext4 skips inodes deleted in the last minutes when it creates files,
so a build run right after deleting the last one's output pays for every file
it creates; --out /dev/shm shows the builds without that cost.

coursegen is built with `cargo build --release` first. mdbook, zola and hugo
are measured when they are on PATH. The floor is bench/floor: pulldown-cmark
plus syntect alone, on all cores, with the same highlighting settings.
Numbers, not asserts: nothing here fails on a slow run.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT.parent / "shared" / "bench" / "gen_corpus.py"
CACHE = ROOT / "bench" / ".corpus"

# Appended to every lesson of the block-heavy variant: one of each block.
BLOCKS = """

```python id=sample
total = 0
for n in range(3):
    total += n
```

```flow
flowchart TD
  A([Start]) --> B{n < 3?}
  B -->|yes| C[total += n]
  C --> B
  B -->|no| D([Done])
```

```steps code=sample
steps:
  - cells: [Set total, "0", total is 0]
    line: 1
    set: {total: 0}
  - cells: [Loop, n = 0, total is 0]
    line: 2-3
    set: {n: 0}
```

```tracker
```

```quiz
- prompt: What is `total` after the loop?
  options: ["0", "3", "6"]
  answer: B
  explain: 0 + 1 + 2 is 3.
```
"""


def run(cmd, cwd):
    """Runs cmd once; returns (wall seconds, cpu seconds, peak RSS in MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed in {cwd}:\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def corpus(n, layout, blocks=False):
    """The generated course for N lessons, made once and cached."""
    name = f"{layout}-{n}" + ("-blocks" if blocks else "")
    out = CACHE / name
    if out.exists():
        return out
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = CACHE / (name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    subprocess.run([sys.executable, str(GEN), "--lessons", str(n), "--out", str(tmp), "--layout", layout], check=True, stdout=subprocess.DEVNULL)
    if blocks:
        for lesson in (tmp / "src").glob("lesson-*.md"):
            with lesson.open("a", encoding="utf-8") as f:
                f.write(BLOCKS)
    tmp.rename(out)
    return out


def sample(cmd, cwd, clean):
    for c in clean:
        shutil.rmtree(Path(cwd) / c, ignore_errors=True)
    return run(cmd, cwd)


def report(label, samples):
    wall = statistics.median(s[0] for s in samples)
    cpu = statistics.median(s[1] for s in samples)
    rss = max(s[2] for s in samples)
    print(f"  {label:<22} wall {wall * 1000:8.0f} ms   cpu {cpu * 1000:8.0f} ms   peak {rss:6.0f} MiB", flush=True)
    return wall


def measure(label, cmd, cwd, runs, clean):
    return report(label, [sample(cmd, cwd, clean) for _ in range(runs)])


def paired(a, b, runs):
    """Runs two (label, cmd, cwd, clean) in turn, `runs` times each, and
    reports both and the median of the per-pair ratios b / a: on a shared
    machine whose speed drifts, pairs taken moments apart compare better than
    two medians taken a minute apart."""
    sa, sb = [], []
    for _ in range(runs):
        sa.append(sample(a[1], a[2], a[3]))
        sb.append(sample(b[1], b[2], b[3]))
    report(a[0], sa)
    wall = report(b[0], sb)
    ratio = statistics.median(y[0] / x[0] for x, y in zip(sa, sb))
    return wall, ratio


def build_tools():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    floor = ROOT / "bench" / "floor"
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=floor, check=True)
    return ROOT / "target" / "release" / "coursegen", floor / "target" / "release" / "floor"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, nargs="+", default=[100, 1000], help="lesson counts")
    ap.add_argument("-r", "--runs", type=int, default=5)
    ap.add_argument("--blocks", action="store_true", help="also the variant with a flow, steps and a quiz in every lesson")
    ap.add_argument("--out", type=Path, help="folder for the outputs (default: inside each course)")
    ap.add_argument("--no-others", action="store_true", help="measure the floor and coursegen only, not mdbook, zola or hugo")
    args = ap.parse_args()
    # Where each tool writes: a name inside the course, or a path under --out.
    def out(name):
        return str(args.out.resolve() / f"bench-{name}") if args.out else name
    coursegen, floor = build_tools()
    print(f"machine: {os.cpu_count()} cores; {args.runs} runs each; median wall and cpu, max peak memory")
    for n in args.n:
        course = corpus(n, "mdbook")
        print(f"N = {n} ({sum(f.stat().st_size for f in (course / 'src').glob('*.md')) / 1e6:.2f} MB of Markdown)")
        cg, ratio = paired(
            ("floor", [str(floor), "src"], course, []),
            ("coursegen build", [str(coursegen), "build", ".", "-d", out("cg-out")], course, [out("cg-out")]),
            args.runs,
        )
        print(f"  coursegen / floor      {ratio:.2f}x (median of paired runs)")
        if shutil.which("mdbook") and not args.no_others:
            measure("mdbook build", ["mdbook", "build", "-d", out("mdbook-out")], course, args.runs, [out("mdbook-out")])
        for tool, layout, cmd in [("zola", "zola", ["zola", "build", "-o", out("zola-out"), "--force"]), ("hugo", "hugo", ["hugo", "-d", out("hugo-out"), "--quiet"])]:
            if shutil.which(tool) and not args.no_others:
                measure(f"{tool} build", cmd, corpus(n, layout), args.runs, [out("zola-out"), out("hugo-out")])
        if args.blocks:
            heavy = corpus(n, "mdbook", blocks=True)
            hv = measure("coursegen (blocks)", [str(coursegen), "build", ".", "-d", out("cg-out")], heavy, args.runs, [out("cg-out")])
            print(f"  blocks / plain         {hv / cg:.2f}x")
    if args.out:
        # Outputs on tmpfs hold memory until deleted.
        for name in ["cg-out", "mdbook-out", "zola-out", "hugo-out"]:
            shutil.rmtree(out(name), ignore_errors=True)


if __name__ == "__main__":
    main()
