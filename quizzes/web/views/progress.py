"""The learner's progress page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from quizzes.progress.selectors import progress_summary
from quizzes.web.charts import calibration_chart


@login_required
def progress_page(request):
    """Mastery per module and topic, calibration over time, mastered events and recent attempts."""
    summary = progress_summary(request.user)
    return render(request, "quizzes/progress.html", {"s": summary, "chart": calibration_chart(summary.calibration)})
