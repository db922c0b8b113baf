"""`python -m quizzes.dataset.check [SEEDS_DIR]`: validate the dataset without a database.

Prints every problem (file: item: reason) and exits 1, or prints the counts and exits 0.
"""

import sys

from quizzes.dataset.reader import DatasetInvalid, dataset_read


def main(argv: list[str]) -> int:
    seeds = argv[1] if len(argv) > 1 else "seeds/kazakhstan-2022"
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
