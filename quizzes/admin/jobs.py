"""The background jobs page: queue depth, unscored attempts, the last beat runs and recent Jobs.

It is the change list of Heartbeat (admin index: Quizzes -> Heartbeats), read-only, open to staff.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template import engines
from django.template.response import TemplateResponse

from kzlearn.health import jobs_state
from quizzes.models import Heartbeat
from quizzes.permissions import jobs_for_user

_PAGE = engines["django"].from_string("""{% extends "admin/base_site.html" %}
{% block content %}<div id="content-main" class="kzl-jobs">
<style>.kzl-jobs table{margin-bottom:1.5em}.kzl-jobs td,.kzl-jobs th{padding:4px 10px}.kzl-jobs .bad{color:#b91c1c;font-weight:bold}</style>
<h2>Queue and workers</h2>
<table><tbody>
<tr><th scope="row">Redis</th><td>{% if redis.ok %}{% if redis.configured %}up{% else %}not configured: jobs run in process{% endif %}
{% else %}<span class="bad">down ({{ redis.error }})</span>{% endif %}</td></tr>
{% if redis.configured %}<tr><th scope="row">Queue depth</th><td>{{ redis.queue_depth|default:"unknown" }}</td></tr>{% endif %}
<tr><th scope="row">Workers</th><td>{% if worker.mode == "in-process" %}in process{% elif worker.ok %}{{ worker.workers }} answering
{% else %}<span class="bad">none answering</span>{% endif %}</td></tr>
<tr><th scope="row">Attempts waiting to be scored</th><td>{{ scoring.unscored|default:0 }}</td></tr>
<tr><th scope="row">Oldest unscored attempt</th><td>{% if scoring.oldest_unscored_at %}
<span{% if not scoring.ok %} class="bad"{% endif %}>submitted {{ scoring.oldest_unscored_seconds|floatformat:0 }} s ago</span>
{% else %}none{% endif %}</td></tr>
</tbody></table>
<h2>Periodic tasks (beat)</h2>
{% if beat.mode == "in-process" %}<p>Jobs run in process: there is no beat.</p>{% endif %}
<table><thead><tr><th scope="col">Task</th><th scope="col">Last run</th><th scope="col">Result</th></tr></thead><tbody>
{% for h in heartbeats %}<tr><td>{{ h.name }}</td><td>{{ h.last_run_at|timesince }} ago ({{ h.last_run_at|date:"Y-m-d H:i:s" }})</td>
<td>{% for k, v in h.detail.items %}{{ k }} {{ v }}{% if not forloop.last %}, {% endif %}{% endfor %}</td></tr>
{% empty %}<tr><td colspan="3">No periodic task has run yet.</td></tr>{% endfor %}
</tbody></table>
{% if not beat.ok and beat.mode != "in-process" %}<p class="bad">The sweeper has not run recently: is beat running?</p>{% endif %}
<h2>Recent teacher jobs</h2>
<table><thead><tr><th scope="col">Job</th><th scope="col">Status</th><th scope="col">Progress</th><th scope="col">By</th>
<th scope="col">Queued</th><th scope="col">Message</th></tr></thead><tbody>
{% for job in jobs %}<tr><td>{{ job.get_kind_display }}</td><td>{{ job.get_status_display }}</td>
<td><progress max="100" value="{{ job.percent }}">{{ job.percent }} %</progress> {{ job.done }}/{{ job.total }}</td>
<td>{{ job.created_by|default:"" }}</td><td>{{ job.created_at|date:"Y-m-d H:i" }}</td><td>{{ job.message|truncatechars:120 }}</td></tr>
{% empty %}<tr><td colspan="6">No jobs yet.</td></tr>{% endfor %}
</tbody></table>
</div>{% endblock %}""")


@admin.register(Heartbeat)
class BackgroundJobsAdmin(admin.ModelAdmin):
    """Read-only: the change list is the background jobs page."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """Queue depth, unscored attempts, beat runs and the last 20 Jobs with their progress."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            **jobs_state(),
            "title": "Background jobs",
            "opts": self.model._meta,
            "heartbeats": Heartbeat.objects.order_by("name"),
            "jobs": jobs_for_user(request.user)[:20],
        }
        return TemplateResponse(request, _PAGE, context)
