"""The curated event data: entities, events, reported figures, attributed claims, links and
disputes between sources. Every item cites evidence (Passage) from the sources.

Every item belongs to one collection and is keyed there by a stable slug, so reloading a
collection updates it in place. An item a new version of its collection drops is retired
(`retired_at` set, hidden from new quizzes), never deleted, while anything refers to it.
"""

from django.db import models
from django.db.models import F, Q

from quizzes.models.collections import Collection
from quizzes.models.sources import DatePrecision, Passage


class Curated(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.PROTECT)
    slug = models.SlugField(max_length=80, help_text="Unique within its collection.")
    seed_file = models.CharField(max_length=200, blank=True, help_text="The data/ file this item comes from.")
    retired_at = models.DateTimeField(null=True, blank=True, help_text="Dropped by a later version of its collection; kept for learners.")

    class Meta:
        abstract = True
        ordering = ["collection", "slug"]


class Topic(Curated):
    class GeneratedFor(models.TextChoices):
        PEOPLE = "people", "questions about who people are (roles)"
        SOURCES = "sources", "questions that compare the sources"

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # The dataset says which topic the generator gives to the questions it builds across topics
    # (topics.yaml `generated_for`); no topic slug is known to the code.
    generated_for = models.CharField(max_length=10, choices=GeneratedFor.choices, blank=True)

    class Meta(Curated.Meta):
        constraints = [models.UniqueConstraint(fields=["collection", "slug"], name="topic_unique_slug_in_collection")]

    def __str__(self) -> str:
        return self.name


class Entity(Curated):
    class Kind(models.TextChoices):
        PERSON = "person", "person"
        ORGANISATION = "organisation", "organisation"
        GROUP = "group", "group"
        PLACE = "place", "place"
        COUNTRY = "country", "country"

    class PlaceKind(models.TextChoices):
        SETTLEMENT = "settlement", "settlement (city, town, village)"
        REGION = "region", "region"
        SITE = "site", "site (a building, airport, square)"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # For kind "place": what sort of place (entities.yaml `place_kind`); the generator only asks
    # "where" questions between settlements. Empty: not said.
    place_kind = models.CharField(max_length=12, choices=PlaceKind.choices, blank=True)
    aliases = models.JSONField(default=list, blank=True, help_text='Other names used in the sources: ["Nazarbaev"].')
    description = models.TextField(blank=True)
    evidence = models.ManyToManyField(Passage, related_name="entities")

    class Meta(Curated.Meta):
        verbose_name_plural = "entities"
        constraints = [models.UniqueConstraint(fields=["collection", "slug"], name="entity_unique_slug_in_collection")]

    def __str__(self) -> str:
        return self.name


class EntityRole(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="roles")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    evidence = models.ManyToManyField(Passage, related_name="entity_roles")

    class Meta:
        ordering = ["entity", "position"]
        constraints = [models.UniqueConstraint(fields=["entity", "position"], name="entityrole_unique_position")]

    def __str__(self) -> str:
        return f"{self.entity}: {self.title}"


class Event(Curated):
    title = models.CharField(max_length=300)
    summary = models.TextField()
    # A full declarative sentence the sources establish (not the headline-style title): "fact or claim?" items show it.
    statement = models.TextField(blank=True)
    date = models.DateField(help_text="First day of the period the sources allow, at the stated precision.")
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    date_end = models.DateField(null=True, blank=True, help_text="Last possible day, when the sources only bound the date.")
    date_note = models.TextField(blank=True)
    date_inferred = models.BooleanField(
        default=False, help_text="The day is worked out from the sources, not stated by them: shown as 'probably'."
    )
    place = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="events_here")
    actors = models.ManyToManyField(Entity, blank=True, related_name="events")
    topics = models.ManyToManyField(Topic, blank=True, related_name="events")
    evidence = models.ManyToManyField(Passage, related_name="events")

    class Meta(Curated.Meta):
        ordering = ["date", "slug"]
        constraints = [
            models.CheckConstraint(condition=Q(date_end__isnull=True) | Q(date_end__gte=F("date")), name="event_date_order"),
            models.UniqueConstraint(fields=["collection", "slug"], name="event_unique_slug_in_collection"),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return self.title


class Figure(Curated):
    """A measure (what was counted); its reports are the versions different sources gave."""

    measure = models.CharField(max_length=300)
    unit = models.CharField(max_length=100)
    # Why the reports differ: {"reasons": ["date"|"scope"|"counter", ...], "because": str, "not_because": [str, ...]}
    differ = models.JSONField(default=dict, blank=True)
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="figures")
    place = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="figures_here")
    topics = models.ManyToManyField(Topic, blank=True, related_name="figures")

    class Meta(Curated.Meta):
        constraints = [models.UniqueConstraint(fields=["collection", "slug"], name="figure_unique_slug_in_collection")]

    def __str__(self) -> str:
        return self.measure

    @property
    def is_contested(self) -> bool:
        return len({(r.value, r.low, r.high) for r in self.reports.all()}) > 1


class FigureReport(models.Model):
    class Qualifier(models.TextChoices):
        EXACT = "exact", "exactly"
        ABOUT = "about", "about"
        AT_LEAST = "at_least", "at least"
        MORE_THAN = "more_than", "more than"
        OVER = "over", "over"
        NEARLY = "nearly", "nearly"
        LESS_THAN = "less_than", "less than"

    figure = models.ForeignKey(Figure, on_delete=models.CASCADE, related_name="reports")
    position = models.PositiveSmallIntegerField(default=0)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    low = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    high = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    qualifier = models.CharField(max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT)
    reported_by = models.ForeignKey(
        Entity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="figure_reports",
        help_text="Who gave the figure; empty when the source itself reports it.",
    )
    as_of = models.DateField(null=True, blank=True)
    as_of_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    note = models.TextField(blank=True)
    evidence = models.ManyToManyField(Passage, related_name="figure_reports")

    class Meta:
        ordering = ["figure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["figure", "position"], name="figurereport_unique_position"),
            models.CheckConstraint(condition=Q(value__isnull=False) | Q(low__isnull=False), name="figurereport_has_number"),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(high__gte=F("low")), name="figurereport_range_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.figure.measure}: {self.display_value}"

    @property
    def display_value(self) -> str:
        def fmt(n):
            return f"{n.normalize():,f}" if n is not None else "?"

        if self.value is not None:
            number = fmt(self.value)
        elif self.high is not None:
            number = f"{fmt(self.low)} to {fmt(self.high)}"
        else:
            number = fmt(self.low)
        prefix = "" if self.qualifier == self.Qualifier.EXACT else f"{self.get_qualifier_display()} "
        return f"{prefix}{number} {self.figure.unit}"


class Claim(Curated):
    """Something someone said; shown as 'According to <claimant>, <statement>', never as fact."""

    claimant = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="claims")
    statement = models.TextField(help_text="Reported speech that reads after 'According to <claimant>, '.")
    neutral = models.TextField(blank=True, help_text="Speaker-free headline of an interested party's unestablished claim.")
    neutral_kind = models.CharField(
        max_length=16,
        blank=True,
        help_text="What `neutral` is: a checkable 'proposition' (asked as fact or claim) or a 'characterisation' (a label; never).",
    )
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    about = models.ManyToManyField(Event, blank=True, related_name="claims")
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")
    evidence = models.ManyToManyField(Passage, related_name="claims")

    class Meta(Curated.Meta):
        constraints = [models.UniqueConstraint(fields=["collection", "slug"], name="claim_unique_slug_in_collection")]

    def __str__(self) -> str:
        return f"According to {self.claimant.name}, {self.statement}"


class EventLink(models.Model):
    class Kind(models.TextChoices):
        LED_TO = "led_to", "led to"
        IN_RESPONSE_TO = "in_response_to", "was in response to"
        FOLLOWED_BY = "followed_by", "was followed by"

    from_event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="links_out")
    to_event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="links")
    seed_file = models.CharField(max_length=200, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True, help_text="Dropped by a later version of its collection.")
    evidence = models.ManyToManyField(Passage, related_name="event_links")

    class Meta:
        ordering = ["from_event__date", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["from_event", "to_event", "kind"], name="eventlink_unique"),
            models.CheckConstraint(condition=~Q(from_event=F("to_event")), name="eventlink_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.from_event} {self.get_kind_display()} {self.to_event}"


class Dispute(Curated):
    """A point on which the sources disagree; each account keeps its own evidence."""

    question = models.CharField(max_length=300)
    events = models.ManyToManyField(Event, blank=True, related_name="disputes")
    figures = models.ManyToManyField(Figure, blank=True, related_name="disputes")
    topics = models.ManyToManyField(Topic, blank=True, related_name="disputes")

    class Meta(Curated.Meta):
        constraints = [models.UniqueConstraint(fields=["collection", "slug"], name="dispute_unique_slug_in_collection")]

    def __str__(self) -> str:
        return self.question


class DisputeAccount(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="accounts")
    position = models.PositiveSmallIntegerField(default=0)
    account = models.TextField()
    evidence = models.ManyToManyField(Passage, related_name="dispute_accounts")

    class Meta:
        ordering = ["dispute", "position"]
        constraints = [models.UniqueConstraint(fields=["dispute", "position"], name="disputeaccount_unique_position")]

    def __str__(self) -> str:
        return self.account
