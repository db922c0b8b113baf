"""Student-facing pages: thin views over selectors."""

from django.shortcuts import get_object_or_404, render

from quizzes.dataset.selectors import dataset_counts
from quizzes.models import Source
from quizzes.sources.selectors import source_highlighted
from quizzes.sources.selectors import source_list as sources_all


def home(request):
    return render(request, "quizzes/home.html", {"counts": dataset_counts(), "sources": sources_all()})


def source_list(request):
    return render(request, "quizzes/sources/list.html", {"sources": sources_all()})


def source_detail(request, slug: str):
    source = get_object_or_404(Source, slug=slug)
    return render(request, "quizzes/sources/detail.html", {"source": source, "text_html": source_highlighted(source)})
