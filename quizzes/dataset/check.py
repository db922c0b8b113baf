"""`python -m quizzes.dataset.check EPISODE_FOLDER`: validate one episode without a database.

Prints every problem (file: item: reason) and exits 1, or prints the counts and exits 0.
"""

import sys

from quizzes.dataset.reader import DatasetInvalid, dataset_read


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: python -m quizzes.dataset.check EPISODE_FOLDER (e.g. seeds/kazakhstan-2022)", file=sys.stderr)
        return 2
    seeds = argv[1]
    try:
        dataset = dataset_read(seeds)
    except DatasetInvalid as exc:
        print(exc, file=sys.stderr)
        return 1
    for name, count in dataset.counts().items():
        print(f"{name:>18}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
