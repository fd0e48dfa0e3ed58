#!/usr/bin/env bash
# Corpus check: run `remedy apply --unsafe-fixes` over real code nobody here wrote (pinned
# PyPI sdists plus CPython's standard library) and prove it broke nothing:
#   - every changed file still parses with python3's `ast`;
#   - a second run changes nothing;
#   - the diff touches only the lines of the fixes `remedy check` reported beforehand;
#   - no stray files (temp files) are left behind.
# Prints fixes per transform, declines and skipped files. Exit 0 when all checks hold.
#
# Environment:
#   REMEDY               remedy binary to use (default: build target/release/remedy)
#   REMEDY_CORPUS_CACHE  where sdists are cached (default: ~/.cache/remedy-corpus)
#   REMEDY_CORPUS_KEEP   set to 1 to keep the work directory for inspection
#   PYTHON               python3 interpreter (default: python3)
#   REMEDY_CORPUS_OPTIONAL  set to 1 to skip (exit 0, with a message) when PyPI is unreachable
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
python="${PYTHON:-python3}"
cache="${REMEDY_CORPUS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/remedy-corpus}"

# Pinned sdists: bump deliberately, never float.
packages=(
  "django==5.0.6"
  "flask==3.0.3"
  "fastapi==0.111.0"
  "starlette==0.37.2"
  "sqlalchemy==2.0.30"
  "celery==5.4.0"
  "werkzeug==3.0.3"
  "pydantic==2.7.1"
  "redis==5.0.4"
  "stripe==9.6.0"
)

if [[ -z "${REMEDY:-}" ]]; then
  (cd "$repo" && cargo build --release --locked --quiet)
  REMEDY="${CARGO_TARGET_DIR:-$repo/target}/release/remedy"
fi
[[ -x "$REMEDY" ]] || { echo "error: remedy binary not found at $REMEDY" >&2; exit 2; }

mkdir -p "$cache"
for spec in "${packages[@]}"; do
  name="${spec%%==*}"
  version="${spec##*==}"
  marker="$cache/.$name-$version.ok"
  if [[ ! -f "$marker" ]]; then
    echo "downloading $spec" >&2
    if ! "$python" -m pip download --quiet --disable-pip-version-check --no-binary :all: --no-deps \
      -d "$cache" "$spec" >&2; then
      if [[ "${REMEDY_CORPUS_OPTIONAL:-0}" == 1 ]]; then
        echo "corpus check SKIPPED: cannot download $spec from PyPI (no network?)" >&2
        exit 0
      fi
      echo "error: cannot download $spec from PyPI" >&2
      exit 2
    fi
    touch "$marker"
  fi
done

work="$(mktemp -d "${TMPDIR:-/tmp}/remedy-corpus.XXXXXX")"
if [[ "${REMEDY_CORPUS_KEEP:-0}" != 1 ]]; then
  trap 'rm -rf "$work"' EXIT
else
  echo "work directory: $work" >&2
fi
corpus="$work/corpus"
mkdir -p "$corpus"

for spec in "${packages[@]}"; do
  name="${spec%%==*}"
  version="${spec##*==}"
  # sdist names vary in case and separators (Django-5.0.6, sqlalchemy-2.0.30, ...).
  archive="$(find "$cache" -maxdepth 1 \( -iname "${name}-${version}.tar.gz" -o -iname "${name}-${version}.zip" \) | head -n1)"
  [[ -n "$archive" ]] || { echo "error: no sdist for $spec in $cache" >&2; exit 2; }
  mkdir -p "$corpus/$name"
  case "$archive" in
    *.zip) (cd "$corpus/$name" && "$python" -m zipfile -e "$archive" .) ;;
    *) tar -xzf "$archive" -C "$corpus/$name" --strip-components=1 ;;
  esac
done

stdlib="$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
mkdir -p "$corpus/cpython-stdlib"
# site-packages holds third-party code installed into this interpreter: not the stdlib.
(cd "$stdlib" && tar --exclude='./site-packages' --exclude='./dist-packages' --exclude='__pycache__' -cf - .) \
  | tar -xf - -C "$corpus/cpython-stdlib"

exec "$python" "$here/corpus_check.py" --remedy "$REMEDY" --corpus "$corpus"
