"""The notifications matching raises (titles only: see quipu/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

from quipu.notifications.kinds import kind_register

NOTICES_NEW = kind_register("linkage.notices_new", _("New cross-border match notices")).code
LINK_CONFIRMED = kind_register(
    "linkage.link_confirmed", _("A match was confirmed by both countries")
).code
PROBE_ALERT = kind_register(
    "linkage.probe_alert",
    _("Possible probing: one institution's new records raised a burst of match notices"),
).code
