"""The pure reader: every way a seeds folder can be wrong is reported with file, item, reason."""

from __future__ import annotations

import pytest
import yaml

from quizzes.dataset.reader import DatasetInvalid, dataset_read
from quizzes.dates import parse_fuzzy_date
from quizzes.sources.quotes import QuoteNotFound, quote_locate
from tests.dataset.conftest import mini_data, write_seeds


def errors_for(folder) -> list[str]:
    with pytest.raises(DatasetInvalid) as info:
        dataset_read(folder)
    return [str(e) for e in info.value.errors]


def test_mini_seeds_are_valid_and_offsets_are_exact(mini_seeds):
    dataset = dataset_read(mini_seeds)
    text = dataset.sources["mini"].text
    assert dataset.counts()["events"] == 2
    for ref in dataset.passages():
        assert text[ref.start : ref.end] == ref.quote


def test_missing_reference_names_file_item_and_reason(tmp_path):
    data = mini_data()
    data["events.yaml"]["events"][0]["place"] = "atlantis"
    errors = errors_for(write_seeds(tmp_path / "s", data))
    assert errors == [
        "data/events.yaml: events protests-begin: unknown entity (place) 'atlantis'; add that item to the dataset or correct the slug."
    ]


def test_quote_not_in_source_is_refused_with_a_hint(tmp_path):
    data = mini_data()
    # Straight quotes where the source has curly ones: the commonest curation slip.
    data["claims.yaml"]["claims"][0]["evidence"][0]["quote"] = '"Terrorist gangs" trained abroad'
    [error] = errors_for(write_seeds(tmp_path / "s", data))
    assert error.startswith("data/claims.yaml: claims[0] (slug: gangs-trained-abroad): mini: quote not found verbatim")
    assert "quote marks, dashes and spaces are normalised" in error


def test_quote_in_page_furniture_is_refused(tmp_path):
    data = mini_data()
    data["events.yaml"]["events"][0]["evidence"] = [{"source": "mini", "quote": "Your email address will not be published."}]
    [error] = errors_for(write_seeds(tmp_path / "s", data))
    assert "events[0] (slug: protests-begin)" in error and "page furniture" in error


@pytest.mark.parametrize(
    "bad_date, reason",
    [
        ("2022-02-30", "not a real calendar date"),
        ("5 January 2022", "does not match"),
    ],
)
def test_bad_date(tmp_path, bad_date, reason):
    data = mini_data()
    data["events.yaml"]["events"][1]["date"] = bad_date
    errors = errors_for(write_seeds(tmp_path / "s", data))
    assert len(errors) == 1 and errors[0].startswith("data/events.yaml: ")
    assert "government-dismissed" in errors[0] and reason in errors[0]


def test_date_end_before_date(tmp_path):
    data = mini_data()
    data["events.yaml"]["events"][1]["date_end"] = "2022-01-04"
    assert errors_for(write_seeds(tmp_path / "s", data)) == [
        "data/events.yaml: events government-dismissed: date_end 2022-01-04 is before date 2022-01-05; "
        "check the two dates: the end must be on or after the start."
    ]


def test_duplicate_slug_across_files(tmp_path):
    data = mini_data()
    data["more-events.yaml"] = {"events": [dict(data["events.yaml"]["events"][0], title="Again")]}
    [error] = errors_for(write_seeds(tmp_path / "s", data))
    assert error == (
        "data/more-events.yaml: events[0] (slug: protests-begin): "
        "duplicate slug 'protests-begin' among events (first defined in data/events.yaml); give one of the two items another slug."
    )


def test_malformed_yaml_names_the_line(tmp_path):
    folder = write_seeds(tmp_path / "s", mini_data())
    (folder / "data" / "links.yaml").write_text("links:\n  - from: a\n    to: [unclosed\n", encoding="utf-8")
    [error] = errors_for(folder)
    assert error.startswith("data/links.yaml: (file): malformed YAML at line")


def test_schema_violation_names_the_field(tmp_path):
    data = mini_data()
    del data["figures.yaml"]["figures"][0]["unit"]
    data["figures.yaml"]["figures"][0]["colour"] = "red"
    errors = errors_for(write_seeds(tmp_path / "s", data))
    assert all(e.startswith("data/figures.yaml: figures[0] (slug: police-cars-burned): ") for e in errors)
    assert any("'unit' is a required property" in e for e in errors)
    assert any("'colour' was unexpected" in e for e in errors)


def test_every_problem_is_reported_at_once(tmp_path):
    data = mini_data()
    data["events.yaml"]["events"][0]["place"] = "atlantis"
    data["events.yaml"]["events"][1]["date"] = "2022-13-01"
    data["links.yaml"]["links"][0]["to"] = "nowhere"
    assert len(errors_for(write_seeds(tmp_path / "s", data))) == 3


def test_link_that_goes_back_in_time(tmp_path):
    data = mini_data()
    data["links.yaml"]["links"][0].update({"from": "government-dismissed", "to": "protests-begin"})
    [error] = errors_for(write_seeds(tmp_path / "s", data))
    assert "led_to goes back in time (2022-01-05 -> 2022-01-02)" in error


def test_source_metadata_needs_supporting_text(tmp_path):
    folder = write_seeds(tmp_path / "s", mini_data())
    doc = yaml.safe_load((folder / "sources.yaml").read_text(encoding="utf-8"))
    doc["sources"][0]["outlet"] = "The Daily Invented"
    (folder / "sources.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    [error] = errors_for(folder)
    assert error == "sources.yaml: sources[0] (slug: mini): outlet is set but metadata_evidence gives no passage supporting it"


@pytest.mark.parametrize(
    ("label", "word"),
    [
        ("Daily Invented: the strike (live report)", "live report"),  # the kind asked of it
        ("Analysis: the strike", "Analysis"),
        ("Mill owners' think-tank paper on wages", "think-tank paper"),
        ("Report: the strike ends", "Report"),  # a kind's head word says the kind too
        ("Two student papers on the strike", "student papers"),
    ],
)
def test_a_label_never_names_a_kind_of_text(tmp_path, label, word):
    """Learners see the label (lists, citations): any kind's words in it answer or mislead a source-kind item."""
    folder = write_seeds(tmp_path / "s", mini_data())
    doc = yaml.safe_load((folder / "sources.yaml").read_text(encoding="utf-8"))
    doc["sources"][0]["label"] = label
    (folder / "sources.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    [error] = errors_for(folder)
    assert error == f"sources.yaml: sources[0] (slug: mini): the label names a kind of text: {word!r}"


def test_a_neutral_label_passes(tmp_path):
    folder = write_seeds(tmp_path / "s", mini_data())
    doc = yaml.safe_load((folder / "sources.yaml").read_text(encoding="utf-8"))
    doc["sources"][0]["label"] = "Daily Invented: Reporters at the strike, a paperless analyst's view"
    (folder / "sources.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    assert dataset_read(folder)


def test_not_a_seeds_folder(tmp_path):
    assert errors_for(tmp_path) == [
        f"{tmp_path}: (folder): not an episode folder: sources.yaml is missing; "
        "give the path of an episode folder, or add its sources.yaml (docs/episodes.md)."
    ]


def test_fuzzy_dates_keep_their_precision():
    assert str(parse_fuzzy_date("2022")) == "2022" and parse_fuzzy_date("2022").last_day.isoformat() == "2022-12-31"
    assert parse_fuzzy_date("2022-02").last_day.isoformat() == "2022-02-28"
    assert parse_fuzzy_date("2022-01-05").precision == "day"


def test_quote_locate_chooses_the_occurrence_and_refuses_empty():
    text = "a cat, a cat"
    assert quote_locate(text, "a cat") == (0, 5)
    assert quote_locate(text, "a cat", occurrence=2) == (7, 12)
    with pytest.raises(QuoteNotFound, match="occurs 2 time"):
        quote_locate(text, "a cat", occurrence=3)
    with pytest.raises(QuoteNotFound, match="empty"):
        quote_locate(text, "  ")


def test_a_claims_neutral_wording_needs_its_kind(tmp_path):
    """`neutral` without `neutral_kind` (proposition or characterisation) is refused: whether a
    "fact or claim?" item may ask it is the curator's call, never a guess from its wording."""
    data = mini_data()
    data["claims.yaml"]["claims"][0]["neutral"] = "Gangs trained abroad took part in the riots"
    errors = errors_for(write_seeds(tmp_path / "s", data))
    assert len(errors) == 1 and "'neutral_kind' is a dependency of 'neutral'" in errors[0], errors
    data["claims.yaml"]["claims"][0]["neutral_kind"] = "label"
    assert any("'label' is not one of" in e for e in errors_for(write_seeds(tmp_path / "t", data)))
    data["claims.yaml"]["claims"][0]["neutral_kind"] = "proposition"
    dataset_read(write_seeds(tmp_path / "u", data))  # valid
