# Sourced by scripts/demo and scripts/test: make sure the virtualenv exists and holds
# the project with the extras named in $UAGATE_EXTRAS. Reinstalls only when
# pyproject.toml or the extras changed, so a second run starts at once.
#
# PYTHON: the interpreter to build it with (python3 by default).
# UAGATE_VENV: its folder, relative to the checkout (.venv by default); CI's second
# pass on the oldest supported Python uses PYTHON=python3.10 UAGATE_VENV=.venv-3.10.
# Sets $venv to that folder.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

python="${PYTHON:-python3}"
venv="${UAGATE_VENV:-.venv}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    echo "uagate needs Python 3.10 or newer as '$python' (set PYTHON=...)." >&2
    exit 2
fi

if [ ! -x "$venv/bin/python" ]; then
    echo "Creating $venv ..." >&2
    if ! "$python" -m venv "$venv"; then
        echo "Could not create $venv: install the venv module (Debian: apt-get install python3-venv)." >&2
        exit 2
    fi
fi

stamp="$venv/.uagate-installed-${UAGATE_EXTRAS}"
want="$(cat pyproject.toml)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Installing uagate[${UAGATE_EXTRAS}] into $venv ..." >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[${UAGATE_EXTRAS}]"
    printf '%s' "$want" > "$stamp"
fi
