"""What a loader's or a generator's report counts, in words ("3 created"; shown by quizzes.i18n.counted in the
active language): the loader (quizzes.dataset.services) and the generators (quizzes.bank.services,
quizzes.scenarios.services)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

COUNT_WORDS = {
    "created": gettext_noop("%(n)d created"),
    "updated": gettext_noop("%(n)d updated"),
    "unchanged": gettext_noop("%(n)d unchanged"),
    "retired": gettext_noop("%(n)d retired"),
    "deleted": gettext_noop("%(n)d deleted"),
    "removed": gettext_noop("%(n)d removed"),
    "refused": gettext_noop("%(n)d refused"),
    "refused (no evidence)": gettext_noop("%(n)d refused (no evidence)"),
    "unpublished": gettext_noop("%(n)d unpublished"),
}
DRY_RUN_WORDS = {
    "created": gettext_noop("%(n)d would be created"),
    "updated": gettext_noop("%(n)d would change"),
    "retired": gettext_noop("%(n)d would be retired"),
    "deleted": gettext_noop("%(n)d would be deleted"),
}
