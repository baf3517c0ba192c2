"""Matching runs: the matcher's cross-border pairs become match notices for both owners.

A full run (`quipu link run`, or the secretariat's button) trains the model on every encoding
and scores every cross-border pair. After a record is written and re-encoded, an incremental
run scores just its encodings against all others with the last full run's trained model.
Runs write notices, never values: which encodings, their owners, the probability (kept
server-side) and the coarse band of the evidence that agreed (evidence.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.linkage import scoring
from quipu.linkage.evidence import band_of, identifier_kind_of
from quipu.linkage.hits import hit_keys, hits_once
from quipu.linkage.keys import linkage_key
from quipu.linkage.kinds import NOTICES_NEW
from quipu.linkage.matcher.linking import Linkage, link_all, link_identifiers, link_new
from quipu.linkage.models import (
    LinkageSettings,
    LinkRun,
    MatchNotice,
    MatchNoticeSide,
    PersonEncoding,
)
from quipu.linkage.quotas import QuotaBook, probe_alerts_raise, recent_encodings
from quipu.linkage.seal import sealed_institution_ids
from quipu.notifications.services import notify, recipients_with
from quipu.tenancy.permissions import require
from quipu.tenancy.roles import Capability

logger = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
Status = MatchNotice.Status
OPEN = (Status.PENDING, Status.LINKED)


def link_run_request(*, actor, request=None) -> LinkRun:
    """The secretariat asks for a full run; the background worker does it."""
    require(actor, Capability.MANAGE_REGION, request=request)
    return link_run_queue(actor=actor, request=request)


def link_run_queue(*, actor=None, request=None) -> LinkRun:
    """Queue a full run for the background worker (the demo does this as the system)."""
    from quipu.linkage.tasks import link_run_task  # tasks imports this module

    run = LinkRun.objects.create(kind=LinkRun.Kind.FULL, requested_by=actor)
    audit_record(
        actor=actor, action=Action.CREATE, obj=run, detail={"kind": run.kind}, request=request
    )
    transaction.on_commit(lambda: link_run_task.enqueue(run.pk))
    return run


def link_run_full(*, run: LinkRun | None = None, backend: str = "duckdb", progress=None) -> LinkRun:
    """Train on every current encoding, score every cross-border pair and update the notices."""
    run = run or LinkRun.objects.create(kind=LinkRun.Kind.FULL)
    run.backend = backend
    _started(run)

    def report(stage: str, done: int, total: int) -> None:
        LinkRun.objects.filter(pk=run.pk).update(stage=stage, stages_done=done, stages_total=total)
        if progress is not None:
            progress(stage, done, total)

    try:
        linkage = link_all(
            key_id=run.key_id, threshold=run.threshold, backend=backend, progress=report
        )
    except Exception as error:
        _failed(run, error)
        raise
    return _finished(run, linkage, scope=None)


def link_run_identifiers() -> LinkRun:
    """Notices for the pairs that share an identifier, in seconds and with no model, so that
    focal points have them while the full run (queued next) trains and scores the rest. The
    full run finds the same pairs again and refines them; this pass withdraws nothing and
    re-reads no evidence, as an incremental run."""
    run = LinkRun.objects.create(kind=LinkRun.Kind.IDENTIFIERS)
    _started(run)
    try:
        linkage = link_identifiers(key_id=run.key_id, threshold=run.threshold)
    except Exception as error:
        _failed(run, error)
        raise
    return _finished(run, linkage, scope=None, full=False)


def link_people(person_ids: Iterable[int], *, backend: str = "duckdb") -> LinkRun | None:
    """After these people were re-encoded: score their encodings against all others with the
    last full run's model. Without a full run on the current key there is no model yet, and
    the next full run covers them."""
    key_id = linkage_key().key_id
    trained = (
        LinkRun.objects.filter(kind=LinkRun.Kind.FULL, status=LinkRun.Status.DONE, key_id=key_id)
        .exclude(model=None)
        .first()
    )
    if trained is None:
        logger.info("linkage: no trained model for key %s yet; incremental run skipped", key_id)
        return None
    encoding_ids = set(
        PersonEncoding.objects.filter(person_id__in=list(person_ids), key_id=key_id).values_list(
            "pk", flat=True
        )
    )
    if not encoding_ids:
        return None
    run = LinkRun.objects.create(kind=LinkRun.Kind.INCREMENTAL, backend=backend)
    _started(run)
    try:
        linkage = link_new(
            encoding_ids,
            key_id=key_id,
            model=trained.model,
            threshold=run.threshold,
            backend=backend,
        )
    except Exception as error:
        _failed(run, error)
        raise
    return _finished(run, linkage, scope=encoding_ids)


def _started(run: LinkRun) -> None:
    run.status = LinkRun.Status.RUNNING
    run.key_id = linkage_key().key_id
    run.threshold = LinkageSettings.current().notice_threshold
    run.save()


def _failed(run: LinkRun, error: Exception) -> None:
    run.status = LinkRun.Status.FAILED
    run.error = type(error).__name__  # the class only: a message could quote data
    run.finished_at = timezone.now()
    run.save()
    audit_record(actor=None, action=Action.UPDATE, obj=run, detail=_run_detail(run))


def _finished(
    run: LinkRun, linkage: Linkage, *, scope: set[int] | None, full: bool | None = None
) -> LinkRun:
    with transaction.atomic():
        full = scope is None if full is None else full
        new, withdrawn, announced = _notices_write(linkage, run, scope=scope, full=full)
        _notices_announce(announced)
        run.records = linkage.records
        run.pairs = len(linkage.pairs)
        run.notices_new, run.notices_withdrawn = new, withdrawn
        run.clusters = _clusters_refresh()
        if run.kind == LinkRun.Kind.FULL:
            run.model = linkage.model
        run.status = LinkRun.Status.DONE
        run.finished_at = timezone.now()
        run.save()
        audit_record(actor=None, action=Action.UPDATE, obj=run, detail=_run_detail(run))
    return run


def _run_detail(run: LinkRun) -> dict:
    fields = ("kind", "status", "key_id", "threshold", "records", "pairs", "notices_new")
    detail = {name: getattr(run, name) for name in fields}
    detail.update(withdrawn=run.notices_withdrawn, clusters=run.clusters, error=run.error)
    return detail


def _notices_write(
    linkage: Linkage, run: LinkRun, *, scope: set[int] | None, full: bool
) -> tuple[int, int, set[str]]:
    """Create notices for new pairs, refresh found ones, and on a full run withdraw open ones
    not found again. Returns the counts of new and withdrawn notices, and the countries with
    new notices to review. Pairs with a record under the consular seal make no notice
    (seal.py); new notices from recently written records are charged to their institution's
    daily quota and held past it (quotas.py)."""
    scored = {(int(p.left_id), int(p.right_id)): p for p in linkage.pairs}
    involved = {pk for pair in scored for pk in pair}
    owners, countries, people = {}, {}, {}
    for pk, institution_id, country, person_id in PersonEncoding.objects.filter(
        pk__in=involved
    ).values_list("pk", "owner_institution_id", "owner_country", "person_id"):
        owners[pk], countries[pk], people[pk] = institution_id, country, person_id
    sealed = sealed_institution_ids(owners.values())
    # Before choosing each record's best match, so a sealed record does not hide another.
    scored = {
        pair: scored_pair
        for pair, scored_pair in scored.items()
        if not {owners.get(pair[0]), owners.get(pair[1])} & sealed
    }
    found = _reviewable(scored, countries)
    notices = MatchNotice.objects.all()
    if scope is not None:
        notices = notices.filter(Q(encoding_low__in=scope) | Q(encoding_high__in=scope))
    existing = {(n.encoding_low, n.encoding_high): n for n in notices}
    hits = hit_keys(found, countries)
    found = hits_once(found, hits, existing=set(existing), full_run=full)
    settings, now = LinkageSettings.current(), timezone.now()  # bulk_update skips auto_now
    recent = recent_encodings(
        {pk: people[pk] for pair in found for pk in pair}, settings=settings, now=now
    )
    book = QuotaBook(settings=settings, today=timezone.localdate(now))
    created, refreshed, recharged = [], [], []
    for pair, scored_pair in sorted(found.items()):
        notice = existing.get(pair)
        quotas = [
            (owners[pk], countries[other]) for pk, other in (pair, pair[::-1]) if pk in recent
        ]
        if notice is None:
            created.append(
                MatchNotice(
                    encoding_low=pair[0],
                    encoding_high=pair[1],
                    match_probability=scored_pair.match_probability,
                    band=band_of(scored_pair.components),
                    identifier_kind=identifier_kind_of(scored_pair.components),
                    hit_key=hits.get(pair, ""),
                    status=Status.PENDING if book.admit(quotas) else Status.HELD,
                    first_run=run,
                    last_run=run,
                )
            )
            continue
        notice.last_run, notice.updated_at = run, now
        # Only a full run re-reads the evidence: an incremental run follows a writer's edit,
        # and re-reading then would let a probe record ask again with every edit.
        if full and notice.status in (Status.PENDING, Status.WITHDRAWN, Status.HELD):
            notice.match_probability = scored_pair.match_probability
            notice.band = band_of(scored_pair.components)
            notice.identifier_kind = identifier_kind_of(scored_pair.components)
            notice.hit_key = hits.get(pair, "")
        if notice.status == Status.WITHDRAWN:  # found again: shown again, as a new one would be
            notice.status = Status.PENDING if book.admit(quotas) else Status.HELD
            recharged.append((notice, [pk for pk in pair if pk in recent]))
        refreshed.append(notice)
    # Only a full run withdraws: after an edit, a notice that disappeared would tell the
    # writer that the edited values no longer match the other record.
    withdrawn = [
        notice
        for pair, notice in existing.items()
        if full and pair not in found and notice.status in (Status.PENDING, Status.HELD)
    ]
    for notice in withdrawn:
        notice.status, notice.last_run, notice.updated_at = Status.WITHDRAWN, run, now
    # One statement per thousand notices, not one per notice: a rerun touches thousands.
    MatchNotice.objects.bulk_update(
        [*refreshed, *withdrawn],
        [
            "status",
            "match_probability",
            "band",
            "identifier_kind",
            "hit_key",
            "last_run",
            "updated_at",
        ],
        batch_size=1000,
    )
    for notice, charged in recharged:
        notice.sides.exclude(encoding_id__in=charged).update(charged=False)
        notice.sides.filter(encoding_id__in=charged).update(charged=True)
    # SQLite and PostgreSQL both return the new ids from a bulk insert.
    created = MatchNotice.objects.bulk_create(created, batch_size=500)
    MatchNoticeSide.objects.bulk_create(
        [
            MatchNoticeSide(
                notice=notice, encoding_id=pk, institution_id=owners[pk], charged=pk in recent
            )
            for notice in created
            for pk in (notice.encoding_low, notice.encoding_high)
        ],
        batch_size=1000,
    )
    probe_alerts_raise(book.close())
    shown = [n for n in (*created, *(n for n, _c in recharged)) if n.status == Status.PENDING]
    announced = {countries[pk] for n in shown for pk in (n.encoding_low, n.encoding_high)}
    return len(created), len(withdrawn), announced


def _notices_announce(countries: set[str]) -> None:
    """One notification per focal point and run, not per notice: a run can raise thousands."""
    url = reverse("linkage:notices")
    for country in sorted(countries):
        notify(
            recipients=recipients_with(Capability.REVIEW_MATCHES, country=country),
            kind=NOTICES_NEW,
            url=url,
        )


def _reviewable(
    scored: dict[tuple[int, int], scoring.ScoredPair], countries: dict[int, str]
) -> dict[tuple[int, int], scoring.ScoredPair]:
    """The pairs worth a notice: for each record, its best match in each other country.

    A recruiter recorded in twelve cases in one country and eight in another makes 96 pairs;
    each of those records needs one notice per country that holds them (at most 20 here),
    not one per pair. The groups (clusters) still join all of them.
    """
    best: dict[tuple[int, str], tuple[float, int, tuple[int, int]]] = {}
    for pair, scored_pair in scored.items():
        for mine, theirs in (pair, pair[::-1]):
            key = (mine, countries[theirs])
            rank = (scored_pair.match_probability, -theirs, pair)
            if key not in best or rank > best[key]:
                best[key] = rank
    kept = {rank[2] for rank in best.values()}
    return {pair: scored_pair for pair, scored_pair in scored.items() if pair in kept}


def _clusters_refresh() -> int:
    """Group open notices into clusters (one phone in VE, CO and PE is one group of three) and
    mark each notice with its group's smallest encoding id; returns the number of groups."""
    open_notices = list(
        MatchNotice.objects.filter(status__in=OPEN).values_list(
            "pk", "encoding_low", "encoding_high", "cluster_key"
        )
    )
    groups = scoring.clusters(
        scoring.ScoredPair(str(low), str(high), 1.0) for _pk, low, high, _key in open_notices
    )
    key_of = {int(member): min(int(m) for m in group) for group in groups for member in group}
    changed = [
        MatchNotice(pk=pk, cluster_key=key_of[low])
        for pk, low, _high, key in open_notices
        if key != key_of[low]
    ]
    MatchNotice.objects.bulk_update(changed, ["cluster_key"], batch_size=1000)
    return len(groups)
