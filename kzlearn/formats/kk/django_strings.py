"""Django's own strings that its Kazakh catalog leaves untranslated: the units of `timesince` and
`timeuntil` ("due in 1 year, 1 month", "overdue by 2 days, 3 hours" came out in English on a Kazakh
page). Named here, with the same msgids as django/utils/timesince.py, so makemessages keeps them in our
catalog, whose translations win over Django's (LOCALE_PATHS)."""

from django.utils.translation import ngettext_lazy

TIME_UNITS = (
    ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
)
