#!/usr/bin/env python3
"""The checks behind scripts/corpus-check.sh: git-initialise a corpus, run remedy over it
twice, and verify that nothing broke, the second run is a no-op and the diff stays inside
the lines of the fixes remedy reported."""

import argparse
import ast
import collections
import json
import os
import re
import subprocess
import sys
import time
import warnings

GIT_ENV = dict(
    os.environ,
    GIT_AUTHOR_NAME="corpus",
    GIT_AUTHOR_EMAIL="corpus@example.com",
    GIT_COMMITTER_NAME="corpus",
    GIT_COMMITTER_EMAIL="corpus@example.com",
    GIT_CONFIG_NOSYSTEM="1",
)


def git(corpus, *args, check=True):
    out = subprocess.run(["git", *args], cwd=corpus, env=GIT_ENV, capture_output=True)
    if check and out.returncode != 0:
        sys.exit(f"git {' '.join(args)} failed: {out.stderr.decode(errors='replace')}")
    return out.stdout


def remedy(binary, corpus, *args):
    start = time.monotonic()
    out = subprocess.run([binary, *args], cwd=corpus, capture_output=True)
    elapsed = time.monotonic() - start
    if out.returncode not in (0, 1):
        sys.stderr.write(out.stderr.decode(errors="replace"))
        sys.exit(f"remedy {' '.join(args)} exited {out.returncode}")
    return out, elapsed


def parses(data):
    """Whether python3's ast accepts the bytes (encoding declarations and BOM honoured)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(data)
        return None
    except (SyntaxError, ValueError) as e:
        return str(e)


def line_starts(text_bytes):
    """Byte offsets where each line starts, as git counts lines (by LF)."""
    starts = [0]
    for m in re.finditer(rb"\n", text_bytes):
        starts.append(m.end())
    return starts


def line_of(starts, offset):
    """One-based line number of a byte offset."""
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1


HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", re.M)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--remedy", required=True)
    parser.add_argument("--corpus", required=True)
    args = parser.parse_args()
    corpus = args.corpus
    failures = []

    git(corpus, "init", "-q", "-b", "main")
    git(corpus, "config", "core.autocrlf", "false")
    git(corpus, "config", "commit.gpgsign", "false")
    git(corpus, "add", "-A", "-f")
    git(corpus, "commit", "-q", "-m", "corpus")
    py_files = [p for p in git(corpus, "ls-files", "-z", "*.py").decode().split("\0") if p]
    print(f"corpus: {len(py_files)} .py files")

    # 1. What remedy reports, with the edit ranges of every fix it would apply.
    check, t_check = remedy(args.remedy, corpus, "check", "--output-format", "json", "--unsafe-fixes", "--exit-zero")
    report = json.loads(check.stdout)
    touched = collections.defaultdict(set)  # path -> original line numbers fixes may touch
    starts_cache = {}
    for f in report["findings"]:
        path = f["path"]
        # A finding's own lines: a later fix round may fix what the first round declined.
        touched[path].update(range(f["line"], f["end_line"] + 1))
        fix = f.get("fix")
        if not fix or fix["applicability"] == "display-only":
            continue
        if path not in starts_cache:
            data = open(os.path.join(corpus, path), "rb").read()
            bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
            starts_cache[path] = (bom, line_starts(data))
        bom, starts = starts_cache[path]
        for e in fix["edits"]:
            first = line_of(starts, e["start"] + bom)
            last = line_of(starts, e["end"] + bom)
            touched[path].update(range(first, last + 1))
    print(f"remedy check: {report['summary']} in {t_check:.1f}s")

    # 2. Apply.
    applied, t_apply = remedy(args.remedy, corpus, "apply", "--unsafe-fixes", "--allow-dirty", "--output-format", "json")
    apply_report = json.loads(applied.stdout)
    print(f"remedy apply: {apply_report['summary']} in {t_apply:.1f}s")

    stray = [p for p in git(corpus, "ls-files", "-z", "--others", "--exclude-standard").decode().split("\0") if p]
    if stray:
        failures.append(f"stray files left behind: {stray[:10]}")

    changed = [p for p in git(corpus, "diff", "--name-only", "-z").decode().split("\0") if p]
    print(f"changed files: {len(changed)}")
    broken = 0
    for path in changed:
        after = open(os.path.join(corpus, path), "rb").read()
        before = git(corpus, "show", f"HEAD:{path}")
        err = parses(after)
        if err is not None:
            if parses(before) is None:
                broken += 1
                failures.append(f"BROKEN: {path}: parsed before, fails after: {err}")
            else:
                print(f"note: {path} did not parse with python3 before either")
        if path not in touched:
            failures.append(f"{path}: changed but check reported no fix in it")
            continue
        diff = git(corpus, "diff", "-U0", "--no-color", "--", path)
        for m in HUNK.finditer(diff):
            old_start, old_count = int(m.group(1)), int(m.group(2) if m.group(2) is not None else 1)
            if old_count == 0:
                # Pure insertion after line old_start: an edit must sit at that boundary.
                ok = old_start in touched[path] or (old_start + 1) in touched[path]
                lines = [old_start]
            else:
                lines = list(range(old_start, old_start + old_count))
                ok = all(n in touched[path] for n in lines)
            if not ok:
                failures.append(f"{path}: diff hunk {m.group(0).decode()} touches lines outside reported fixes")
    print(f"broken files: {broken}")

    # 3. A second run over the fixed tree changes nothing.
    git(corpus, "add", "-A")
    git(corpus, "commit", "-q", "--allow-empty", "-m", "fixed")
    second, t_second = remedy(args.remedy, corpus, "apply", "--unsafe-fixes", "--allow-dirty", "--output-format", "json")
    second_report = json.loads(second.stdout)
    second_changed = [p for p in git(corpus, "status", "--porcelain", "-z").decode().split("\0") if p]
    print(f"second run: {second_report['summary']['applied']} fixes applied, {len(second_changed)} files changed in {t_second:.1f}s")
    if second_changed:
        failures.append(f"second run changed files: {second_changed[:10]}")

    # 4. Fixes per transform, declines, skips.
    per_transform = collections.Counter()
    declines = collections.Counter()
    pending = collections.Counter()
    for f in apply_report["findings"]:
        fix = f.get("fix")
        if fix and fix["applied"]:
            per_transform[f["transform"]] += 1
        elif not fix or fix["applicability"] == "display-only":
            declines[(f["transform"], f["message"])] += 1
        else:
            pending[(f["transform"], f["message"])] += 1
    print("\nfixes applied per transform:")
    for t, n in sorted(per_transform.items()):
        print(f"  {t}: {n}")
    if not per_transform:
        print("  (none)")
    print("\ndeclines (findings without an applied edit):")
    for (t, msg), n in sorted(declines.items(), key=lambda kv: -kv[1]):
        print(f"  {n:5} {t}: {msg}")
    if not declines:
        print("  (none)")
    if pending:
        print("\nfixable but not applied (conflicts or reverted):")
        for (t, msg), n in sorted(pending.items(), key=lambda kv: -kv[1]):
            print(f"  {n:5} {t}: {msg}")
    problems = collections.Counter()
    # The check run reports every file; apply only those with findings.
    seen = set()
    for p in report["problems"] + apply_report["problems"]:
        if (p["path"], p["message"]) in seen:
            continue
        seen.add((p["path"], p["message"]))
        kind = ":".join(re.sub(r"(line|offset|column) \d+", r"\1 N", p["message"]).split(":")[:2])
        problems[kind] += 1
        if "produced a syntax error" in p["message"] or "internal error" in p["message"] or "converge" in p["message"]:
            print(f"problem: {p['path']}: {p['message']}")
    print("\nproblems (skipped or unfixed files) by kind:")
    for k, n in sorted(problems.items(), key=lambda kv: -kv[1]):
        print(f"  {n:5} {k}")
    if not problems:
        print("  (none)")

    print()
    if failures:
        for f in failures:
            print(f"FAIL: {f}")
        print(f"corpus check FAILED ({len(failures)} problems)")
        return 1
    print("corpus check passed: 0 broken files, second run a no-op, diff within reported fix lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
