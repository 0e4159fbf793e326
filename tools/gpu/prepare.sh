#!/usr/bin/env bash
# Prepare what the GPU run of the fast test suite carries (see tools/gpu/README.md):
#   .whl/       wheels for Python 3.12 x86-64 Linux of what the GPU machine lacks: Keras and
#               nbval with everything they need down the tree (the machine has no network);
#   .gpu_data/  the offline data in the layout conftest.py reads from COURSE_SHARED_DATA
#               (keras/datasets, keras/models, text/), with CIFAR-10 as a small real subset
#               (cifar10_subset.npz) that run_fast_suite.sh expands there.
# Both are ignored through .git/info/exclude and travel as the device tool's `carry`.
# Run it from anywhere: bash tools/gpu/prepare.sh [--force]   (--force: rebuild the CIFAR subset)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SHARED=${COURSE_SHARED_DATA:-$ROOT/../shared/data}
PY=${PREPARE_PYTHON:-$ROOT/.venv/bin/python}  # any Python with pip, numpy and packaging
LIMIT_MIB=60
FORCE=0
[[ ${1:-} == --force ]] && FORCE=1

# The versions are this course's .venv's (pip freeze), where the suite passes; Python 3.12 has
# wheels of each. Already on the GPU machine (KINDS.md), so not carried: numpy, absl-py, h5py,
# ml-dtypes, packaging, rich, pytest, coverage, attrs, python-dateutil, typing-extensions,
# psutil, pygments (tools/gpu/device_packages.txt; check_wheels.py checks the tree).
WHEELS=(
  keras==3.15.1 namex==0.1.0 optree==0.20.0
  nbval==0.11.0 nbformat==5.11.1 nbclient==0.11.0
  ipykernel==7.4.0 jupyter_client==8.10.0 jupyter_core==5.9.1 traitlets==5.16.1
  pyzmq==27.3.0 tornado==6.6.1 comm==0.2.3 debugpy==1.8.22 matplotlib-inline==0.2.2
  nest-asyncio2==1.7.4 platformdirs==4.14.8
  ipython==9.18.1 ipython_pygments_lexers==1.1.1 jedi==0.20.1 parso==0.8.7
  pexpect==4.9.0 ptyprocess==0.7.0 prompt_toolkit==3.0.53 wcwidth==0.9.4
  stack_data==0.6.3 asttokens==3.0.2 executing==2.3.0 pure_eval==0.2.4
  fastjsonschema==2.22.3 jsonschema==4.26.0 jsonschema-specifications==2025.9.1
  referencing==0.37.0 rpds-py==2026.9.1
)

echo "==> ignoring /.whl/ and /.gpu_data/ (.git/info/exclude)"
exclude=$(git rev-parse --git-path info/exclude)
mkdir -p "$(dirname "$exclude")"
touch "$exclude"
for line in /.whl/ /.gpu_data/; do
  grep -qxF "$line" "$exclude" || echo "$line" >>"$exclude"
done

echo "==> wheels for CPython 3.12 manylinux x86_64 into .whl/"
mkdir -p .whl
platforms=()
for p in manylinux_2_{39,38,35,34,31,28,27,26,24,17}_x86_64 manylinux2014_x86_64 manylinux1_x86_64; do
  platforms+=(--platform "$p")
done
pip_log=$(mktemp)
trap 'rm -f "$pip_log"' EXIT
if ! nice -n 19 "$PY" -m pip download --quiet --disable-pip-version-check --no-deps \
  --only-binary=:all: --python-version 3.12 --implementation cp --abi cp312 --abi abi3 \
  --abi none "${platforms[@]}" -d .whl "${WHEELS[@]}" 2>"$pip_log"; then
  cat "$pip_log" >&2
  exit 1
fi
grep -v "is ignored: it is neither a file nor a directory" "$pip_log" >&2 || true
# Keep exactly the pinned ones: a wheel left from another version would stop the install.
"$PY" - "${WHEELS[@]}" <<'EOF'
import sys
from pathlib import Path

from packaging.utils import canonicalize_name, parse_wheel_filename

wanted = {}
for spec in sys.argv[1:]:
    name, version = spec.split("==")
    wanted[canonicalize_name(name)] = version
found = set()
for path in sorted(Path(".whl").glob("*.whl")):
    name, version, _, _ = parse_wheel_filename(path.name)
    if wanted.get(name) == str(version):
        found.add(name)
    else:
        print(f"    removing {path.name} (not pinned here)")
        path.unlink()
for path in Path(".whl").iterdir():
    if path.suffix != ".whl":
        print(f"    removing {path.name} (not a wheel)")
        path.unlink()
missing = sorted(set(wanted) - found)
if missing:
    sys.exit(f"no wheel downloaded for: {', '.join(missing)}")
EOF
ls .whl
echo "==> are all their requirements carried or on the GPU machine?"
"$PY" tools/gpu/check_wheels.py .whl

echo "==> offline data into .gpu_data/ (from $SHARED)"
test -f "$SHARED/keras/datasets/mnist.npz" || { echo "no offline data at $SHARED" >&2; exit 1; }
mkdir -p .gpu_data/keras/datasets .gpu_data/keras/models .gpu_data/text
# fashion-mnist is not copied: no notebook or test reads it.
install -m 644 "$SHARED/keras/datasets/mnist.npz" .gpu_data/keras/datasets/
install -m 644 "$SHARED"/keras/models/* .gpu_data/keras/models/
install -m 644 "$SHARED"/text/*.txt .gpu_data/text/
rm -f .gpu_data/keras/datasets/cifar10.npz  # the full file never travels (170 MB)
subset=.gpu_data/cifar10_subset.npz
source=$SHARED/keras/datasets/cifar10.npz
if [[ $FORCE == 1 || ! -f $subset || $source -nt $subset || tools/gpu/cifar_subset.py -nt $subset ]]; then
  nice -n 19 "$PY" tools/gpu/cifar_subset.py make "$source" "$subset"
else
  echo "    $subset is up to date (--force rebuilds it)"
fi

echo "==> what travels to the GPU machine"
for dir in .whl .gpu_data; do
  git check-ignore -q "$dir/x" || { echo "$dir/ is not ignored by git" >&2; exit 1; }
done
"$PY" - "$LIMIT_MIB" <<'EOF'
import subprocess
import sys
from pathlib import Path

limit = float(sys.argv[1]) * 2**20


def size(paths):
    return sum(p.stat().st_size for p in paths if p.is_file() and not p.is_symlink())


listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                        capture_output=True, text=True, check=True).stdout
tree = size(Path(name) for name in set(filter(None, listed.split("\0"))))
wheels = size(Path(".whl").rglob("*"))
data = size(Path(".gpu_data").rglob("*"))
total = tree + wheels + data
for label, value in (("working tree (tracked + untracked, not ignored)", tree),
                     (".whl", wheels), (".gpu_data", data), ("total", total)):
    print(f"    {label:<50}{value / 2**20:7.1f} MiB")
if total > limit:
    sys.exit(f"over {limit / 2**20:.0f} MiB: the device tool takes 64 MiB in all")
EOF
echo "==> ready: carry [\".whl\", \".gpu_data\"], command: bash tools/gpu/run_fast_suite.sh"
