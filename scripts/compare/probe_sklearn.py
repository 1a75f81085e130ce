#!/usr/bin/env python3
"""scikit-learn's logistic-regression probe on raw Fashion-MNIST half-images.

The reference for mi's `LogisticProbe` (Sources/MIEngine/Probes): the same
objective, C * sum of cross-entropies + 0.5 ||W||^2 with the intercept not
penalised, multinomial, L-BFGS, raw pixels scaled to [0, 1] and not
standardised. Outside CI (needs `pip install scikit-learn`).

    python3 scripts/compare/probe_sklearn.py                 # defaults: max_iter=100, tol=1e-4
    python3 scripts/compare/probe_sklearn.py --max-iter 1000 --tol 1e-6

Prints one JSON object per half: test and train accuracy, iterations, the
final objective in mi's scale (C * sum of losses + 0.5 ||W||^2), the fit's
wall time, its CPU time (all threads of this process) and the 1-minute load
average, the same fields as `mi bench --only probe-logistic` prints, so the
two can be run one after the other on a shared machine and compared.
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
from sklearn.linear_model import LogisticRegression

DIRECTORY = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(split, directory):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(directory, f"{prefix}-labels-idx1-ubyte.gz"))
    return images.astype(np.float64) / 255.0, labels.astype(np.int64)


def half(images, which):
    cut = images.shape[1] // 2
    part = images[:, :cut, :] if which == "top" else images[:, cut:, :]
    return part.reshape(len(images), -1)


def objective(model, x, y, c):
    """C * sum_i cross-entropy_i + 0.5 ||W||^2 (intercept not penalised)."""
    logits = x @ model.coef_.T + model.intercept_
    logits -= logits.max(axis=1, keepdims=True)
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(len(y)), y].sum()
    return c * loss + 0.5 * float((model.coef_ ** 2).sum())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directory", default=DIRECTORY)
    parser.add_argument("--max-iter", type=int, default=100)
    parser.add_argument("--tol", type=float, default=1e-4)
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--halves", default="top,bottom")
    args = parser.parse_args()

    train_images, train_labels = load("train", args.directory)
    test_images, test_labels = load("test", args.directory)
    for which in args.halves.split(","):
        x_train, x_test = half(train_images, which), half(test_images, which)
        model = LogisticRegression(C=args.C, solver="lbfgs", max_iter=args.max_iter, tol=args.tol)
        load_before = os.getloadavg()[0]
        start, cpu_start = time.perf_counter(), time.process_time()
        model.fit(x_train, train_labels)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        load_average = max(load_before, os.getloadavg()[0])
        print(json.dumps({
            "half": which,
            "features": x_train.shape[1],
            "train_rows": x_train.shape[0],
            "test_accuracy": float(model.score(x_test, test_labels)),
            "train_accuracy": float(model.score(x_train, train_labels)),
            "iterations": int(model.n_iter_.max()),
            "objective": objective(model, x_train, train_labels, args.C),
            "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu, 2),
            "load_average": round(load_average, 2),
            "max_iter": args.max_iter,
            "tol": args.tol,
        }), flush=True)


if __name__ == "__main__":
    main()
