#!/usr/bin/env python3
"""scikit-learn's MLP probe on raw Fashion-MNIST half-images.

The reference for mi's `MLPProbe` (Sources/MIEngine/Probes): an MLP with
two hidden layers of 300 ReLU units and a softmax output (002 sec. 5's
non-linear evaluation protocol), trained by Adam on minibatches of 200,
learning rate 1e-3, on raw pixels scaled to [0, 1]. With --early-stopping
(the default) a tenth of the training rows is held out and training stops
once their accuracy has not improved by `tol` for 10 epochs, keeping the
best weights, as mi's probe does. scikit-learn adds an L2 penalty
(alpha = 1e-4) that mi's probe leaves off. Outside CI (needs
`pip install scikit-learn`).

    python3 scripts/compare/probe_mlp_sklearn.py                      # full splits, seeds 0 1 2
    python3 scripts/compare/probe_mlp_sklearn.py --train-limit 12000 --test-limit 2000

Prints one JSON object per seed: test and train accuracy, epochs and the
fit's wall time.
"""
import argparse
import json
import time

from sklearn.neural_network import MLPClassifier

from probe_sklearn import DIRECTORY, half, load


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directory", default=DIRECTORY)
    parser.add_argument("--half", default="top")
    parser.add_argument("--train-limit", type=int, default=None)
    parser.add_argument("--test-limit", type=int, default=None)
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--alpha", type=float, default=1e-4, help="scikit-learn's L2 penalty")
    parser.add_argument("--max-iter", type=int, default=200)
    parser.add_argument("--no-early-stopping", action="store_true",
                        help="stop on the training loss instead (scikit-learn's default)")
    args = parser.parse_args()

    train_images, train_labels = load("train", args.directory)
    test_images, test_labels = load("test", args.directory)
    x_train = half(train_images, args.half)[: args.train_limit]
    y_train = train_labels[: args.train_limit]
    x_test = half(test_images, args.half)[: args.test_limit]
    y_test = test_labels[: args.test_limit]
    for seed in (int(s) for s in args.seeds.split(",")):
        model = MLPClassifier(hidden_layer_sizes=(300, 300), activation="relu", solver="adam",
                              alpha=args.alpha, batch_size=200, learning_rate_init=1e-3,
                              max_iter=args.max_iter, early_stopping=not args.no_early_stopping,
                              validation_fraction=0.1, n_iter_no_change=10, tol=1e-4, random_state=seed)
        start = time.perf_counter()
        model.fit(x_train, y_train)
        seconds = time.perf_counter() - start
        print(json.dumps({
            "half": args.half,
            "seed": seed,
            "train_rows": int(x_train.shape[0]),
            "test_rows": int(x_test.shape[0]),
            "early_stopping": not args.no_early_stopping,
            "test_accuracy": float(model.score(x_test, y_test)),
            "train_accuracy": float(model.score(x_train, y_train)),
            "epochs": int(model.n_iter_),
            "seconds": round(seconds, 2),
        }), flush=True)


if __name__ == "__main__":
    main()
