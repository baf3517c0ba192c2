"""The notifications JITs raise (titles only: see quipu/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

from quipu.notifications.kinds import kind_register

JIT_INVITED = kind_register(
    "jits.invited", _("Your institution is invited to a joint investigation team")
).code
JIT_ACTIVITY = kind_register("jits.activity", _("JIT activity")).code
JIT_TASK_DUE = kind_register(
    "jits.task_due", _("A task of a joint investigation team is due or overdue")
).code
JIT_REMOVED = kind_register(
    "jits.removed", _("Your institution was removed from a joint investigation team")
).code
JIT_CLOSED = kind_register("jits.closed", _("A joint investigation team was closed")).code
