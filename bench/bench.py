#!/usr/bin/env python3
"""Build-time benchmark: coursegen against the floor and the other generators.

Generates courses with bench/gen_corpus.py (cached under
bench/.corpus/), runs each generator several times and prints the median wall
time, CPU time (user + system) and peak memory (max RSS) of each.

    python3 bench/bench.py                 # N = 100 and 1000, 5 runs each
    python3 bench/bench.py -n 1000 5000 -r 3
    python3 bench/bench.py --blocks        # also the block-heavy variant
    python3 bench/bench.py --out /dev/shm  # outputs on another filesystem
    python3 bench/bench.py --no-others     # the floor and coursegen only
    python3 bench/bench.py --scaling 1000 5000   # how time grows with N

Outputs go inside each course folder unless --out names a folder for them
(each tool's under its own name). On a disk without a journal (this project's
2-core VM), ext4 skips inodes deleted in the last minutes when it creates files,
so a build run right after deleting the last one's output pays for every file
it creates; --out /dev/shm shows the builds without that cost.

coursegen is built with `cargo build --release` first. mdbook, zola and hugo
are measured when they are on PATH, and so is every Zola that
bench/get-zola.sh installed under bench/.tools (Zola is on npm only, as a Node
addon: that script says how it runs here). Zola 0.21 gets the corpus with
syntect's settings, 0.22 and later the generator's own (giallo).

The floor is bench/floor: pulldown-cmark plus syntect alone, on all cores,
with the same highlighting settings and the system's allocator. coursegen
links mimalloc, which makes syntect's many small allocations cheaper, so the
floor is also measured with mimalloc, to compare like with like.
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
GEN = ROOT / "bench" / "gen_corpus.py"
CACHE = ROOT / "bench" / ".corpus"
OUTPUTS = ["cg-out", "mdbook-out", "zola-out", "hugo-out"]

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


# gen_corpus.py writes Zola 0.22's highlighting settings (giallo); Zola 0.21
# and older highlight with syntect and take these keys instead. Both inline
# styles, like the corpus's Hugo settings.
ZOLA_GIALLO = '[markdown.highlighting]\ntheme = "github-light"\nerror_on_missing_language = true\n'
ZOLA_SYNTECT = '[markdown]\nhighlight_code = true\nhighlight_theme = "inspired-github"\n'


def corpus(n, layout, blocks=False):
    """The generated course for N lessons, made once and cached. The layout
    "zola-syntect" is the zola one with Zola 0.21's settings."""
    name = f"{layout}-{n}" + ("-blocks" if blocks else "")
    out = CACHE / name
    if out.exists():
        return out
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = CACHE / (name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    gen_layout = "zola" if layout == "zola-syntect" else layout
    subprocess.run([sys.executable, str(GEN), "--lessons", str(n), "--out", str(tmp), "--layout", gen_layout], check=True, stdout=subprocess.DEVNULL)
    if layout == "zola-syntect":
        config = tmp / "config.toml"
        text = config.read_text(encoding="utf-8")
        assert ZOLA_GIALLO in text, "gen_corpus.py's Zola settings changed"
        config.write_text(text.replace(ZOLA_GIALLO, ZOLA_SYNTECT), encoding="utf-8")
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


def in_turn(tools, runs):
    """Runs each (label, cmd, cwd, clean) in turn, `runs` rounds, reports
    each, and returns the last one's median wall time and the median of its
    per-round ratios to each of the others: on a shared machine whose speed
    drifts, runs taken moments apart compare better than medians taken a
    minute apart."""
    samples = [[] for _ in tools]
    for _ in range(runs):
        for t, s in zip(tools, samples):
            s.append(sample(t[1], t[2], t[3]))
    walls = [report(t[0], s) for t, s in zip(tools, samples)]
    ratios = [statistics.median(y[0] / x[0] for x, y in zip(s, samples[-1])) for s in samples[:-1]]
    return walls[-1], ratios


def build_tools():
    """coursegen, the floor, and the floor with coursegen's allocator."""
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    floor = ROOT / "bench" / "floor"
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=floor, check=True)
    mi = floor / "target" / "mimalloc"
    subprocess.run(["cargo", "build", "--release", "--quiet", "--features", "mimalloc", "--target-dir", str(mi)], cwd=floor, check=True)
    return ROOT / "target" / "release" / "coursegen", floor / "target" / "release" / "floor", mi / "release" / "floor"


def zolas():
    """Every Zola to measure: one on PATH, and those bench/get-zola.sh put
    under bench/.tools, as (version, command)."""
    found = [shutil.which("zola")] + sorted(str(p) for p in (ROOT / "bench" / ".tools").glob("zola-*/zola"))
    versions = {}
    for cmd in filter(None, found):
        said = subprocess.run([cmd, "--version"], capture_output=True, text=True).stdout.split()
        if len(said) == 2 and said[1] not in versions:
            versions[said[1]] = cmd
    return sorted(versions.items(), key=lambda v: [int(x) for x in v[0].split(".") if x.isdigit()], reverse=True)


def others(out):
    """(label, corpus layout, command) of each other generator installed."""
    tools = []
    if shutil.which("mdbook"):
        tools.append(("mdbook build", "mdbook", ["mdbook", "build", "-d", out("mdbook-out")]))
    for version, cmd in zolas():
        old = [int(x) for x in version.split(".")[:2]] < [0, 22]
        tools.append((f"zola {version} build", "zola-syntect" if old else "zola", [cmd, "build", "-o", out("zola-out"), "--force"]))
    if shutil.which("hugo"):
        tools.append(("hugo build", "hugo", ["hugo", "-d", out("hugo-out"), "--quiet"]))
    return tools


def journal_less_ext4(path):
    """The device when `path` is on an ext4 without a journal (see the module
    notes), else None. Linux only; anything unreadable counts as fine."""
    try:
        path = os.path.realpath(path)
        best = None
        with open("/proc/self/mountinfo", encoding="utf-8") as f:
            for line in f:
                left, right = line.split(" - ", 1)
                point = left.split()[4]
                fstype, source = right.split()[:2]
                inside = path == point or path.startswith(point.rstrip("/") + "/")
                if inside and (best is None or len(point) > len(best[0])):
                    best = (point, fstype, source)
        if best is None or best[1] != "ext4" or not best[2].startswith("/dev/"):
            return None
        device = os.path.basename(best[2])
        journals = os.listdir("/proc/fs/jbd2") if os.path.isdir("/proc/fs/jbd2") else []
        return None if any(j.startswith(device + "-") for j in journals) else best[2]
    except (OSError, ValueError, IndexError):
        return None


def scaling(sizes, coursegen, floor, out, runs):
    """How build time grows from the small course to the large one. Each
    round times both sizes moments apart and the ratio is the median of the
    rounds': a ratio of two medians taken minutes apart moved by 5% on this
    machine, as much as the target's margin."""
    courses = [corpus(n, "mdbook") for n in sizes]
    tools = []
    for n, course in zip(sizes, courses):
        tools.append((f"floor, N = {n}", [str(floor), "src"], course, []))
        tools.append((f"coursegen, N = {n}", [str(coursegen), "build", ".", "-d", out("cg-out")], course, [out("cg-out")]))
    samples = [[] for _ in tools]
    for _ in range(runs):
        for t, s in zip(tools, samples):
            s.append(sample(t[1], t[2], t[3]))
    for t, s in zip(tools, samples):
        report(t[0], s)
    for name, small, large in [("floor", samples[0], samples[2]), ("coursegen", samples[1], samples[3])]:
        ratio = statistics.median(b[0] / a[0] for a, b in zip(small, large))
        print(f"  {name:<10} N = {sizes[1]} / N = {sizes[0]}: {ratio:.2f}x (median of rounds)")
    if out("cg-out") != "cg-out":
        shutil.rmtree(out("cg-out"), ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, nargs="+", default=[100, 1000], help="lesson counts")
    ap.add_argument("-r", "--runs", type=int, default=5)
    ap.add_argument("--blocks", action="store_true", help="also the variant with a flow, steps and a quiz in every lesson")
    ap.add_argument("--out", type=Path, help="folder for the outputs (default: inside each course)")
    ap.add_argument("--no-others", action="store_true", help="measure the floor and coursegen only, not mdbook, zola or hugo")
    ap.add_argument("--scaling", type=int, nargs=2, metavar=("SMALL", "LARGE"), help="instead: time for LARGE lessons over time for SMALL, coursegen and the floor, from rounds that run both sizes in turn")
    ap.add_argument("--skip", action="append", default=[], metavar="LABEL", help="leave out the tools whose label starts so (e.g. 'zola 0.22', 80 s a run at N = 1000)")
    args = ap.parse_args()
    # Where each tool writes: a name inside the course, or a path under --out.
    def out(name):
        return str(args.out.resolve() / f"bench-{name}") if args.out else name
    coursegen, floor, floor_mi = build_tools()
    print(f"machine: {os.cpu_count()} cores; {args.runs} runs each; median wall and cpu, max peak memory")
    device = journal_less_ext4(args.out or CACHE.parent)
    if device:
        print(f"note: the outputs go to {device}, an ext4 without a journal: there, creating a file costs more the more files were deleted in the last minutes, and every run deletes the last output (docs/performance.md, the disk of this machine); --out /dev/shm leaves that out")
    if args.scaling:
        return scaling(args.scaling, coursegen, floor, out, args.runs)
    for n in args.n:
        course = corpus(n, "mdbook")
        print(f"N = {n} ({sum(f.stat().st_size for f in (course / 'src').glob('*.md')) / 1e6:.2f} MB of Markdown)")
        cg, (ratio, ratio_mi) = in_turn([
            ("floor", [str(floor), "src"], course, []),
            ("floor (mimalloc)", [str(floor_mi), "src"], course, []),
            ("coursegen build", [str(coursegen), "build", ".", "-d", out("cg-out")], course, [out("cg-out")]),
        ], args.runs)
        print(f"  coursegen / floor      {ratio:.2f}x (median of rounds); {ratio_mi:.2f}x the floor with mimalloc")
        for label, layout, cmd in [] if args.no_others else others(out):
            if not any(label.startswith(s) for s in args.skip):
                measure(label, cmd, corpus(n, layout), args.runs, [out(o) for o in OUTPUTS])
        if args.blocks:
            heavy = corpus(n, "mdbook", blocks=True)
            hv = measure("coursegen (blocks)", [str(coursegen), "build", ".", "-d", out("cg-out")], heavy, args.runs, [out("cg-out")])
            print(f"  blocks / plain         {hv / cg:.2f}x")
    if args.out:
        # Outputs on tmpfs hold memory until deleted.
        for name in OUTPUTS:
            shutil.rmtree(out(name), ignore_errors=True)


if __name__ == "__main__":
    main()
