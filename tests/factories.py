"""factory_boy factories for the content models."""

import datetime

import factory

from quizzes.models import Entity, Event, Passage, Source, Topic

ARTICLE = (
    "On January 2 protests began in Zhanaozen over the price of gas. "
    "On January 5 protesters seized the airport in Almaty. "
    "Leave a Reply"
)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    file_name = factory.LazyAttribute(lambda o: f"{o.slug}.txt")
    label = factory.Sequence(lambda n: f"Test source {n}")
    text = ARTICLE
    sha256 = "0" * 64
    furniture_spans = factory.LazyAttribute(lambda o: [[o.text.index("Leave a Reply"), len(o.text)]] if "Leave a Reply" in o.text else [])


class PassageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Passage

    source = factory.SubFactory(SourceFactory)
    quote = "protesters seized the airport in Almaty"
    start = factory.LazyAttribute(lambda o: o.source.text.index(o.quote))
    end = factory.LazyAttribute(lambda o: o.start + len(o.quote))


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity

    slug = factory.Sequence(lambda n: f"entity-{n}")
    name = factory.Sequence(lambda n: f"Entity {n}")
    kind = Entity.Kind.PLACE


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"event-{n}")
    title = "Protesters seize the airport"
    summary = "Protesters seized the airport in Almaty."
    date = factory.Faker("date_between_dates", date_start=datetime.date(2022, 1, 1), date_end=datetime.date(2022, 1, 31))

    @factory.post_generation
    def evidence(self, create, extracted, **kwargs):
        if create:
            self.evidence.set(extracted or [PassageFactory()])
