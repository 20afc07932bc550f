"""Benchmark: the IDM for every Indonesian village over ten years, at once.

Target (issue 3): 750,000 village-years (75,000 villages × 10 years) computed in under
0.5 s on one core, and at least 100× faster than a plain per-village Python implementation
of the same formula on the same data (which is also checked to give the same answers).
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from mitradesa.idm import compute_many, load_scheme

TARGET_SECONDS = 0.5
TARGET_SPEEDUP = 100


def per_village_python(rows: list[list[int]]) -> list[tuple[float, ...]]:
    """The same figures as compute_many, as a plain loop per village-year (no numpy):
    published IKS, IKE, IKL and IDM, status, target status and PENAMBAHAN."""
    scheme = load_scheme()
    sizes = [index.size for index in scheme.indices]
    uppers = [status.upper for status in scheme.statuses]
    minimal = [float(status.skor_minimal) for status in scheme.statuses]
    digits = scheme.significant_digits
    last = len(uppers) - 1
    results = []
    for scores in rows:
        start, parts = 0, []
        for size in sizes:
            parts.append(sum(scores[start : start + size]) / (scheme.max_score * size))
            start += size
        raw = (parts[0] + parts[1] + parts[2]) / 3
        status = next((i for i, upper in enumerate(uppers) if raw <= upper), last)
        idm = float(f"{raw:.{digits}g}")
        published = [float(f"{part:.{digits}g}") for part in parts]
        results.append((*published, idm, status, min(status + 1, last), minimal[status] - idm))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--villages", type=int, default=75_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--sample", type=int, default=20_000, help="rows for the Python loop")
    args = parser.parse_args()
    rows = args.villages * args.years
    scores = np.random.default_rng(2016).integers(0, 6, size=(rows, 50), dtype=np.int8)

    start = time.perf_counter()
    compute_many(scores[:10])  # builds the lookup tables once per process
    cold = time.perf_counter() - start
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        figures = compute_many(scores)
        timings.append(time.perf_counter() - start)
    best = min(timings)

    sample = scores[: args.sample].tolist()
    start = time.perf_counter()
    slow = per_village_python(sample)
    loop_seconds = (time.perf_counter() - start) * rows / len(sample)
    columns = (figures.iks, figures.ike, figures.ikl, figures.idm, figures.status,
               figures.target_status, figures.penambahan)
    same = list(zip(*(column[: len(sample)].tolist() for column in columns), strict=True))
    if same != slow:
        print("MISMATCH between compute_many and the per-village loop", file=sys.stderr)
        return 1
    speedup = loop_seconds / best
    print(f"IDM compute_many: {rows:,} village-years ({args.villages:,} villages × "
          f"{args.years} years) in {best:.3f} s (best of 3; table build once per process "
          f"{cold:.2f} s) = {rows / best:,.0f} village-years/s "
          f"(target < {TARGET_SECONDS} s) — {'OK' if best < TARGET_SECONDS else 'MISSED'}")
    print(f"  per-village Python loop (same formula, {len(sample):,} rows measured, same "
          f"answers): {loop_seconds:.1f} s for {rows:,} → speed-up {speedup:,.0f}× "
          f"(target ≥ {TARGET_SPEEDUP}×) — {'OK' if speedup >= TARGET_SPEEDUP else 'MISSED'}")
    return 0 if best < TARGET_SECONDS and speedup >= TARGET_SPEEDUP else 1


if __name__ == "__main__":
    sys.exit(main())
