"""The notifications information requests raise (titles only: see quipu/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

from quipu.notifications.kinds import kind_register

REQUEST_NEW = kind_register("requests.new", _("New information request for your country")).code
REQUEST_ANSWERED = kind_register(
    "requests.answered", _("An information request you sent was answered")
).code
REQUEST_CLARIFIED = kind_register(
    "requests.clarified", _("The requesting country answered your question on a request")
).code
REQUEST_WITHDRAWN = kind_register(
    "requests.withdrawn", _("An information request to your country was withdrawn")
).code
REQUEST_DUE_SOON = kind_register(
    "requests.due_soon", _("An information request to your country is due soon")
).code
REQUEST_OVERDUE = kind_register("requests.overdue", _("An information request is overdue")).code
GRANT_EXPIRING = kind_register(
    "requests.grant_expiring", _("A grant of information you received expires soon")
).code
