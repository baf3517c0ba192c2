"""The notifications referrals raise (titles only: see quipu/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

from quipu.notifications.kinds import kind_register

REFERRAL_NEW = kind_register("referrals.new", _("New consular referral for your country")).code
REFERRAL_ANSWERED = kind_register(
    "referrals.answered", _("A consular referral you sent was answered")
).code
REFERRAL_CLOSED = kind_register(
    "referrals.closed", _("A consular referral you sent was closed")
).code
REFERRAL_WITHDRAWN = kind_register(
    "referrals.withdrawn", _("A consular referral to your country was withdrawn")
).code
STEP_OVERDUE = kind_register(
    "referrals.step_overdue", _("An assistance step of a consular referral is overdue")
).code
