#!/usr/bin/env bash
# Set up the course and open it: creates .venv, installs the pinned requirements and the `utils`
# helpers (editable), then starts JupyterLab on notebooks/.
#
#   bash setup.sh                       # set up (or update) and open JupyterLab
#   bash setup.sh --no-launch           # set up only (what CI does)
#   bash setup.sh --check               # only say whether this Python and .venv can be used
#   bash setup.sh -- --ip=0.0.0.0       # arguments after -- go to `jupyter lab` (containers)
#
# Needs CPython 3.11, 3.12 or 3.13 on Linux (x86_64, aarch64; glibc 2.27+) or on macOS 12+ on
# Apple silicon: the Pythons and platforms for which the pinned TensorFlow 2.21.0 has wheels
# (README.md, "Supported platforms"). Set PYTHON=/path/to/python3.x to choose one. As root (in
# most containers) JupyterLab is started with --allow-root.
set -euo pipefail
cd "$(dirname "$0")"

usage="usage: bash setup.sh [--no-launch | --check] [-- JUPYTER_LAB_ARGS...]"
launch=1
check_only=0
jupyter_extra=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --no-launch) launch=0 ;;
    --check) check_only=1 ;;
    -h | --help) echo "$usage"; exit 0 ;;
    --) shift; jupyter_extra=("$@"); break ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift
done

# How to run this again with the same Python (for the messages below).
rerun="bash setup.sh"
if [ -n "${PYTHON:-}" ]; then rerun="PYTHON=$PYTHON bash setup.sh"; fi
PYTHON=${PYTHON:-python3}

refuse() {  # print each argument as a line on stderr, then stop
  printf 'setup.sh: %s\n' "$1" >&2
  shift
  if [ "$#" -gt 0 ]; then printf '  %s\n' "$@" >&2; fi
  exit 1
}
see="See README.md, \"Supported platforms\"."
is_number() { case "$1" in '' | *[!0-9]*) return 1 ;; esac; }

# One line about the Python: X.Y X.Y.Z implementation os machine libc macOS free-threaded.
# (Written to run on any Python, even an old one, so that it can say what is wrong.)
probe='import platform, sys, sysconfig
v = sys.version_info
libc = "-"
if sys.platform.startswith("linux"):
    name, version = platform.libc_ver()
    libc = (name + "-" + version) if name else "unknown"
gil = "t" if sysconfig.get_config_var("Py_GIL_DISABLED") else "-"
print("%d.%d %d.%d.%d %s %s %s %s %s %s" % (v[0], v[1], v[0], v[1], v[2],
      platform.python_implementation(), sys.platform, platform.machine() or "-", libc,
      platform.mac_ver()[0] or "-", gil))'
if ! info=$("$PYTHON" -c "$probe" 2>/dev/null) || [ -z "$info" ]; then
  refuse "cannot run PYTHON=$PYTHON (not installed, or not a Python)." \
    "Install CPython 3.11, 3.12 or 3.13 (python.org, pyenv, Homebrew, apt) and run:" \
    "PYTHON=python3.12 bash setup.sh" "$see"
fi
read -r version full impl os machine libc macos gil <<<"$info"
major=${version%%.*}
minor=${version#*.}
if ! is_number "$major" || ! is_number "$minor"; then
  refuse "PYTHON=$PYTHON did not say which Python it is (it printed: $info)." \
    "Point PYTHON at a CPython 3.11-3.13 interpreter, e.g. PYTHON=python3.12 bash setup.sh"
fi
found="$PYTHON: Python $full ($impl, $os $machine)"
wheels="TensorFlow 2.21.0 (pinned in requirements.txt) has wheels for CPython 3.10-3.13 only"
other_python="Install CPython 3.12 or 3.13 (or 3.11) and run: PYTHON=python3.12 bash setup.sh"

case "$os" in
  cygwin* | msys* | win32)
    refuse "found $found: native Windows is not supported by setup.sh." \
      "Use WSL2 (Ubuntu) and run bash setup.sh there; it is also the way to a GPU with" \
      "TensorFlow on Windows. $see" ;;
esac
if [ "$impl" != CPython ]; then
  refuse "found $found; the course needs CPython ($wheels)." "$other_python" "$see"
fi
if [ "$major" -lt 3 ] || { [ "$major" -eq 3 ] && [ "$minor" -lt 11 ]; }; then
  refuse "found $found; the course needs Python 3.11 or newer (Keras 3.15, NumPy 2.4)." \
    "$other_python" "$see"
fi
if [ "$major" -gt 3 ] || [ "$minor" -gt 13 ]; then
  refuse "found $found, but $wheels." "$other_python" "$see"
fi
if [ "$gil" = t ]; then
  refuse "found $found, a free-threaded build (python${version}t); $wheels," \
    "and none for free-threaded builds. Use the standard build:" \
    "PYTHON=python$version bash setup.sh" "$see"
fi
case "$os" in
  linux*)
    case "$machine" in
      x86_64 | aarch64) ;;
      *) refuse "found $found: TensorFlow 2.21.0 has Linux wheels for x86_64 and aarch64 only." \
           "Use Colab (README.md, \"Colab\"). $see" ;;
    esac
    glibc=${libc#glibc-}.0.0  # e.g. 2.35.0.0: major and minor below
    glibc_major=${glibc%%.*}
    glibc_minor=${glibc#*.}
    glibc_minor=${glibc_minor%%.*}
    old_glibc=1
    if [ "${libc%%-*}" = glibc ] && is_number "$glibc_major" && is_number "$glibc_minor" \
      && [ $((glibc_major * 1000 + glibc_minor)) -ge 2027 ]; then
      old_glibc=0
    fi
    if [ "$old_glibc" = 1 ]; then
      refuse "found $found with C library $libc: TensorFlow 2.21.0 needs glibc 2.27 or newer" \
        "(manylinux_2_27 wheels; none for musl, e.g. Alpine). Use a newer glibc-based system" \
        "or image, e.g. Debian's python:3.12 rather than python:3.12-alpine. $see"
    fi ;;
  darwin)
    if [ "$machine" != arm64 ]; then
      refuse "found $found: TensorFlow 2.21.0 has macOS wheels for Apple silicon (arm64) only." \
        "On Apple silicon, install an arm64 Python (not one running under Rosetta);" \
        "on an Intel Mac, run the course in Docker (a Linux x86_64 container) or on Colab. $see"
    fi
    if is_number "${macos%%.*}" && [ "${macos%%.*}" -lt 12 ]; then
      refuse "found $found on macOS $macos: TensorFlow 2.21.0 needs macOS 12 or newer. $see"
    fi ;;
  *)
    refuse "found $found: TensorFlow 2.21.0 has wheels for Linux, macOS and Windows only." \
      "Use Linux (a VM or container) or Colab. $see" ;;
esac

# A virtual environment serves the one Python that made it: never reuse it for another one,
# and never delete it without being asked. (An empty .venv folder, e.g. a Docker volume, is
# filled in.)
if [ -L .venv ] || { [ -e .venv ] && [ -n "$(ls -A .venv 2>/dev/null)" ]; }; then
  venv_version=$(.venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' \
    2>/dev/null) || venv_version=""
  if [ -z "$venv_version" ]; then
    made=$(sed -n 's/^version[_info]* *= *//p' .venv/pyvenv.cfg 2>/dev/null | head -n 1) || true
    refuse ".venv exists, but its Python does not run (made on another machine or in a" \
      "container, or by a Python since removed${made:+; .venv/pyvenv.cfg says $made})." \
      "Remove it and run again: rm -rf .venv && $rerun"
  fi
  if [ "$venv_version" != "$version" ]; then
    refuse ".venv was made with Python $venv_version, but PYTHON=$PYTHON is Python $full." \
      "Remove it and run again: rm -rf .venv && $rerun" \
      "(or keep it and use its Python: PYTHON=python$venv_version bash setup.sh)"
  fi
fi

if [ "$check_only" = 1 ]; then
  if [ -x .venv/bin/python ]; then state="its .venv matches"; else state="no .venv yet"; fi
  echo "setup.sh: $found can run the course; $state."
  exit 0
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> creating the virtual environment .venv with $found"
  "$PYTHON" -m venv .venv
fi
echo "==> installing the pinned requirements (first time: a few minutes, about 3 GB)"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
echo "==> installing the course helpers (utils) in editable mode"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
COURSE_MODE=full .venv/bin/python -c "import utils; print('ready:', utils.setup(verbose=False).describe())"

if [ "$launch" = 1 ]; then
  jupyter_args=(notebooks/)
  if [ "$(id -u)" = 0 ]; then
    echo "==> running as root (as in most containers): starting JupyterLab with --allow-root"
    jupyter_args+=(--allow-root)
  fi
  echo "==> opening JupyterLab on notebooks/ (Ctrl+C to stop)"
  exec .venv/bin/jupyter lab "${jupyter_args[@]}" ${jupyter_extra[@]+"${jupyter_extra[@]}"}
fi
