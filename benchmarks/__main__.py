"""``python -m benchmarks quality|speed|scale|selection|deductive|crash|plots [options]``
(install with ``pip install -e .[bench]``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.plots import BASELINE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    sub = parser.add_subparsers(dest="which", required=True)
    quality = sub.add_parser("quality", help="NMI/ARI/unassigned/coherence against human labels")
    quality.add_argument("--sizes", type=int, nargs="+", default=[300, 1000],
                         help="units per sampled corpus (default: 300 1000)")
    quality.add_argument("--seed", type=int, default=0, help="sampling seed")
    speed = sub.add_parser("speed", help="end-to-end and per-stage time against BERTopic")
    speed.add_argument("--n", type=int, default=1000, help="dialogues to import (default 1000)")
    speed.add_argument("--repeats", type=int, default=4,
                       help="alternated runs of the embedding comparison (default 4)")
    scale = sub.add_parser("scale", help="time and memory from 1k to 100k segments")
    scale.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    selection = sub.add_parser("selection", help="theme selection rules from 1k to 100k units "
                                                 "(themes, largest theme, NMI/ARI)")
    selection.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    selection.add_argument("--variants", nargs="*", default=None,
                           help="names of the variants to run (default: all)")
    deductive = sub.add_parser("deductive", help="codebook suggestions against MTS-Dialog's "
                                                 "section labels, beside label names")
    deductive.add_argument("--seeds", type=int, default=5, help="sampling seeds (default 5)")
    deductive.add_argument("--confirmed", type=int, nargs="+", default=[5, 20],
                           help="confirmed dialogues per code (default: 5 20)")
    deductive.add_argument("--review", type=int, default=100,
                           help="random dialogues a coder codes (default 100)")
    crash = sub.add_parser("crash", help="SIGKILL focuscode at random points; check the "
                                         "project after every kill")
    crash.add_argument("--kills", type=int, default=100, help="kills to survive (default 100)")
    crash.add_argument("--seed", type=int, default=0, help="seed of the kill points")
    crash.add_argument("--cli-every", type=int, default=10,
                       help="every N-th round kills the real 'focuscode analyse' (0: never)")
    plots = sub.add_parser("plots", help="'export plots' on the demo: a baseline commit's code "
                                         "beside this tree's, in one sitting")
    plots.add_argument("--repeats", type=int, default=5, help="alternated runs a side (default 5)")
    plots.add_argument("--baseline", default=BASELINE,
                       help="commit to compare with (default 5657939, before issue 15's plots)")
    plots.add_argument("--keep", type=Path, default=None,
                       help="folder to leave both sides' plots in, to look at")
    args = parser.parse_args(argv)
    if args.which == "plots":
        from benchmarks import plots as module

        module.run(args.repeats, args.baseline, args.keep)
        return 0
    if args.which == "crash":
        from benchmarks import crash as module

        return module.run(args.kills, args.seed, args.cli_every)
    from benchmarks.data import DataMissing

    try:
        if args.which == "quality":
            from benchmarks import quality as module

            module.run(args.sizes, args.seed)
        elif args.which == "selection":
            from benchmarks import selection as module

            module.run(args.sizes, args.variants)
        elif args.which == "deductive":
            from benchmarks import deductive as module

            module.run(args.seeds, tuple(args.confirmed), args.review)
        elif args.which == "speed":
            from benchmarks import speed as module

            module.run(args.n, repeats=args.repeats)
        else:
            from benchmarks import scale as module

            module.run(args.sizes)
    except DataMissing as missing:
        print(f"error: {missing}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
