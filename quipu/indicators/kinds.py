"""The notifications survey rounds raise (titles only: see quipu/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

from quipu.notifications.kinds import kind_register

ASSIGNED = kind_register("indicators.assigned", _("A survey was assigned to your institution")).code
RETURNED = kind_register(
    "indicators.returned", _("A survey answer was returned for correction")
).code
SUBMITTED = kind_register(
    "indicators.submitted", _("A survey answer was submitted for approval")
).code
APPROVED = kind_register(
    "indicators.approved", _("A survey answer was approved and awaits acceptance")
).code
ACCEPTED = kind_register("indicators.accepted", _("A survey answer was accepted")).code
REMINDER = kind_register("indicators.reminder", _("A survey answer is due soon")).code
OVERDUE = kind_register("indicators.overdue", _("A survey answer is overdue")).code
