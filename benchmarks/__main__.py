"""``python -m benchmarks quality|speed|scale [options]`` (install with ``pip install -e .[bench]``)."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    sub = parser.add_subparsers(dest="which", required=True)
    quality = sub.add_parser("quality", help="NMI/ARI/unassigned/coherence against human labels")
    quality.add_argument("--sizes", type=int, nargs="+", default=[300, 1000],
                         help="units per sampled corpus (default: 300 1000)")
    quality.add_argument("--seed", type=int, default=0, help="sampling seed")
    speed = sub.add_parser("speed", help="end-to-end and per-stage time against BERTopic")
    speed.add_argument("--n", type=int, default=1000, help="dialogues to import (default 1000)")
    scale = sub.add_parser("scale", help="time and memory from 1k to 100k segments")
    scale.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    args = parser.parse_args(argv)
    from benchmarks.data import DataMissing

    try:
        if args.which == "quality":
            from benchmarks import quality as module

            module.run(args.sizes, args.seed)
        elif args.which == "speed":
            from benchmarks import speed as module

            module.run(args.n)
        else:
            from benchmarks import scale as module

            module.run(args.sizes)
    except DataMissing as missing:
        print(f"error: {missing}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
