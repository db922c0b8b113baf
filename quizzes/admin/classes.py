"""Teachers' admin for classes: classes with groups and students (one by one or from CSV),
assignments with extensions, results, item statistics, grades CSV, attempts, and background jobs.

Every queryset goes through quizzes.classes.selectors, so a teacher sees only the classes they
teach, their students' work and their own jobs; another teacher's object is "not found".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AdminSplitDateTime, RelatedFieldWidgetWrapper
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_noop, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from quizzes.admin.home import STUDENTS_PER_PAGE, class_page_view
from quizzes.admin.work import answer_summary, attempt_work_view, review_link, run_work_view, shown, work_link
from quizzes.classes.selectors import quiz_rules
from quizzes.classes.services import (
    CSV_COLUMNS,
    ImportReport,
    StudentImportError,
    assignment_check,
    classroom_archive,
    classroom_join_code_rotate,
    classroom_restore,
    enrolment_move,
    enrolment_remove,
    extension_check,
    import_report_csv,
    import_template_csv,
    join_code_display,
    join_code_generate,
    may_enrol_any,
    student_password_reset,
    students_import_read,
    students_import_rows,
)
from quizzes.jobs.services import RESULT_SECRETS_HOURS, job_start
from quizzes.models import Assignment, Attempt, ClassGroup, Classroom, Enrolment, Extension, Job, QuestionResponse, Quiz
from quizzes.paging import PAGE_BY_IDS_UP_TO, CappedCountPaginator
from quizzes.permissions import (
    assignments_for_teacher,
    attempt_quizzes_for_teacher,
    attempts_counted_for_teacher,
    attempts_for_teacher,
    classrooms_for_teacher,
    groups_for_teacher,
    jobs_for_user,
    modules_for_teacher,
)
from quizzes.progress.results import (
    RETEACH_MIN_RESPONSES,
    assignment_item_statistics,
    assignment_results,
    grades_csv,
    item_title,
    reteach_list,
)
from quizzes.progress.statistics import FLAG_MIN_RESPONSES

User = get_user_model()


def _cached_choices(field):
    """Evaluate a select's choices once per page, not once per inline row."""
    if field is not None and hasattr(field, "queryset"):
        field.choices = list(field.choices)
    return field


def _parent_id(request) -> str | None:
    return request.resolver_match.kwargs.get("object_id") if request.resolver_match else None


# --- classes ------------------------------------------------------------------------------------


class ClassGroupInline(admin.TabularInline):
    model = ClassGroup
    extra = 0
    verbose_name = "group"
    verbose_name_plural = "groups (tables, sets: assign work to part of the class)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("classroom")


class EnrolmentInline(admin.TabularInline):
    """Students in the class, a page at a time: change their group or remove them; add them with "Add students"."""

    model = Enrolment
    extra = 0
    template = "admin/quizzes/classroom/enrolment_inline.html"
    pager = None
    fields = ["username", "student_name", "group", "joined_at", "via"]
    readonly_fields = ["username", "student_name", "joined_at", "via"]
    verbose_name = "student"
    verbose_name_plural = "students"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("student", "group", "classroom")
        parent = _parent_id(request)
        if parent is None or not str(parent).isdigit():
            return queryset
        if self.pager is None:
            ids = Enrolment.objects.filter(classroom_id=int(parent)).order_by("student__username", "pk").values_list("pk", flat=True)
            self.pager = Paginator(ids, STUDENTS_PER_PAGE).get_page(request.GET.get("students_page"))
        return queryset.filter(pk__in=self.pager.object_list)  # the page as a subquery: one COUNT more, no list of ids

    @admin.display(description=_("username"))
    def username(self, obj):
        return obj.student.username

    @admin.display(description=pgettext_lazy("a person's", "name"))
    def student_name(self, obj):
        return obj.student.get_full_name()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "group":
            field.queryset = ClassGroup.objects.filter(classroom_id=_parent_id(request))
            field.label_from_instance = lambda group: group.name
        return _cached_choices(field)


# One message whether the username is unknown or not a staff account: the form never tells which.
NO_SUCH_TEACHER = gettext_noop("No teacher account has this username. Check the spelling with your colleague.")


class ClassroomForm(forms.ModelForm):
    add_teacher = forms.CharField(
        required=False,
        max_length=150,
        label=_("Add a co-teacher"),
        help_text=_("Their exact username. The list above shows only teachers you already share a class with."),
    )

    class Meta:
        model = Classroom
        fields = ["name", "code", "time_zone", "teachers"]

    def clean_add_teacher(self):
        username = self.cleaned_data["add_teacher"].strip()
        if not username:
            return None
        teacher = User.objects.filter(username=username, is_staff=True, is_active=True).first()
        if teacher is None:
            raise ValidationError(gettext(NO_SUCH_TEACHER))
        return teacher


def colleagues_of(user):
    """The teachers a teacher may pick from a list: themselves and those who share a class with them.
    Anyone else is added by exact username, so the picker never lists the school's staff accounts."""
    return User.objects.filter(Q(classes_taught__in=classrooms_for_teacher(user)) | Q(pk=user.pk), is_staff=True).distinct()


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    form = ClassroomForm
    list_display = ["name", "code", "join_code_shown", "teacher_names", "student_count", "assignment_count", "archived_at", "links"]
    list_filter = [("archived_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    filter_horizontal = ["teachers"]
    fields = ["name", "code", "time_zone", "join_code_shown", "teachers"]
    readonly_fields = ["join_code_shown"]
    inlines = [ClassGroupInline, EnrolmentInline]
    actions = ["new_join_code", "close_joining", "archive", "restore"]

    @admin.display(description=_("join code"))
    def join_code_shown(self, obj):
        if obj is None or not obj.pk:
            return "Given when the class is saved."
        return join_code_display(obj.join_code) or "closed (give a new code to open joining)"

    def _rotate(self, request, queryset, *, close: bool):
        done = [c for c in queryset if self.has_change_permission(request, c)]
        for classroom in done:
            classroom_join_code_rotate(classroom=classroom, close=close)
        n = len(done)
        if close:
            text = ngettext(
                "Closed joining for %(n)d class; the old codes no longer work.",
                "Closed joining for %(n)d classes; the old codes no longer work.",
                n,
            )
        else:
            text = ngettext(
                "Gave a new join code to %(n)d class; the old code no longer works.",
                "Gave new join codes to %(n)d classes; the old codes no longer work.",
                n,
            )
        self.message_user(request, text % {"n": n}, messages.SUCCESS)

    @admin.action(description=_("Give a new join code (the old one stops working)"), permissions=["change"])
    def new_join_code(self, request, queryset):
        self._rotate(request, queryset, close=False)

    @admin.action(description=_("Close joining (no code works until a new one is given)"), permissions=["change"])
    def close_joining(self, request, queryset):
        self._rotate(request, queryset, close=True)

    @admin.action(description=_("Archive (hidden from lists, joining closed; students and their work kept)"), permissions=["change"])
    def archive(self, request, queryset):
        done = [c for c in queryset if self.has_change_permission(request, c)]
        for classroom in done:
            classroom_archive(classroom=classroom)
        self.message_user(
            request,
            ngettext(
                "Archived %(n)d class; its students and work are kept.",
                "Archived %(n)d classes; their students and work are kept.",
                len(done),
            )
            % {"n": len(done)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Restore from the archive"), permissions=["change"])
    def restore(self, request, queryset):
        done = [c for c in queryset if self.has_change_permission(request, c)]
        for classroom in done:
            classroom_restore(classroom=classroom)
        self.message_user(
            request,
            ngettext(
                "Restored %(n)d class; give it a new join code to open joining.",
                "Restored %(n)d classes; give them new join codes to open joining.",
                len(done),
            )
            % {"n": len(done)},
            messages.SUCCESS,
        )

    def save_model(self, request, obj, form, change):
        if not change and not obj.join_code:
            obj.join_code = join_code_generate()
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """Students moved between groups or taken out, and students left without a group when their group
        is deleted, go through the class services like the API's and the CSV import's changes, so each
        owes its enrolment.changed webhook (a plain formset save wrote the rows and told no one)."""
        if formset.model is Enrolment:
            changed = formset.save(commit=False)
            for enrolment in formset.deleted_objects:
                enrolment_remove(enrolment=enrolment)
            for enrolment in changed:
                enrolment_move(enrolment=Enrolment.objects.get(pk=enrolment.pk), group=enrolment.group)
            return
        if formset.model is ClassGroup:
            formset.save(commit=False)
            for group in formset.deleted_objects:
                for enrolment in Enrolment.objects.filter(group=group):
                    enrolment_move(enrolment=enrolment, group=None)
        super().save_formset(request, form, formset, change)

    def get_queryset(self, request):
        return (
            classrooms_for_teacher(request.user)
            .prefetch_related("teachers")
            .annotate(n_students=Count("enrolments", distinct=True), n_assignments=Count("assignments", distinct=True))
        )

    def get_changeform_initial_data(self, request):
        return {"teachers": [request.user.pk]}

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["help_texts"] = {
            "code": "A short name for this class in addresses and downloaded files (grades CSV), e.g. 10a-2026. "
            "Only you and your colleagues see it: it is not the join code students type.",
            **kwargs.get("help_texts", {}),
        }
        return super().get_form(request, obj, change, **kwargs)

    def response_add(self, request, obj, post_url_continue=None):
        """A new class is empty: go on to adding its students (unless "Save and add another" was pressed)."""
        if "_addanother" in request.POST or "_popup" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(
            request,
            gettext("The class “%(name)s” was added. Now add its students, or give them the join code.") % {"name": obj},
            messages.SUCCESS,
        )
        return redirect("admin:quizzes_classroom_students", obj.pk)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "teachers":
            if request.user.is_superuser:
                kwargs["queryset"] = User.objects.filter(is_staff=True).order_by("username")
            else:
                kwargs["queryset"] = colleagues_of(request.user).order_by("username")
                kwargs.update(required=False, help_text=_("You are added to a class you create. Add others by username below."))
                # A few colleagues: ticks, not the two-list filter (whose search icons carry an ARIA
                # label a plain element may not have: axe-core's aria-prohibited-attr, serious).
                kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        return [*super().get_fields(request, obj), "add_teacher"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.cleaned_data.get("add_teacher") is not None:
            form.instance.teachers.add(form.cleaned_data["add_teacher"])
        if not request.user.is_superuser and not change:
            # A teacher who creates a class teaches it, or they could not see what they made.
            form.instance.teachers.add(request.user)

    @admin.display(description=_("teachers"))
    def teacher_names(self, obj):
        return ", ".join(t.get_full_name() or t.username for t in obj.teachers.all())

    # Not named "students": the list would show the model's many-to-many field of that name.
    @admin.display(description=_("students"), ordering="n_students")
    def student_count(self, obj):
        return obj.n_students

    @admin.display(description=_("assignments"), ordering="n_assignments")
    def assignment_count(self, obj):
        url = reverse("admin:quizzes_assignment_changelist") + f"?classroom__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.n_assignments)

    @admin.display(description="")
    def links(self, obj):
        return format_html('<a href="{}">Add students</a>', reverse("admin:quizzes_classroom_students", args=[obj.pk]))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/home/", view(lambda request, pk: class_page_view(self, request, pk)), name="quizzes_classroom_home"),
            path("<int:pk>/students/", view(self.students_view), name="quizzes_classroom_students"),
            path("<int:pk>/students/template.csv", view(self.template_view), name="quizzes_classroom_template"),
            path("<int:pk>/students/import/<int:job_id>/", view(self.import_job_view), name="quizzes_classroom_import"),
            path("<int:pk>/students/import/<int:job_id>/report.csv", view(self.import_report_view), name="quizzes_classroom_import_csv"),
            path("<int:pk>/students/<int:student_id>/password/", view(self.password_view), name="quizzes_classroom_password"),
        ] + super().get_urls()

    def _classroom_to_change(self, request, pk: int) -> Classroom:
        classroom = get_object_or_404(classrooms_for_teacher(request.user), pk=pk)
        if not self.has_change_permission(request, classroom):
            raise PermissionDenied
        return classroom

    def template_view(self, request, pk: int):
        """A CSV file to fill in for an import into this class, its example rows in the class's own groups."""
        classroom = self._classroom_to_change(request, pk)
        response = HttpResponse(import_template_csv(classroom), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="students-{classroom.code}.csv"'
        return response

    def password_view(self, request, pk: int, student_id: int):
        """Reset a student's password: confirm (GET), then a new one shown once on a printable slip (POST)."""
        classroom = self._classroom_to_change(request, pk)
        enrolment = get_object_or_404(classroom.enrolments.select_related("student", "group"), student_id=student_id)
        student = enrolment.student
        if student.is_staff or student.is_superuser:
            raise PermissionDenied
        password = student_password_reset(classroom=classroom, student=student, by=request.user) if request.method == "POST" else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"New password for {student.get_full_name() or student.username}",
            "classroom": classroom,
            "enrolment": enrolment,
            "student": student,
            "password": password,
            "sign_in_url": request.build_absolute_uri(reverse("login")),
        }
        return TemplateResponse(request, "admin/quizzes/classroom/password.html", context)

    def students_view(self, request, pk: int):
        """Add students to a class: one at a time, or many from a CSV file (all or nothing)."""
        classroom = self._classroom_to_change(request, pk)
        groups = [g.name for g in classroom.groups.all()]
        one, upload = StudentForm(groups=groups, prefix="one"), StudentCsvForm(prefix="csv")
        report, errors, checked = None, None, False
        if request.method == "POST" and "csv-file" in request.FILES:
            upload = StudentCsvForm(request.POST, request.FILES, prefix="csv")
            if upload.is_valid():
                checked = upload.cleaned_data["check_only"]
                try:
                    # Every row is checked now (fast: nothing is hashed or written), so bad rows show at
                    # once; a good file is imported by a background job (hashing passwords takes time).
                    rows = students_import_read(file=upload.cleaned_data["file"])
                    report = students_import_rows(classroom=classroom, rows=rows, by=request.user, dry_run=True)
                except StudentImportError as exc:
                    errors = exc.report.errors
                else:
                    if not checked:
                        params = {"classroom_id": classroom.pk, "by_id": request.user.pk, "rows": rows}
                        job = job_start(kind=Job.Kind.IMPORT_STUDENTS, params=params, user=request.user)
                        return redirect(reverse("admin:quizzes_classroom_import", args=[classroom.pk, job.pk]))
        elif request.method == "POST":
            one = StudentForm(request.POST, groups=groups, prefix="one")
            if one.is_valid():
                try:
                    report = students_import_rows(classroom=classroom, rows=[(1, one.cleaned_data)], by=request.user)
                    one = StudentForm(groups=groups, prefix="one")
                except StudentImportError as exc:
                    one.add_error(None, exc.report.errors[0].reason)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "classroom": classroom,
            "title": f"Add students to {classroom}",
            "one": one,
            "upload": upload,
            "report": report,
            "errors": errors,
            "checked": checked,
            "columns": CSV_COLUMNS,
            "join_code": join_code_display(classroom.join_code),
            "enrols_any": may_enrol_any(request.user),
            "template_csv": import_template_csv(classroom),
            "sign_in_url": request.build_absolute_uri(reverse("login")),
            # What the import did, as a CSV the teacher keeps (the generated passwords are in it: shown once).
            "report_csv": import_report_csv(report, classroom) if report and not checked else "",
            "slips": _slips(report, classroom) if report and not checked else [],
        }
        return TemplateResponse(request, "admin/quizzes/classroom/students.html", context)

    def _import_job(self, request, pk: int, job_id: int) -> tuple[Classroom, Job]:
        """A student import into this class that the viewer started (any, for a superuser)."""
        classroom = self._classroom_to_change(request, pk)
        job = get_object_or_404(jobs_for_user(request.user), pk=job_id, kind=Job.Kind.IMPORT_STUDENTS, params__classroom_id=classroom.pk)
        return classroom, job

    def import_job_view(self, request, pk: int, job_id: int):
        """A CSV import running as a job: its progress in rows (the page refreshes itself), then what it
        did, the results as CSV with the generated passwords, and slips to print; or every bad row."""
        classroom, job = self._import_job(request, pk, job_id)
        running = job.status in (Job.Status.QUEUED, Job.Status.RUNNING)
        report = ImportReport.from_job_result(job.result) if job.result else None
        done = job.status == Job.Status.DONE and report is not None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "classroom": classroom,
            "title": gettext("Importing students into %(classroom)s") % {"classroom": classroom},
            "job": job,
            "running": running,
            "report": report if done else None,
            "errors": report.errors if report and job.status == Job.Status.FAILED else None,
            "secrets_expired": bool(job.result.get("secrets_expired")),
            "sign_in_url": request.build_absolute_uri(reverse("login")),
            "report_csv_url": reverse("admin:quizzes_classroom_import_csv", args=[classroom.pk, job.pk]) if done else "",
            "slips": _slips(report, classroom) if done and not job.result.get("secrets_expired") else [],
            "retention_hours": RESULT_SECRETS_HOURS,
        }
        return TemplateResponse(request, "admin/quizzes/classroom/import_job.html", context)

    def import_report_view(self, request, pk: int, job_id: int):
        """What a finished import did, as a CSV (with the passwords it generated, while kept)."""
        classroom, job = self._import_job(request, pk, job_id)
        if job.status != Job.Status.DONE or not job.result:
            raise Http404("the import has not finished")
        response = HttpResponse(
            import_report_csv(ImportReport.from_job_result(job.result), classroom), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="import-{classroom.code}-{job.pk}.csv"'
        return response


def _slips(report, classroom: Classroom) -> list[dict]:
    """One printable slip per new account whose password was generated: name, class, username, password."""
    generated = {u: p for u, p in report.created if p}
    users = User.objects.filter(username__in=generated).order_by("last_name", "first_name", "username")
    return [{"name": u.get_full_name(), "username": u.username, "password": generated[u.username], "classroom": classroom} for u in users]


class StudentForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    group = forms.ChoiceField(label=_("Group"), required=False)
    password = forms.CharField(
        label=_("Password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to generate one; it is shown once, after saving."),
    )

    def __init__(self, *args, groups: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", gettext("(no group)"))] + [(g, g) for g in groups]


class StudentCsvForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    check_only = forms.BooleanField(required=False, label=_("Only check the file; import nothing"))


# --- assignments --------------------------------------------------------------------------------


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time inputs, each with its word ("Date:", "Time:") as its label."""

    template_name = "admin/quizzes/widgets/split_datetime.html"


DATETIME_LABELLED: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {models.DateTimeField: {"widget": LabelledSplitDateTime}}


class GroupSelect(forms.Select):
    """A group picker whose options carry their class (data-classroom), so the page offers only the
    chosen class's groups (admin/quizzes/assignment/change_form.html); the form checks it again."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-classroom"] = str(instance.classroom_id)
        return option


# An assignment's own settings, over the quizzes' (quizzes.classes.selectors.quiz_rules).
ASSIGNMENT_SETTING_FIELDS = ["attempts_allowed", "reveal", "grade_method", "shuffle", "time_limit_minutes", "scenario_grading"]
AS_THE_QUIZ = _("as each quiz sets")


def retake_trap(assignment: Assignment) -> list[str]:
    """Titles of the assignment's quizzes where a student may retake after seeing every key and keep
    the better try: more than one attempt, answers after each question, the best or last attempt graded."""
    trapped = []
    for item in assignment.module.items.select_related("quiz").filter(quiz__isnull=False).order_by("position"):
        rules = quiz_rules(item.quiz, assignment)
        if rules.attempts != 1 and rules.immediate and rules.grade_method in (Quiz.Grade.BEST, Quiz.Grade.LAST):
            trapped.append(item.quiz.title)
    return trapped


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["classroom", "group", "module", "opens_at", "due_at", *ASSIGNMENT_SETTING_FIELDS]
        widgets = {"group": GroupSelect}

    user = None  # set by AssignmentAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("reveal", "grade_method", "shuffle"):
            if name in self.fields:  # the empty choice means the quiz's own setting: say so, not "---------"
                self.fields[name].choices = [("", AS_THE_QUIZ), *[c for c in self.fields[name].choices if c[0]]]
        if "scenario_grading" in self.fields:
            self.fields["scenario_grading"].required = False  # left out: the safe default, completion

    def clean_scenario_grading(self):
        return self.cleaned_data.get("scenario_grading") or Assignment.ScenarioGrading.COMPLETION

    def clean(self):
        data = super().clean()
        if all(data.get(f) for f in ("classroom", "module", "opens_at", "due_at")):
            module_changed = not self.instance.pk or "module" in self.changed_data
            assignment_check(
                classroom=data["classroom"],
                module=data["module"],
                opens_at=data["opens_at"],
                due_at=data["due_at"],
                group=data.get("group"),
                user=self.user if module_changed else None,
            )
        return data


def student_label(user) -> str:
    """A student as a teacher looks for them: 'Serikova, Aliya (aliya.s)', or the username alone."""
    name = ", ".join(part for part in (user.last_name, user.first_name) if part)
    return f"{name} ({user.username})" if name else user.username


class ExtensionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        assignment = self.instance
        if assignment.classroom_id is None or assignment.due_at is None:
            return  # the assignment itself is invalid; its form says why
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("student") and data.get("due_at") and not data.get("DELETE"):
                try:
                    extension_check(assignment=assignment, student=data["student"], due_at=data["due_at"])
                except ValidationError as exc:
                    form.add_error(None, exc)


STUDENT_LABEL = _("Student")


class ExtensionInline(admin.TabularInline):
    model = Extension
    formfield_overrides = DATETIME_LABELLED
    formset = ExtensionFormSet
    extra = 0
    verbose_name_plural = "extensions (a later due date for one student; save the assignment first)"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "student":
            assignment = assignments_for_teacher(request.user).filter(pk=_parent_id(request)).first()
            students = User.objects.filter(enrolments__classroom_id=assignment.classroom_id if assignment else None)
            kwargs["queryset"] = students.order_by("last_name", "first_name", "username")
            kwargs["help_text"] = "A student of the assignment's class, by name."
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "student" and field is not None:
            field.label_from_instance = student_label  # type: ignore[assignment]  # Django's documented per-field override
            field.widget.attrs["aria-label"] = STUDENT_LABEL  # a table cell: its column's title, said
        return _cached_choices(field)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    form = AssignmentForm
    formfield_overrides = DATETIME_LABELLED
    list_display = ["module", "classroom", "group", "opens_at", "due_at", "archived_at", "links"]
    list_filter = [("classroom", admin.RelatedOnlyFieldListFilter), "due_at", ("archived_at", admin.EmptyFieldListFilter)]
    list_select_related = ["module", "classroom", "group"]
    date_hierarchy = "due_at"
    inlines = [ExtensionInline]
    actions = ["export_grades"]
    fieldsets = [
        (None, {"fields": ["classroom", "group", "module", "opens_at", "due_at"]}),
        (
            _("Settings"),
            {
                "fields": ASSIGNMENT_SETTING_FIELDS,
                "description": _(
                    "These apply to this assignment only and replace each quiz's own settings; "
                    "'as each quiz sets' keeps the quiz's. Work already started keeps its time limit and question order."
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        return assignments_for_teacher(request.user).select_related("module", "classroom", "group")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
            # No add, edit or red delete icon beside the class, group or (often shared) module: this
            # page sets work; deleting a class from here was one click away.
            field.widget.can_add_related = field.widget.can_change_related = field.widget.can_delete_related = False
        return field

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type("TeacherAssignmentForm", (form,), {"user": request.user})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        querysets = {"classroom": classrooms_for_teacher, "group": groups_for_teacher, "module": modules_for_teacher}
        if db_field.name in querysets:
            kwargs["queryset"] = querysets[db_field.name](request.user)
        if db_field.name == "group":
            kwargs["queryset"] = kwargs["queryset"].select_related("classroom")
            kwargs["widget"] = GroupSelect
            kwargs["help_text"] = "Only the chosen class's groups are offered. Empty: the whole class."
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "group":
            field.label_from_instance = lambda group: f"{group.name} ({group.classroom})"
        return field

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        trapped = retake_trap(obj)
        if trapped:
            self.message_user(
                request,
                _(
                    "Check the settings of %(quizzes)s: a student may retake after seeing the right answers "
                    "and keep the better try. Show answers when the attempt is submitted or later, allow one attempt, "
                    "or grade by the first attempt or the mean."
                )
                % {"quizzes": ", ".join(trapped)},
                messages.WARNING,
            )

    @admin.display(description="")
    def links(self, obj):
        return format_html(
            '<a href="{}">Results</a> · <a href="{}">Item statistics</a>',
            reverse("admin:quizzes_assignment_results", args=[obj.pk]),
            reverse("admin:quizzes_assignment_statistics", args=[obj.pk]),
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/results/", view(self.results_view), name="quizzes_assignment_results"),
            path("<int:pk>/grades.csv", view(self.grades_view), name="quizzes_assignment_grades"),
            path("<int:pk>/statistics/", view(self.statistics_view), name="quizzes_assignment_statistics"),
        ] + super().get_urls()

    def _assignment(self, request, pk: int) -> Assignment:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def _context(self, request, assignment: Assignment, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "assignment": assignment,
            "original": assignment,
            "title": title,
        }

    def results_view(self, request, pk: int):
        """Each student's status, score and time on each item of the assignment."""
        assignment = self._assignment(request, pk)
        results = assignment_results(assignment)
        kinds = ["quiz" if item.quiz_id else "scenario" for item in results.items]
        # The summary counts every student; the table shows a page of them (a class of 300 is 1,200 cells).
        pager = Paginator(results.students, STUDENTS_PER_PAGE).get_page(request.GET.get("students_page"))
        context = self._context(request, assignment, f"Results: {assignment}") | {
            "results": results,
            "pager": pager,
            "rows": [(s, [(i, work_link(kind, i.work_id)) for kind, i in zip(kinds, s.items, strict=True)]) for s in pager.object_list],
            "item_titles": [item_title(i) for i in results.items],
        }
        return TemplateResponse(request, "admin/quizzes/assignment/results.html", context)

    def grades_view(self, request, pk: int):
        """The assignment's grades as a CSV download."""
        return self._grades_response(self._assignment(request, pk))

    @staticmethod
    def _grades_response(assignment: Assignment) -> HttpResponse:
        response = HttpResponse(grades_csv(assignment_results(assignment)), content_type="text/csv; charset=utf-8")
        name = f"grades-{assignment.classroom.code}-{assignment.module.slug}-{assignment.pk}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @admin.action(description=_("Download grades (CSV)"))
    def export_grades(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, gettext("Select exactly one assignment to download its grades."), messages.WARNING)
            return None
        return self._grades_response(queryset.get())

    def statistics_view(self, request, pk: int):
        """Item statistics for the quizzes of the assignment (first scored attempts of its students), and per source."""
        assignment = self._assignment(request, pk)
        sections, sources = assignment_item_statistics(assignment)
        context = self._context(request, assignment, f"Item statistics: {assignment}") | {
            "sections": sections,
            "sources": sources,
            "min_responses": FLAG_MIN_RESPONSES,
            "reteach": reteach_list(sections),
            "reteach_min": RETEACH_MIN_RESPONSES,
        }
        return TemplateResponse(request, "admin/quizzes/item_statistics.html", context)


# --- attempts (read only) -----------------------------------------------------------------------


class ResponseInline(admin.TabularInline):
    model = QuestionResponse
    extra = 0
    fields = ["position", "stem", "answer", "points", "answered_at"]
    readonly_fields = fields
    can_delete = False
    verbose_name = "answer"
    verbose_name_plural = "answers (the full review, with explanations and evidence, is under “Review answers”)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question", "version")

    @admin.display(description=_("question as shown"))
    def stem(self, obj):
        return shown(obj).get("stem", "")

    @admin.display(description=_("their answer"))
    def answer(self, obj):
        return answer_summary(obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttemptQuizFilter(admin.SimpleListFilter):
    """The quizzes a teacher's students can have worked on (a small table), not a DISTINCT over every attempt."""

    title = "quiz"
    parameter_name = "quiz"

    def lookups(self, request, model_admin):
        return [(q.pk, q.title) for q in attempt_quizzes_for_teacher(request.user).only("pk", "title").order_by("title", "pk")]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        return queryset.filter(quiz_id=int(value)) if value.isdigit() else queryset.none()


class AttemptChangeList(ChangeList):
    """A list that fits on one page is read as the paginator's pages are (quizzes.paging): through the
    teacher's own attempts when they are few, not by testing every attempt of the district."""

    def get_results(self, request):
        super().get_results(request)
        one_page = not self.multi_page or (self.show_all and self.can_show_all)
        if one_page and self.result_count <= PAGE_BY_IDS_UP_TO:
            self.result_list = self.paginator.count_of._clone()


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Students' attempts, as records: teachers read them; nobody edits them here.

    Built to cost what a page shows at a district's size: visibility by subqueries, the quiz filter
    from the quizzes table, one count (not a second one of everything), search by name prefix
    through the users and quizzes tables (indexed on PostgreSQL) instead of a LIKE across a join."""

    list_display = ["user", "quiz", "assignment", "number", "status", "percent", "started_at", "submitted_at", review_link]
    list_filter = ["status", AttemptQuizFilter]
    list_select_related = ["user", "quiz", "assignment__module", "assignment__classroom", "assignment__group"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "quiz__title"]
    search_help_text = "The start of a username, first or last name, or words of a quiz title."
    show_full_result_count = False
    paginator = CappedCountPaginator  # the count reads at most 10,001 rows ("about N" above), a short list by the teacher's ids
    inlines = [ResponseInline]

    def get_queryset(self, request):
        return attempts_for_teacher(request.user)

    def get_changelist(self, request, **kwargs):
        return AttemptChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # Counted (and a short list read) through the teacher's own attempts by index, not a scan of all (quizzes.paging).
        count_of = attempts_counted_for_teacher(queryset, request.user)
        return self.paginator(queryset, per_page, orphans, allow_empty_first_page, count_of=count_of)

    def get_search_results(self, request, queryset, search_term):
        for word in search_term.split()[:5]:
            users = User.objects.filter(Q(username__istartswith=word) | Q(first_name__istartswith=word) | Q(last_name__istartswith=word))
            quizzes = Quiz.objects.filter(title__icontains=word)
            queryset = queryset.filter(Q(user_id__in=users.values("pk")) | Q(quiz_id__in=quizzes.values("pk")))
        return queryset, False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/work/", view(lambda request, pk: attempt_work_view(self, request, pk)), name="quizzes_attempt_work"),
            path("runs/<int:pk>/work/", view(lambda request, pk: run_work_view(self, request, pk)), name="quizzes_run_work"),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {"review_url": work_link("quiz", int(object_id)) if str(object_id).isdigit() else ""}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- background jobs ----------------------------------------------------------------------------


def progress_bar(job: Job) -> str:
    return format_html('<progress value="{}" max="100" aria-label="progress">{} %</progress> {} %', job.percent, job.percent, job.percent)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Long work started from the admin; the pages refresh themselves while a job is queued or running."""

    list_display = ["__str__", "status", "progress", "message", "created_by", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    fields = ["kind", "status", "progress", "message", "params", "created_by", "created_at", "started_at", "finished_at"]
    readonly_fields = [*fields, "import_page"]

    def get_fields(self, request, obj=None):
        # An import's params hold the file's rows (and any passwords given in it) until it ends: link its page instead.
        if obj is not None and obj.kind == Job.Kind.IMPORT_STUDENTS:
            return [name if name != "params" else "import_page" for name in self.fields]
        return self.fields

    @admin.display(description=_("import"))
    def import_page(self, obj):
        url = reverse("admin:quizzes_classroom_import", args=[obj.params.get("classroom_id"), obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("The import's progress and report"))

    def get_queryset(self, request):
        return jobs_for_user(request.user)

    @admin.display(description=_("progress"))
    def progress(self, obj):
        return progress_bar(obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def changelist_view(self, request, extra_context=None):
        running = self.get_queryset(request).filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).exists()
        return super().changelist_view(request, {"refresh": running, **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_queryset(request).filter(pk=object_id).first()
        running = obj is not None and obj.status in (Job.Status.QUEUED, Job.Status.RUNNING)
        return super().change_view(request, object_id, form_url, {"refresh": running, **(extra_context or {})})

    def get_urls(self):
        return [
            path("statistics/", self.admin_site.admin_view(self.statistics_start_view), name="quizzes_job_statistics"),
        ] + super().get_urls()

    def statistics_start_view(self, request):
        """Start recomputing item statistics over all scored attempts (POST), then show the job."""
        if request.method != "POST" or not self.has_view_permission(request):
            raise PermissionDenied
        job = job_start(kind=Job.Kind.ITEM_STATISTICS, user=request.user)
        return job_started_redirect(request, job)


def job_started_redirect(request, job: Job):
    """Tell the teacher the job has started and show its progress page."""
    url = reverse("admin:quizzes_job_change", args=[job.pk])
    messages.success(request, format_html(gettext('Started: {} (<a href="{}">follow its progress</a>).'), job.get_kind_display(), url))
    return redirect(url)
