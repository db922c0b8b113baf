"""Page-number pagination; clients choose `page_size` from 1 to 100, and a bad one is a 400, not ignored."""

from functools import partial

from django.utils.translation import gettext
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from quizzes.paging import CountOfPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """A view may define `count_queryset(queryset)` -> (rows, counted): the same rows in a query cheaper
    to count and to page while short (the teacher's attempts through their own ids, not a scan of every
    attempt), and what is counted (None: those rows; issue 25). `count` stays exact."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        # A page given twice (`?page=2&page=3`) or as a non-number is a 400, never silently one of them
        pages = request.query_params.getlist(self.page_query_param)
        if len(pages) > 1 or (pages and not (pages[0].isascii() and pages[0].isdigit() and int(pages[0]) >= 1)):
            raise ValidationError({self.page_query_param: [gettext("One whole number from 1.")]})
        count_queryset = getattr(view, "count_queryset", None)
        if count_queryset is not None:
            count_of, counted = count_queryset(queryset)
            self.django_paginator_class = partial(CountOfPaginator, count_of=count_of, counted=counted)  # type: ignore[assignment]
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        if len(request.query_params.getlist(self.page_size_query_param)) > 1:
            raise ValidationError({self.page_size_query_param: [gettext("Give it once.")]})
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [gettext("A whole number from 1 to %(n)d.") % {"n": self.max_page_size}]})
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size}
        return parameters
