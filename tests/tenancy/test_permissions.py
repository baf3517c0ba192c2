"""Rule 1: the permission layer scopes every query by country, institution and role."""

import pytest
from django.http import Http404

from quipu.audit.models import Action, AuditEntry
from quipu.errors import NotAllowed
from quipu.tenancy.models import Institution, User
from quipu.tenancy.permissions import get_visible_or_404, principal_for, require, scoped
from quipu.tenancy.roles import PERSONAL_DATA_ROLES, Capability, Role
from quipu.tenancy.selectors import institutions_visible_to, users_manageable_by

pytestmark = pytest.mark.django_db


def test_rule1_focal_point_manages_only_own_country_users(region):
    visible = users_manageable_by(user=region.user("focal.co"))
    countries = set(visible.values_list("membership__institution__country", flat=True))
    assert countries == {"CO"}
    assert visible.filter(username="caseworker.co").exists()
    assert not visible.filter(username="caseworker.ve").exists()


def test_rule1_secretariat_manages_users_across_the_region(region):
    visible = users_manageable_by(user=region.user("secretariat"))
    assert visible.count() == User.objects.count()


def test_rule1_roles_without_user_management_see_no_users(region):
    for username in ("caseworker.co", "prosecutor.co", "consul.co", "analyst.co"):
        assert not users_manageable_by(user=region.user(username)).exists()


def test_rule1_caseworker_scope_is_their_institution(region):
    caseworker = region.user("caseworker.co")
    queryset = scoped(caseworker, Institution.objects.all(), Capability.WRITE_CASES)
    assert list(queryset.values_list("code", flat=True)) == ["CO-POLICE"]


def test_rule1_secretariat_never_reads_personal_data(region):
    secretariat = principal_for(region.user("secretariat"))
    assert not secretariat.can(Capability.READ_PERSONAL)
    assert not secretariat.can(Capability.READ_CASES)
    assert Role.SECRETARIAT not in PERSONAL_DATA_ROLES


def test_rule1_analyst_reads_deidentified_data_only(region):
    analyst = principal_for(region.user("analyst.br"))
    assert analyst.can(Capability.READ_DEIDENTIFIED)
    assert not analyst.can(Capability.READ_PERSONAL)


def test_rule1_anonymous_and_disabled_users_get_nothing(region):
    from django.contrib.auth.models import AnonymousUser

    assert not scoped(
        AnonymousUser(), Institution.objects.all(), Capability.READ_DIRECTORY
    ).exists()
    user = region.user("focal.pe")
    user.is_active = False
    user.save()
    assert not users_manageable_by(user=User.objects.get(pk=user.pk)).exists()


def test_rule1_directory_of_institutions_is_regional(region):
    assert (
        institutions_visible_to(user=region.user("analyst.uy")).count()
        == Institution.objects.count()
    )


def test_rule1_object_of_another_country_is_a_404_and_audited(region):
    focal = region.user("focal.co")
    other = region.user("analyst.ve")
    with pytest.raises(Http404):
        get_visible_or_404(focal, User.objects.all(), Capability.MANAGE_USERS, pk=other.pk)
    entry = AuditEntry.objects.get(action=Action.DENIED)
    assert (entry.actor_username, entry.object_id, entry.subject_country) == (
        "focal.co",
        str(other.pk),
        "VE",
    )


def test_rule1_missing_capability_raises_not_allowed_and_is_audited(region):
    with pytest.raises(NotAllowed):
        require(region.user("analyst.co"), Capability.MANAGE_USERS)
    entry = AuditEntry.objects.get(action=Action.DENIED)
    assert entry.detail["capability"] == "manage_users"


def test_every_role_has_a_demo_user_in_every_member_state(region):
    from quipu.tenancy.countries import REGIONAL_PLATFORM

    for country in REGIONAL_PLATFORM:
        roles = set()
        for user in User.objects.filter(membership__institution__country=country):
            roles |= principal_for(user).roles
        assert roles == {r.value for r in Role} - {Role.SECRETARIAT.value}, country
