"""The Python peers of `driftwatch bench drift`: pandas.read_csv of both files, then
scipy.stats.ks_2samp on the 20 numeric columns (arrays already in memory). Prints
`read_seconds S` and `ks_seconds S` (medians over the repetitions). Exit 3 when a package is missing.

Usage: python3 peers.py reference.csv current.csv [repeats]
Install: python3 -m pip install numpy scipy pandas
"""
import statistics
import sys
import time

try:
    import pandas as pd
    from scipy import stats
except ImportError as exc:  # the bench prints how to install them
    print(f"missing peer package: {exc}", file=sys.stderr)
    sys.exit(3)


def main() -> None:
    ref_path, cur_path = sys.argv[1], sys.argv[2]
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    reads, kss = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        ref = pd.read_csv(ref_path)
        cur = pd.read_csv(cur_path)
        t1 = time.perf_counter()
        numeric = [c for c in ref.columns if c.startswith("num_")]
        arrays = [(ref[c].to_numpy(), cur[c].to_numpy()) for c in numeric]
        t2 = time.perf_counter()
        for r, c in arrays:
            stats.ks_2samp(r, c)
        t3 = time.perf_counter()
        reads.append(t1 - t0)
        kss.append(t3 - t2)
        del ref, cur, arrays
    print(f"read_seconds {statistics.median(reads):.4f}")
    print(f"ks_seconds {statistics.median(kss):.4f}")


if __name__ == "__main__":
    main()
