"""What the review queue teaches the linker (issue 25, 4): F1 after 50, 200 and 500 reviews.

    .venv/bin/python benchmarks/linkage_review.py [--set second|names] [--people 5000]
        [--seed 1] [--steps 50,200,500] [--half test]

A reviewer works through the queue in its own order (most consequential first) and
answers from the truth; after each step the lists are linked again with every decision so
far. Two runs side by side: decisions honoured only (must-link / cannot-link,
``learn_from_reviews=False``) and decisions that also move the model's m probabilities
and so its threshold (``learn_from_reviews=True``, dalil's default). Each step reviews
the queue of the previous run, topped up from the next run's queue when it runs short.
Metrics are pairwise, as in ``linkage_independent.py``; the chosen threshold and the
expected precision/recall the run reports are printed beside the measured ones.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from linkage_independent import metrics, pairs_within, rows_from_files, truth_pairs
from linkage_sets import is_arabic, name_pairs, second_generator, write

from dalil.linkage.engine import Decision, LinkageConfig, link, record_key


def main() -> None:
    logging.disable(logging.WARNING)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=("second", "names"), default="second")
    ap.add_argument("--people", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--half", choices=("test",))
    ap.add_argument("--steps", default="50,200,500")
    ap.add_argument("--learning", choices=("both", "yes", "no"), default="both")
    args = ap.parse_args()
    if args.set == "second":
        gen = second_generator.generate(args.people, args.seed, half=args.half)
    else:
        gen = name_pairs.lists(args.people, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        rows = rows_from_files(write(gen, Path(tmp)))
    script = {
        record_key(r["source"], r["record_id"]): "ar" if is_arabic(r["full_name"]) else "lat"
        for r in rows
    }
    truth = truth_pairs(gen)
    steps = [int(s) for s in args.steps.split(",")]
    print(f"set {args.set}, {args.people:,} people, seed {args.seed}, {len(rows):,} records")
    head = "reviews | learning | threshold | expected P / R | precision | recall | F1"
    print(f"\n| {head} | Ar-Lat recall |")
    print("|---|---|---|---|---|---|---|---|")
    for learn in {"both": (False, True), "yes": (True,), "no": (False,)}[args.learning]:
        config = LinkageConfig(learn_from_reviews=learn)
        decided: dict[tuple[str, str], Decision] = {}
        done = 0
        for target in [0, *steps]:
            while True:
                result = link(rows, config, decisions=[(a, b, d) for (a, b), d in decided.items()])
                if done >= target:
                    break
                fresh = [i for i in result.clusters.review if (i.left, i.right) not in decided]
                if not fresh:
                    break
                for item in fresh[: target - done]:
                    pair = (
                        (item.left, item.right)
                        if item.left < item.right
                        else (item.right, item.left)
                    )
                    decided[(item.left, item.right)] = "match" if pair in truth else "no_match"
                    done += 1
            m = metrics(pairs_within(result.clusters.members().values()), truth, script)
            c = result.choice
            p, r, f, _ = m["all"]
            print(
                f"| {done} | {'yes' if learn else 'no'} | {c.threshold:.2f} | "
                f"{c.expected_precision:.3f} / {c.expected_recall:.3f} | {p:.4f} | {r:.4f} | "
                f"{f:.4f} | {m['ar-lat'][1]:.4f} |"
            )


if __name__ == "__main__":
    main()
