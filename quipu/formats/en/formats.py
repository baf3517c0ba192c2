"""English as the region writes it: "6 Dec 2026", "6 December 2026", 14:30.

A date typed as 06/12/2026 means 6 December, as in Spanish and Portuguese; the United States'
month-first input is not accepted, since it would silently swap day and month."""

from django.conf.locale.en.formats import *  # noqa: F403 - Django's English, then ours

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2026-12-06'
    "%d/%m/%Y",  # '06/12/2026'
    "%d/%m/%y",  # '06/12/26'
    "%d %b %Y",  # '6 Dec 2026'
    "%d %B %Y",  # '6 December 2026'
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M",
]
