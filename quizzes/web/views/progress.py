"""The learner's progress page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from quizzes.progress.selectors import progress_summary
from quizzes.web import confidence
from quizzes.web.charts import calibration_chart


@login_required
def progress_page(request):
    """Mastery per module and topic, how sure the learner was against how often right (over time and by
    confidence, in plain words), mastered events and recent attempts."""
    summary = progress_summary(request.user)
    context = {
        "s": summary,
        "chart": calibration_chart(summary.calibration),
        "overall": confidence.overall_from_bands(summary.calibration_bands),
        "picture": confidence.picture(summary.calibration_bands),
    }
    return render(request, "quizzes/progress.html", context)
