#!/usr/bin/env bash
# The course's fast test suite (unit tests + every notebook under nbval, fast mode) on a GPU
# machine with the JAX backend. It runs THERE, in the repository root, after
# `bash tools/gpu/prepare.sh` HERE has filled .whl/ and .gpu_data/ (see tools/gpu/README.md).
#
# With the device tool (one call; the machine's python3 has JAX with CUDA but not Keras or
# nbval, and no network):
#   run  carry=[".whl", ".gpu_data"]  command="bash tools/gpu/run_fast_suite.sh"  timeout_s=540
# Part of the suite only: name pytest paths or node ids, e.g.
#   command="bash tools/gpu/run_fast_suite.sh notebooks/05_rnn_text_generation.ipynb"
# What comes back in $OUT: pytest.log (everything this script printed) and junit.xml.
#
# Settings (environment): GPU_SUITE_BUDGET_S (default 500): seconds from the start after which
# pytest is interrupted (SIGINT: it still prints its summary and writes junit.xml), 40 s under
# timeout_s=540; GPU_SUITE_WORKERS (default 4): pytest-xdist processes (--dist loadscope keeps
# each notebook in one process and kernel; 0 runs everything in one process);
# GPU_SUITE_PTH=0: no .pth file in the interpreter's site-packages (see below); for a
# rehearsal without a GPU: PYTHON (default python3, e.g. a scratch Python 3.12 venv),
# GPU_SUITE_ALLOW_CPU=1, GPU_SUITE_SITE and GPU_SUITE_DATA (default /tmp/site, /tmp/gpu_data).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
ROOT=$PWD
PYTHON=${PYTHON:-python3}
BUDGET=${GPU_SUITE_BUDGET_S:-500}
WORKERS=${GPU_SUITE_WORKERS:-4}
OUT=${OUT:-/tmp/gpu_suite_out}
SITE=${GPU_SUITE_SITE:-/tmp/site}
DATA=${GPU_SUITE_DATA:-/tmp/gpu_data}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1

main() {
  echo "==> $(date -u +%FT%TZ) $(hostname): the fast suite, JAX backend, budget ${BUDGET} s"
  nvidia-smi -L || echo "(no nvidia-smi)"

  echo "==> installing the carried wheels into $SITE"
  if ! "$PYTHON" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
      --disable-pip-version-check --target "$SITE" .whl/*.whl; then
    echo "FAILED: the wheels did not install"; return 3
  fi
  # The repository root too: the notebook kernels run in notebooks/ and import utils.
  export PYTHONPATH="$SITE:$ROOT${PYTHONPATH:+:$PYTHONPATH}"
  # Some tests start Python with PYTHONPATH removed (tests/test_settings.py, test_colab.py):
  # a .pth file in the interpreter's site-packages shows them the same two folders. This
  # changes that interpreter, which is fine on the throwaway GPU machine (GPU_SUITE_PTH=0: not).
  if [[ ${GPU_SUITE_PTH:-1} != 0 ]]; then
    local purelib
    purelib=$("$PYTHON" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    if printf '%s\n%s\n' "$SITE" "$ROOT" >"$purelib/course_gpu_suite.pth" 2>/dev/null; then
      echo "    $purelib/course_gpu_suite.pth adds $SITE and $ROOT to sys.path"
    else
      echo "WARNING: $purelib is read-only: Python started without PYTHONPATH lacks Keras"
    fi
  fi
  "$PYTHON" tools/gpu/check_wheels.py .whl --installed \
    || echo "WARNING: a requirement of the carried wheels is not met here (above)"

  echo "==> CIFAR-10: expanding the carried subset; the offline data in $DATA"
  if ! { rm -rf "$DATA" && mkdir -p "$DATA" && cp -r .gpu_data/keras .gpu_data/text "$DATA"/ \
      && "$PYTHON" tools/gpu/cifar_subset.py expand .gpu_data/cifar10_subset.npz \
           "$DATA/keras/datasets/cifar10.npz"; }; then
    echo "FAILED: could not lay out the offline data"; return 3
  fi

  echo "==> versions"
  "$PYTHON" -c "import jax; print(jax.devices())"
  KERAS_BACKEND=jax "$PYTHON" - <<'EOF' || { echo "FAILED: Python set-up"; return 3; }
import os, platform, sys
import jax, keras, nbclient, nbformat, nbval, numpy, pytest, zmq
import ipykernel
print(f"python {platform.python_version()} ({sys.executable})")
print(f"jax {jax.__version__}, keras {keras.__version__} (backend {keras.backend.backend()}), "
      f"numpy {numpy.__version__}, pytest {pytest.__version__}, nbval {nbval.__version__}, "
      f"ipykernel {ipykernel.__version__}, pyzmq {zmq.__version__}")
print("keras from", os.path.dirname(keras.__file__))
gpus = [d for d in jax.devices() if d.platform != "cpu"]
print("JAX devices:", jax.devices())
if not gpus and os.environ.get("GPU_SUITE_ALLOW_CPU") != "1":
    sys.exit("FAILED: JAX sees no GPU (set GPU_SUITE_ALLOW_CPU=1 to run on the CPU anyway)")
EOF

  # The device copies the working tree without .git; two tests ask git about the tree.
  if command -v git >/dev/null && ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "==> not a git repository: making a throwaway one (git init; git add -A)"
    if ! { git init -q . && printf '/.whl/\n/.gpu_data/\n' >>.git/info/exclude && git add -A; }; then
      echo "WARNING: could not make the git repository"
    fi
  fi

  local args=("$@")
  ((${#args[@]})) || args=(tests notebooks)
  local xdist=()
  if ((WORKERS > 0)); then
    if "$PYTHON" -c "import xdist" 2>/dev/null; then
      xdist=(-n "$WORKERS" --dist loadscope)
    else
      echo "WARNING: pytest-xdist is not installed: one process"
    fi
  fi
  local left=$((BUDGET - SECONDS))
  ((left > 30)) || { echo "FAILED: no time left for the tests"; return 3; }
  echo "==> pytest ${args[*]} (${xdist[*]:-one process}; interrupted after ${left} s)"
  # Deselected: the ruff lint (ruff is not carried; no GPU matter) and the tests that start a
  # Python on the TensorFlow backend (TensorFlow is not on the GPU machine; 600 MB of wheels).
  local deselect=(
    tests/test_notebooks.py::test_ruff_is_clean_on_utils_tests_and_notebooks
    "tests/test_settings.py::test_setup_makes_every_generator_reproducible[tensorflow]"
    tests/test_settings.py::test_setup_line_says_deterministic_ops_on_tensorflow
    "tests/test_settings.py::test_full_float32_sets_and_restores_the_precision[tensorflow-True-False]"
  )
  # pyproject's addopts add --nbval-lax --nbval-current-env (the kernel is this interpreter).
  KERAS_BACKEND=jax COURSE_SHARED_DATA=$DATA XLA_PYTHON_CLIENT_PREALLOCATE=false \
    timeout --signal=INT --kill-after=20 "$left" \
    "$PYTHON" -m pytest -p no:cacheprovider -ra --durations=30 --junitxml="$OUT/junit.xml" \
      "${deselect[@]/#/--deselect=}" "${xdist[@]}" "${args[@]}"
  local rc=$?
  ((rc == 124)) && echo "==> INTERRUPTED: the budget of ${BUDGET} s ran out (partial results)"
  echo "==> pytest exit code $rc after $SECONDS s in all"
  return "$rc"
}

main "$@" 2>&1 | tee "$OUT/pytest.log"
exit "${PIPESTATUS[0]}"
