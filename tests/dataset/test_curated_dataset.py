"""The curated dataset itself: coverage the issue asks for, and every disagreement kept.

These run on the real seeds/ without a database. Quotes being verbatim is proved by the reader
(`dataset_read` refuses anything else); here we check what a teacher relies on.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizzes.dataset.reader import dataset_read

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "kazakhstan-2022"


@pytest.fixture(scope="module")
def dataset():
    return dataset_read(SEEDS)


def test_coverage(dataset):
    counts = dataset.counts()
    assert counts["sources"] == 5
    assert counts["events"] >= 50
    assert counts["figures"] + counts["claims"] >= 40
    assert counts["links"] >= 30
    events = dataset.items["events"].values()
    dates = sorted(e.data["date"] for e in events)
    assert any(d.startswith("2022-01-01") for d in dates), "the arc starts with the 1 January price rise"
    assert any(e.data.get("tags") and "international-reactions" in e.data["tags"] for e in events)


@pytest.mark.parametrize(
    "figure", ["police-cars-burned", "people-killed-official-toll", "people-detained", "regions-first-under-emergency"]
)
def test_contested_figures_keep_every_version_with_its_source(dataset, figure):
    reports = dataset.items["figures"][figure].data["reports"]
    values = {(r.get("value"), r.get("low"), r.get("high")) for r in reports}
    assert len(values) >= 2, f"{figure}: the sources disagree, so every version must be kept"
    sources = [{ref.source for ref in refs} for refs in dataset.items["figures"][figure].nested]
    assert all(sources) and len(set().union(*sources)) >= 2


@pytest.mark.parametrize(
    "dispute",
    [
        "lpg-price-cut-date",
        "government-resigned-or-dismissed",
        "regions-first-under-emergency",
        "police-cars-burned",
        "death-toll",
        "people-detained",
    ],
)
def test_disputes_set_accounts_from_different_sources_side_by_side(dataset, dispute):
    item = dataset.items["disputes"][dispute]
    cited = [{ref.source for ref in refs} for refs in item.nested]
    assert len(cited) >= 2 and len(set().union(*cited)) >= 2


def test_every_claim_has_a_claimant_and_reads_as_reported_speech(dataset):
    for slug, claim in dataset.items["claims"].items():
        statement = claim.data["statement"]
        assert claim.data["claimant"], slug
        assert not statement.lower().startswith(("according to", "i ", "we ")), f"{slug}: {statement[:40]}"


def test_learner_facing_text_never_uses_our_file_numbers(dataset):
    # "001 says" means nothing to a student; summaries name the source instead.
    pattern = re.compile(r"(?<![\d,.])\b00[0-4]\b")  # "001 says", but not the 000 of "3,000"
    for kind, field in [("events", "summary"), ("claims", "statement"), ("events", "title"), ("events", "date_note")]:
        for slug, item in dataset.items[kind].items():
            assert not pattern.search(item.data.get(field, "")), f"{kind} {slug}: {field}"
    for slug, item in dataset.items["disputes"].items():
        for account in item.data["accounts"]:
            assert not pattern.search(account["account"]), f"dispute {slug}"


def test_source_metadata_is_unknown_unless_the_text_says_it(dataset):
    analysis = dataset.sources["tokayev-shoot-to-kill-analysis"]
    assert (analysis.title, analysis.outlet, analysis.author, analysis.published_on, analysis.url) == (None,) * 5
    iess = dataset.sources["iess-behind-the-unrest"]
    assert str(iess.published_on) == "2022-02-10" and iess.outlet == "Institute for East Strategic Studies"
    for source in dataset.sources.values():
        for field, passage in source.metadata_evidence.items():
            assert passage in source.text, (source.slug, field)
