"""Rate limits and alerts against probing through match notices (DESIGN.md rule 1(a); see
docs/threat-model-notices.md).

A notice is charged to the institution of each side whose record a user wrote within the
last `recent_days`: the quota is per institution, other country and day. Past the daily
limit a new notice is held back, seen by neither side, and released on later days within
the limit (`held_notices_release`, a daily job). When one institution's recent records raise
`probe_alert_at` notices against one country in a day, which is what a run of probe records
looks like, the secretariat and that country's focal points are alerted, once a day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from quipu.audit.models import Action, AuditEntry
from quipu.audit.services import audit_record
from quipu.cases.models import Case, Perpetrator, Person, Victim
from quipu.linkage.kinds import NOTICES_NEW, PROBE_ALERT
from quipu.linkage.models import LinkageSettings, MatchNotice, MatchNoticeSide, NoticeQuota
from quipu.notifications.services import notify, recipients_with
from quipu.tenancy.roles import Capability

QuotaKey = tuple[int, str]  # (institution id, other country)


def recent_encodings(
    encoding_people: dict[int, int], *, settings: LinkageSettings, now: datetime.datetime
) -> set[int]:
    """Of these encodings (id -> person id), those whose person a user wrote within the
    recent window: created in a case a user created (a form, an import), or changed by a user
    (any audited write of the person or its case, identifiers included). Records only the
    system wrote (the demo, an operator's load) are not charged."""
    cutoff = now - datetime.timedelta(days=settings.recent_days)
    people = set(encoding_people.values())
    created_by_user = Q(victim_contexts__case__created_by__isnull=False) | Q(
        perpetrator_contexts__case__created_by__isnull=False
    )
    recent = set(
        Person.objects.filter(pk__in=people, created_at__gte=cutoff)
        .filter(created_by_user)
        .values_list("pk", flat=True)
    )
    cases: dict[int, set[int]] = {}
    for model in (Victim, Perpetrator):
        for person_id, case_id in model.objects.filter(person_id__in=people).values_list(
            "person_id", "case_id"
        ):
            cases.setdefault(case_id, set()).add(person_id)
    # An edit by a user is in the audit log whatever it changed (a name, a phone...).
    user_writes = AuditEntry.objects.filter(
        at__gte=cutoff, actor_id__isnull=False, action__in=(Action.CREATE, Action.UPDATE)
    )
    for object_id in user_writes.filter(
        object_type=Person._meta.label_lower, object_id__in=[str(pk) for pk in people]
    ).values_list("object_id", flat=True):
        recent.add(int(object_id))
    for object_id in user_writes.filter(
        object_type=Case._meta.label_lower, object_id__in=[str(pk) for pk in cases]
    ).values_list("object_id", flat=True):
        recent |= cases[int(object_id)]
    return {pk for pk, person in encoding_people.items() if person in recent}


class QuotaBook:
    """The day's quotas of the institutions a batch of notices is charged to."""

    def __init__(self, *, settings: LinkageSettings, today: datetime.date):
        self.settings, self.today = settings, today
        self.rows: dict[QuotaKey, NoticeQuota] = {}

    def _row(self, key: QuotaKey) -> NoticeQuota:
        if key not in self.rows:
            self.rows[key] = NoticeQuota.objects.select_for_update().get_or_create(
                institution_id=key[0], other_country_id=key[1], day=self.today
            )[0]
        return self.rows[key]

    def admit(self, keys: Iterable[QuotaKey], *, count_held: bool = True) -> bool:
        """Charge one notice to these quotas: True if it may be shown, False if held (and
        counted as held, unless it was counted when first held)."""
        rows = [self._row(key) for key in set(keys)]
        allowed = all(row.notices < self.settings.notice_daily_limit for row in rows)
        for row in rows:
            if allowed:
                row.notices += 1
            elif count_held:
                row.held += 1
        return allowed

    def close(self, *, alert: bool = True) -> list[NoticeQuota]:
        """Save the quotas and return those that reached the alert level just now."""
        alerted = []
        for row in self.rows.values():
            burst = row.notices + row.held >= self.settings.probe_alert_at
            if alert and row.alerted_at is None and burst:
                row.alerted_at = timezone.now()
                alerted.append(row)
            row.save()
        return alerted


def probe_alerts_raise(quotas: list[NoticeQuota]) -> None:
    """Tell the secretariat and the other country's focal points: a title and a link to where
    each reads the alerts (institution, day and counts, never a record)."""
    for quota in quotas:
        audit_record(
            actor=None,
            action=Action.CREATE,
            obj=quota,
            object_type="linkage.probealert",
            subject_country=quota.other_country_id,
            detail={
                "institution": quota.institution_id,
                "other_country": quota.other_country_id,
                "day": quota.day.isoformat(),
                "notices": quota.notices,
                "held": quota.held,
            },
        )
        notify(
            recipients=recipients_with(Capability.MANAGE_REGION),
            kind=PROBE_ALERT,
            url=reverse("linkage:settings"),
        )
        notify(
            recipients=recipients_with(Capability.REVIEW_MATCHES, country=quota.other_country_id),
            kind=PROBE_ALERT,
            url=reverse("linkage:notices"),
        )


def held_notices_release(*, now: datetime.datetime | None = None) -> int:
    """Release held notices, oldest first, within today's quotas; returns how many."""
    now = now or timezone.now()
    released: list[MatchNotice] = []
    with transaction.atomic():
        held = list(
            MatchNotice.objects.select_for_update()
            .filter(status=MatchNotice.Status.HELD)
            .order_by("created_at", "pk")
        )
        if not held:
            return 0
        book = QuotaBook(settings=LinkageSettings.current(), today=timezone.localdate(now))
        sides = MatchNoticeSide.objects.filter(notice__in=held).select_related("institution")
        by_notice: dict[int, list[MatchNoticeSide]] = {}
        for side in sides:
            by_notice.setdefault(side.notice_id, []).append(side)
        for notice in held:
            keys = charge_keys(by_notice.get(notice.pk, []))
            if book.admit(keys, count_held=False):
                notice.status = MatchNotice.Status.PENDING
                released.append(notice)
        # Released notices use today's room; their burst was alerted on the day it happened.
        book.close(alert=False)
        MatchNotice.objects.bulk_update(released, ["status"], batch_size=1000)
        countries = {
            side.institution.country_id
            for notice in released
            for side in by_notice.get(notice.pk, [])
        }
        for country in sorted(countries):
            notify(
                recipients=recipients_with(Capability.REVIEW_MATCHES, country=country),
                kind=NOTICES_NEW,
                url=reverse("linkage:notices"),
            )
    return len(released)


def charge_keys(sides: list[MatchNoticeSide]) -> list[QuotaKey]:
    """The quotas a notice counts against: each charged side's institution, against the
    other side's country."""
    keys = []
    for side in sides:
        if side.charged:
            others = [other for other in sides if other is not side]
            keys += [(side.institution_id, other.institution.country_id) for other in others]
    return keys
