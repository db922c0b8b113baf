"""Paginators whose count and page do not grow with the district (issue 25).

A teacher's list of student work is `attempts_for_teacher` (an OR of two visibility conditions: fine
for walking the list in its display order, where a coordinator's page is the first 50 rows of an
index) plus filters. Counting it, or fetching the page of a teacher who sees few of the district's
rows, made PostgreSQL test every row of the table. `count_of` is the same rows narrowed to the ids the
teacher can see (quizzes.permissions.attempts_counted_for_teacher, each part read by index): the
count reads that, and so does the page when the count is small (the teacher's own rows, sorted), while
a long list's page still walks the display-order index.

CappedCountPaginator (the admin) also counts at most EXACT_UP_TO + 1 rows: below that the count is
exact; above it the list says "more than 10,000" and numbers its pages by PostgreSQL's row estimate
for the filtered query (EXPLAIN: planned, no rows read), never fewer than the rows counted. The
estimate is not shown as a count: on the M district it said 5,158 of a coordinator's 10,400 attempts.
A page past the real end is then empty, not an error."""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

EXACT_UP_TO = 10_000
PAGE_BY_IDS_UP_TO = 1_000  # up to this many rows, the page is read through the teacher's ids


def planner_rows(queryset) -> int:
    """PostgreSQL's estimate of the rows a queryset returns (EXPLAIN plans the query, runs nothing)."""
    if connections[queryset.db].vendor != "postgresql":
        return queryset.count()
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class CountOfPaginator(Paginator):
    """Counts `count_of` (the same rows as the list, in a query cheaper to count) when given, and reads
    a page from it while the list is short. `counted`, when given, is what is counted instead: the ids
    of the same rows in a query cheaper still (a UNION ALL of indexed parts, not joined back to the rows)."""

    def __init__(self, object_list, per_page, *args, count_of=None, counted=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.count_of = object_list if count_of is None else count_of
        self.counted = self.count_of if counted is None else counted

    @cached_property
    def count(self) -> int:
        return self.counted.count()

    def page(self, number):
        if self.count_of is not self.object_list and self.count <= PAGE_BY_IDS_UP_TO:
            self.object_list = self.count_of
        return super().page(number)


class CappedCountPaginator(CountOfPaginator):
    """Exact counts up to EXACT_UP_TO rows; above, `estimated` is True and the count (for numbering
    pages) PostgreSQL's estimate, at least EXACT_UP_TO + 1."""

    exact_up_to = EXACT_UP_TO
    estimated = False

    @cached_property
    def count(self) -> int:
        counted = self.count_of.order_by()[: self.exact_up_to + 1].count()
        self.estimated = counted > self.exact_up_to
        return max(counted, planner_rows(self.object_list)) if self.estimated else counted
