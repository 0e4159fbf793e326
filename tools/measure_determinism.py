"""Measure what TensorFlow's op determinism costs, and whether it makes runs repeatable.

    .venv/bin/python tools/measure_determinism.py               # 2 runs each way, LeNet on MNIST
    .venv/bin/python tools/measure_determinism.py --no-onednn   # the same with oneDNN off

Each run is a fresh process (op determinism is process-wide): LeNet (utils.models.lenet) on the
first 20,000 MNIST training images, 2 epochs, batch 64, seed 42, then the sum of its weights and
its accuracy on 2,000 test images. Prints one JSON line per run and a summary; the summary is
what README.md and the issue note quote. Run it on an otherwise idle machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

CHILD = r"""
import json, os, sys, time
os.environ["KERAS_BACKEND"] = "tensorflow"
from utils.settings import silence_logs
silence_logs()  # the course's settings: quiet logs
import numpy as np
import keras
import tensorflow as tf

from utils import data, models
deterministic = sys.argv[1] == "1"
keras.utils.set_random_seed(42)
if deterministic:
    tf.config.experimental.enable_op_determinism()
(x, y), (xt, yt) = data.load_mnist()
x = x[:20000, ..., None].astype("float32") / 255; y = y[:20000]
xt = xt[:2000, ..., None].astype("float32") / 255; yt = yt[:2000]
model = models.lenet()
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x[:640], y[:640], epochs=1, batch_size=64, verbose=0)  # warm-up: tracing, not timed
keras.utils.set_random_seed(42)
model = models.lenet()
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
start = time.perf_counter()
model.fit(x, y, epochs=2, batch_size=64, verbose=0)
seconds = time.perf_counter() - start
accuracy = model.evaluate(xt, yt, verbose=0)[1]
checksum = float(sum(float(np.sum(w, dtype=np.float64)) for w in model.get_weights()))
print(json.dumps({"deterministic": deterministic, "seconds": seconds,
                  "accuracy": accuracy, "weight_sum": checksum}))
"""


def main() -> int:
    env = dict(os.environ)
    # the course leaves TensorFlow's oneDNN on (its default); --no-onednn measures it off
    env["TF_ENABLE_ONEDNN_OPTS"] = "0" if "--no-onednn" in sys.argv[1:] else "1"
    print(f"TF_ENABLE_ONEDNN_OPTS={env['TF_ENABLE_ONEDNN_OPTS']}", flush=True)
    runs = []
    for deterministic in ("0", "1", "0", "1"):
        out = subprocess.run([sys.executable, "-c", CHILD, deterministic], check=True,
                             stdout=subprocess.PIPE, text=True, env=env).stdout
        record = json.loads(out.strip().splitlines()[-1])
        print(json.dumps(record), flush=True)
        runs.append(record)
    for flag in (False, True):
        same = [r for r in runs if r["deterministic"] is flag]
        repeatable = same[0]["weight_sum"] == same[1]["weight_sum"]
        seconds = sum(r["seconds"] for r in same) / len(same)
        print(f"op determinism {'on ' if flag else 'off'}: {seconds:.1f} s for 2 epochs "
              f"(mean of 2), weights identical across the two runs: {repeatable}")
    off = sum(r["seconds"] for r in runs if not r["deterministic"]) / 2
    on = sum(r["seconds"] for r in runs if r["deterministic"]) / 2
    print(f"cost of op determinism: {100 * (on / off - 1):+.1f} % training time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
