"""The Python peers of `driftwatch bench train`: scikit-learn's SGDClassifier(loss='log_loss',
max_iter=5, tol=None) and LogisticRegression() (lbfgs, C=1) fitted on the same float64 arrays the
Swift trainer sees (written by the bench as .npy files), then scored on the same held-out rows.
Prints `<name>_seconds S` and `<name>_accuracy A` for name in sgd, lbfgs (fit time only: the
arrays are already in memory). Exit 3 when a package is missing.

Usage: python3 peers.py X_train.npy y_train.npy X_test.npy y_test.npy [seed]
Install: python3 -m pip install scikit-learn
"""
import sys
import time
import warnings

try:
    import numpy as np
    from sklearn.linear_model import LogisticRegression, SGDClassifier
except ImportError as exc:  # the bench prints how to install them
    print(f"missing peer package: {exc}", file=sys.stderr)
    sys.exit(3)


def main() -> None:
    x_train, y_train, x_test, y_test = (np.load(path) for path in sys.argv[1:5])
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    peers = [
        ("sgd", SGDClassifier(loss="log_loss", max_iter=5, tol=None, random_state=seed)),
        ("lbfgs", LogisticRegression()),
    ]
    for name, model in peers:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # max_iter=5 warns that it did not converge, by design
            start = time.perf_counter()
            model.fit(x_train, y_train)
            seconds = time.perf_counter() - start
        accuracy = float((model.predict(x_test) == y_test).mean())
        print(f"{name}_seconds {seconds:.4f}")
        print(f"{name}_accuracy {accuracy:.6f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
