# shellcheck shell=bash
# Shared environment setup for scripts/demo and scripts/test (sourced, not run).
#
# After `safepath_setup`:
#   - .venv exists and holds exactly requirements.lock plus safepath itself (editable);
#   - node_modules matches package-lock.json;
#   - the GOV.UK assets are built into safepath/core/static/govuk/.
# Each step is skipped when its inputs have not changed since it last succeeded
# (stamp files hold a hash of the inputs).
# Every step checks its own exit status: callers may run safepath_setup where `set -e`
# does not apply (as in `safepath_setup || ...`).

SAFEPATH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SAFEPATH_ROOT
export PIP_DISABLE_PIP_VERSION_CHECK=1

VENV="$SAFEPATH_ROOT/.venv"
VENV_STAMP="$VENV/.safepath-installed"
NODE_STAMP="$SAFEPATH_ROOT/node_modules/.safepath-installed"
ASSETS_DIR="$SAFEPATH_ROOT/safepath/core/static/govuk"
ASSETS_STAMP="$SAFEPATH_ROOT/node_modules/.safepath-assets-built"

if [[ -t 2 ]]; then _BOLD=$'\033[1m' _PLAIN=$'\033[0m'; else _BOLD="" _PLAIN=""; fi
say() { printf '%s==> %s%s\n' "$_BOLD" "$*" "$_PLAIN" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Hash of the named files' contents (paths relative to the repository root).
_inputs_hash() {
    (cd "$SAFEPATH_ROOT" && cat -- "$@" 2>/dev/null | "$SAFEPATH_PYTHON" -c \
        'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
}

_stamp_matches() {  # stamp_file hash
    [[ -f "$1" ]] && [[ "$(cat "$1")" == "$2" ]]
}

# The first python3 on PATH that is 3.11 or newer.
_find_python() {
    local candidate
    for candidate in python3 python3.14 python3.13 python3.12 python3.11; do
        if command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

_setup_python() {
    SAFEPATH_PYTHON="$(_find_python)" || die "Python 3.11 or newer is needed (none found as python3 on PATH)."
    if [[ -x "$VENV/bin/python" ]] && ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
        say "The virtual environment in .venv is broken; recreating it"
        rm -rf "$VENV"
    fi
    if [[ ! -x "$VENV/bin/python" ]]; then
        say "Creating the virtual environment in .venv"
        "$SAFEPATH_PYTHON" -m venv "$VENV" \
            || die "python3 -m venv failed. On Debian or Ubuntu install the venv module: apt-get install python3-venv"
    fi
    local want
    want="$(_inputs_hash requirements.lock pyproject.toml)" || die "could not hash requirements.lock"
    if ! _stamp_matches "$VENV_STAMP" "$want"; then
        say "Installing Python packages from requirements.lock"
        rm -f "$VENV_STAMP"
        "$VENV/bin/python" -m pip install --quiet --require-hashes -r "$SAFEPATH_ROOT/requirements.lock" \
            || die "pip could not install requirements.lock"
        "$VENV/bin/python" -m pip install --quiet --no-deps -e "$SAFEPATH_ROOT" \
            || die "pip could not install safepath itself (pip install -e .)"
        printf '%s\n' "$want" >"$VENV_STAMP"
    fi
}

_setup_assets() {
    command -v node >/dev/null 2>&1 || die "Node.js is needed to build the GOV.UK assets (node not found on PATH)."
    command -v npm >/dev/null 2>&1 || die "npm is needed to build the GOV.UK assets (npm not found on PATH)."
    local want_modules want_assets built=0
    want_modules="$(_inputs_hash package.json package-lock.json)"
    if [[ ! -d "$SAFEPATH_ROOT/node_modules" ]] || ! _stamp_matches "$NODE_STAMP" "$want_modules"; then
        say "Installing npm packages (npm ci)"
        (cd "$SAFEPATH_ROOT" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
        printf '%s\n' "$want_modules" >"$NODE_STAMP"
        built=1
    fi
    # Rebuild when the npm packages, the build script or the Sass sources change.
    local sources=() f
    while IFS= read -r f; do sources+=("$f"); done \
        < <(cd "$SAFEPATH_ROOT" && find safepath/core/static_src -type f 2>/dev/null | LC_ALL=C sort)
    want_assets="$(_inputs_hash package-lock.json scripts/build-assets.mjs "${sources[@]}")"
    if [[ $built == 1 || ! -f "$ASSETS_DIR/safepath.css" ]] || ! _stamp_matches "$ASSETS_STAMP" "$want_assets"; then
        say "Building the GOV.UK assets (npm run build)"
        (cd "$SAFEPATH_ROOT" && npm run --silent build) || die "npm run build failed"
        printf '%s\n' "$want_assets" >"$ASSETS_STAMP"
    fi
}

safepath_setup() {
    _setup_python
    _setup_assets
    export PATH="$VENV/bin:$PATH"
}
