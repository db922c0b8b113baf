"""Source documents and the evidence passages cut from them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.utils.translation import gettext

from quizzes.i18n import translated
from quizzes.models.collections import Collection
from quizzes.sources.names import neutral_source_name
from quizzes.sources.quotes import QuoteNotFound, quote_locate


class DatePrecision(models.TextChoices):
    DAY = "day", "day"
    MONTH = "month", "month"
    YEAR = "year", "year"


class Source(models.Model):
    """One article, its text kept byte for byte as in seeds/<collection>/sources/."""

    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="sources")
    slug = models.SlugField(max_length=80, help_text="Unique within its collection.")
    file_name = models.CharField(max_length=200, help_text="File under seeds/<collection>/sources/.")
    label = models.CharField(max_length=200, help_text="Our short editorial name; not the article's title.")
    # Metadata only as far as the text supports it; null means the text does not say.
    title = models.CharField(max_length=400, null=True, blank=True)
    outlet = models.CharField(max_length=200, null=True, blank=True)
    author = models.CharField(max_length=200, null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    published_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    url = models.URLField(null=True, blank=True)
    text = models.TextField()
    sha256 = models.CharField(max_length=64)
    # [[start, end], ...]: character offsets of page furniture (comment forms, widgets); not citable.
    furniture_spans = models.JSONField(default=list, blank=True)
    # {"title": "passage of the text supporting the title", "outlet": "...", ...}
    metadata_evidence = models.JSONField(default=dict, blank=True)
    # What kind of text it is (live-report, news-report, analysis, think-tank-paper, student-paper,
    # reposted-report), only where the text shows it; metadata_evidence["kind"] quotes the passage.
    kind = models.CharField(max_length=20, blank=True)
    # Set when a new version of the collection no longer lists the source but something still cites
    # its passages: kept for what learners saw, hidden from lists.
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["collection", "slug"]
        constraints = [models.UniqueConstraint(fields=["collection", "slug"], name="source_unique_slug_in_collection")]

    def __str__(self) -> str:
        return self.label

    @property
    def neutral_name(self) -> str:
        """How a scenario names the source beside a quote: outlet or kind, never title or label
        (quizzes.sources.names)."""
        return neutral_source_name(self.outlet, self.kind, self.author)


class PassageQuerySet(models.QuerySet):
    def with_source(self) -> "PassageQuerySet":
        """Passages with their source's name and date, without its whole text (tens of KB per row)."""
        return self.select_related("source").defer("source__text", "source__furniture_spans", "source__metadata_evidence")


class Passage(models.Model):
    """A verbatim stretch of a source's text, cited as evidence: text[start:end] == quote."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="passages")
    start = models.PositiveIntegerField(blank=True, help_text="Character offset; computed from the quote.")
    end = models.PositiveIntegerField(blank=True, help_text="Character offset, exclusive; computed from the quote.")
    quote = models.TextField()

    objects = PassageQuerySet.as_manager()

    class Meta:
        ordering = ["source", "start"]
        constraints = [
            models.UniqueConstraint(fields=["source", "start", "end"], name="passage_unique_span"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="passage_nonempty"),
            models.CheckConstraint(condition=Q(end=F("start") + Length("quote")), name="passage_length_matches_quote"),
        ]

    def __str__(self) -> str:
        short = self.quote if len(self.quote) <= 70 else self.quote[:67] + "..."
        return f"{self.source.slug} [{self.start}:{self.end}] “{short}”"

    @property
    def anchor(self) -> str:
        """Fragment id of this passage on the source reader page."""
        return f"p{self.start}-{self.end}"

    def clean(self) -> None:
        """Locate the quote in the source; refuse it if it is not there verbatim or is furniture."""
        if not self.source_id or not self.quote:
            return
        text = self.source.text
        furniture = [tuple(span) for span in self.source.furniture_spans]
        try:
            if self.start is not None and self.end is not None and text[self.start : self.end] == self.quote:
                # Keep the occurrence chosen (a quote may occur twice); still refuse furniture.
                occurrence = text[: self.start].count(self.quote) + 1
                quote_locate(text, self.quote, occurrence=occurrence, excluded=furniture)
                return
            self.start, self.end = quote_locate(text, self.quote, excluded=furniture)
        except QuoteNotFound as exc:
            problem = translated(exc.args[0])
            raise ValidationError(
                {"quote": gettext("Not evidence from %(source)s: %(problem)s.") % {"source": self.source.label, "problem": problem}}
            ) from None
