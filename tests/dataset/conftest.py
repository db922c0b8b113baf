"""A small, fully controlled seeds folder for the loader's failure tests.

The real dataset grows and changes; the failure tests must not. `mini_seeds` builds a folder
with the real JSON Schemas, one short source text and a handful of items of every kind.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

REAL_SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "kazakhstan-2022"

TEXT = (
    "Protests began in Zhanaozen on January 2 after the price of liquefied gas doubled. "
    "On January 5 President Tokayev dismissed the government. "
    "Police said 33 police cars were burned. “Terrorist gangs” trained abroad, Tokayev said.\n"
    "Leave a Reply\nYour email address will not be published."
)


def ev(quote: str) -> list[dict]:
    return [{"source": "mini", "quote": quote}]


def mini_data() -> dict[str, dict]:
    return {
        "topics.yaml": {"topics": [{"slug": "protests", "name": "Protests"}]},
        "entities.yaml": {
            "entities": [
                {"slug": "zhanaozen", "name": "Zhanaozen", "kind": "place", "evidence": ev("Protests began in Zhanaozen")},
                {
                    "slug": "tokayev",
                    "name": "Kassym-Jomart Tokayev",
                    "kind": "person",
                    "aliases": ["Tokayev"],
                    "roles": [{"title": "President of Kazakhstan", "evidence": ev("President Tokayev")}],
                    "evidence": ev("President Tokayev dismissed the government"),
                },
            ]
        },
        "events.yaml": {
            "events": [
                {
                    "slug": "protests-begin",
                    "title": "Protests begin",
                    "date": "2022-01-02",
                    "place": "zhanaozen",
                    "tags": ["protests"],
                    "summary": "Protests began in Zhanaozen.",
                    "evidence": ev("Protests began in Zhanaozen on January 2"),
                },
                {
                    "slug": "government-dismissed",
                    "title": "Government dismissed",
                    "date": "2022-01-05",
                    "actors": ["tokayev"],
                    "summary": "Tokayev dismissed the government.",
                    "evidence": ev("On January 5 President Tokayev dismissed the government."),
                },
            ]
        },
        "figures.yaml": {
            "figures": [
                {
                    "slug": "police-cars-burned",
                    "measure": "Police cars burned",
                    "unit": "police cars",
                    "reports": [{"value": 33, "as_of": "2022-01", "evidence": ev("Police said 33 police cars were burned.")}],
                },
            ]
        },
        "claims.yaml": {
            "claims": [
                {
                    "slug": "gangs-trained-abroad",
                    "claimant": "tokayev",
                    "statement": "“terrorist gangs” had trained abroad",
                    "date": "2022-01-05",
                    "about": ["government-dismissed"],
                    "evidence": ev("“Terrorist gangs” trained abroad, Tokayev said."),
                },
            ]
        },
        "links.yaml": {
            "links": [
                {
                    "from": "protests-begin",
                    "to": "government-dismissed",
                    "kind": "led_to",
                    "evidence": ev("On January 5 President Tokayev dismissed the government."),
                },
            ]
        },
    }


MINI_COLLECTION = {
    "slug": "mini",
    "title": "Mini test episode",
    "period": "January 2022",
    "description": "Invented test material for the loader's tests.",
    "language": "en",
}


def write_seeds(folder: Path, data: dict[str, dict], text: str = TEXT, collection: dict | None = None) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "data").mkdir(parents=True)
    (folder / "sources").mkdir()
    (folder / "collection.yaml").write_text(yaml.safe_dump(collection or MINI_COLLECTION, allow_unicode=True), encoding="utf-8")
    (folder / "sources" / "mini.txt").write_text(text, encoding="utf-8")
    (folder / "sources.yaml").write_text(
        yaml.safe_dump(
            {
                "sources": [
                    {
                        "slug": "mini",
                        "file": "mini.txt",
                        "label": "Mini source",
                        "title": None,
                        "outlet": None,
                        "author": None,
                        "published_on": None,
                        "url": None,
                        "furniture": [{"from": "Leave a Reply", "to_end": True}],
                    }
                ]
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    for name, doc in data.items():
        (folder / "data" / name).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


@pytest.fixture
def mini_seeds(tmp_path) -> Path:
    return write_seeds(tmp_path / "seeds", mini_data())
