#!/usr/bin/env python3
"""Reference values for mi's logistic-probe test (Tests/MIEngineTests/Probes).

scikit-learn's LogisticRegression(C, solver='lbfgs') fitted to a tight
tolerance on small deterministic data that the Swift test rebuilds:

    x_ij = sin(0.37 i + 1.3 j) + 0.8 cos(1.7 y_i + 0.9 j),  y_i = (7 i) mod 3,
    i < 150, j < 4

Prints the objective C * sum CE + 0.5 ||W||^2, the weights (features x
classes) and the intercept, for C = 1 and C = 0.05, with full precision.
Outside CI (needs `pip install scikit-learn`).
"""
import math

import numpy as np
from sklearn.linear_model import LogisticRegression


def data(n=150, d=4):
    y = np.array([(7 * i) % 3 for i in range(n)])
    x = np.array([[math.sin(0.37 * i + 1.3 * j) + 0.8 * math.cos(1.7 * y[i] + 0.9 * j) for j in range(d)]
                  for i in range(n)])
    return x, y


def objective(model, x, y, c):
    logits = x @ model.coef_.T + model.intercept_
    m = logits.max(axis=1, keepdims=True)
    log_probs = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    return c * -log_probs[np.arange(len(y)), y].sum() + 0.5 * float((model.coef_ ** 2).sum())


def main():
    x, y = data()
    for c in (1.0, 0.05):
        model = LogisticRegression(C=c, solver="lbfgs", tol=1e-12, max_iter=100000).fit(x, y)
        print(f"C = {c}")
        print("objective", repr(objective(model, x, y, c)))
        print("weights (features x classes)", [[repr(v) for v in row] for row in model.coef_.T.tolist()])
        print("intercept", [repr(v) for v in model.intercept_.tolist()])
        print("train accuracy", model.score(x, y))


if __name__ == "__main__":
    main()
