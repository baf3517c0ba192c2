"""The notifications helpline reports raise (titles only: see quipu/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

from quipu.notifications.kinds import kind_register

IMMEDIATE_DANGER = kind_register(
    "helpline.immediate_danger", _("New helpline report of immediate danger")
).code
LEAD_ASSIGNED = kind_register(
    "helpline.lead_assigned", _("A helpline report was assigned to your institution")
).code
ROUTED_IN = kind_register(
    "helpline.routed_in", _("A helpline report was routed to your country")
).code
CASE_OPENED = kind_register(
    "helpline.case_opened", _("A case was opened for your institution from a helpline report")
).code
