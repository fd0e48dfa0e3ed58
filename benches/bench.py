#!/usr/bin/env python3
"""remedy's benchmark: `remedy check` against `ruff check` and a parse-only floor.

Run from a fresh clone with:  python3 benches/bench.py
Corpus: this machine's CPython standard library (sysconfig's stdlib path, without
site-packages), copied 1x, 2x and 4x for scaling. ruff is installed into a throwaway venv
under benches/.cache. Runs alternate between tools within one invocation; medians and ratios
are printed, with peak RSS from /usr/bin/time -v. Two floors are measured with the same walk
and thread pool as remedy: parsing every file, and only reading every file (the I/O floor).
Last, how many files each transform's prefilter lets through to the parser.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benches" / ".cache"
RUFF_RULES = "DTZ003,DTZ004,S301,S105,S106,S107,ERA001"
RUFF_VERSION = "0.17.6"


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def build():
    sh(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT)
    sh(["cargo", "build", "--release", "--locked", "--quiet", "--example", "parse_only", "--example", "prefilter_stats"], cwd=ROOT)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "release" / "remedy", target / "release" / "examples"


def ruff():
    venv = CACHE / "venv"
    exe = venv / "bin" / "ruff"
    if not exe.exists():
        sh([sys.executable, "-m", "venv", str(venv)])
        sh([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", f"ruff=={RUFF_VERSION}"])
    return exe


def corpus(copies):
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    base = CACHE / "corpus" / "1x"
    if not base.exists():
        tmp = base.with_suffix(".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(stdlib, tmp, ignore=shutil.ignore_patterns("site-packages", "__pycache__", "*.pyc"))
        tmp.rename(base)
    if copies == 1:
        return base
    multi = CACHE / "corpus" / f"{copies}x"
    if not multi.exists():
        tmp = multi.with_suffix(".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for i in range(copies):
            shutil.copytree(base, tmp / f"copy{i}")
        tmp.rename(multi)
    return multi


def measure(cmd, cwd):
    """Wall seconds and peak RSS (KiB) of one run."""
    start = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-v", *cmd], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    rss = 0
    for line in out.stderr.splitlines():
        if "Maximum resident set size" in line:
            rss = int(line.split(":")[1])
    if out.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} failed ({out.returncode}):\n{out.stderr[-2000:]}")
    return wall, rss


def stats(corpus_dir):
    files = [p for p in corpus_dir.rglob("*.py") if p.is_file()]
    lines = 0
    size = 0
    for p in files:
        data = p.read_bytes()
        size += len(data)
        lines += data.count(b"\n")
    return len(files), lines, size


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7, help="runs per tool per corpus (median reported)")
    ap.add_argument("--scales", default="1,2,4", help="corpus copies to measure")
    args = ap.parse_args()
    remedy, examples = build()
    parse_only = examples / "parse_only"
    ruff_exe = ruff()
    print(f"machine: {os.cpu_count()} cores; ruff {RUFF_VERSION}; runs per tool: {args.runs}")
    rows = []
    for scale in [int(s) for s in args.scales.split(",")]:
        cdir = corpus(scale)
        nfiles, nlines, nbytes = stats(cdir)
        tools = {
            "remedy check": [str(remedy), "check", "--exit-zero", "--quiet", "."],
            "ruff check": [str(ruff_exe), "check", "--no-cache", "--isolated", "--exit-zero", "--quiet", "--select", RUFF_RULES, "."],
            "parse only": [str(parse_only), "."],
            "read only": [str(parse_only), "--read-only", "."],
        }
        for cmd in tools.values():  # warm the page cache
            measure(cmd, cdir)
        samples = {name: [] for name in tools}
        for _ in range(args.runs):
            for name, cmd in tools.items():  # alternate tools within each round
                samples[name].append(measure(cmd, cdir))
        med = {n: statistics.median(w for w, _ in s) for n, s in samples.items()}
        rss = {n: max(r for _, r in s) for n, s in samples.items()}
        rows.append((scale, nfiles, nlines, nbytes, med, rss))
        print(f"\n{scale}x corpus: {nfiles} files, {nlines} lines, {nbytes / 1e6:.1f} MB")
        print(f"| tool | median wall (s) | peak RSS (MiB) | wall vs ruff |")
        print(f"|---|---|---|---|")
        for n in tools:
            print(f"| {n} | {med[n]:.3f} | {rss[n] / 1024:.1f} | {med[n] / med['ruff check']:.2f}x |")
    print("\nwhy remedy is cheaper than parsing everything (1x corpus):")
    sh([str(examples / "prefilter_stats"), str(corpus(1))])
    if len(rows) > 1:
        print("\nscaling (remedy check wall per MB):")
        for scale, _, _, nbytes, med, _ in rows:
            print(f"  {scale}x: {med['remedy check'] / (nbytes / 1e6) * 1000:.2f} ms/MB")


if __name__ == "__main__":
    main()
