"""The Django admin, scoped by the permission layer: the secretariat runs the region, a focal
point the users of their own country. Every change and every opened user record is audited."""

from functools import update_wrapper

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.tenancy.models import Country, Institution, Membership, MembershipRole, User
from quipu.tenancy.permissions import can, denial_record, principal_for, scoped
from quipu.tenancy.roles import Capability, Role
from quipu.tenancy.selectors import institutions_manageable_by


class QuipuAdminSite(admin.AdminSite):
    site_header = _("Quipu administration")
    site_title = _("Quipu administration")
    index_title = _("Countries, institutions and users")

    def has_permission(self, request):
        return request.user.is_active and can(request.user, Capability.USE_ADMIN)

    def login(self, request, extra_context=None):
        return redirect(f"{reverse('accounts:login')}?next={reverse('admin:index')}")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            # A signed-in user without admin rights gets a 403, not a loop through the login.
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)


site = QuipuAdminSite(name="admin")


class ScopedAdmin(admin.ModelAdmin):
    """Rows come from the permission layer; rights come from one capability."""

    capability: Capability = Capability.MANAGE_REGION

    def get_queryset(self, request):
        return scoped(request.user, super().get_queryset(request), self.capability)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            hidden = self.model._default_manager.filter(pk=_safe_pk(self.model, object_id)).first()
            if hidden is not None:
                denial_record(request.user, capability=self.capability, obj=hidden, request=request)
            raise Http404
        return obj

    def _allowed(self, request, obj=None) -> bool:
        if not can(request.user, self.capability):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_module_permission(self, request):
        return can(request.user, self.capability)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request):
        return can(request.user, self.capability)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def log_addition(self, request, obj, message):
        audit_record(actor=request.user, action=Action.CREATE, obj=obj, request=request)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        audit_record(actor=request.user, action=Action.UPDATE, obj=obj, request=request)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            audit_record(actor=request.user, action=Action.DELETE, obj=obj, request=request)
        return super().log_deletions(request, queryset)


def _safe_pk(model, object_id):
    try:
        return model._meta.pk.to_python(object_id)
    except Exception:  # a malformed id matches nothing
        return None


@admin.register(Country, site=site)
class CountryAdmin(ScopedAdmin):
    list_display = ["code", "alpha3", "name_es", "name_pt", "name_en", "is_member"]
    list_filter = ["is_member"]
    search_fields = ["code", "alpha3", "name_es", "name_pt", "name_en"]
    list_editable = ["is_member"]

    def get_queryset(self, request):
        # Countries are a region-wide vocabulary; only MANAGE_REGION reaches this admin at all.
        queryset = Country.objects.all()
        return queryset if can(request.user, self.capability) else queryset.none()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Institution, site=site)
class InstitutionAdmin(ScopedAdmin):
    list_display = ["code", "name", "kind", "country", "located_in", "is_active"]
    list_filter = ["kind", "country", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["country", "located_in"]


class MembershipForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Membership
        fields = ["institution", "roles"]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = [r.role for r in self.instance.role_rows.all()]
        if actor is not None:
            self.fields["institution"].queryset = institutions_manageable_by(user=actor)
            if not principal_for(actor).has_role(Role.SECRETARIAT):
                # Only the secretariat names secretariat members.
                self.fields["roles"].choices = [
                    c for c in Role.choices if c[0] != Role.SECRETARIAT.value
                ]
                # A consulate abroad is sealed from its country (permissions.CONSULAR_SEALED),
                # so it is not among the choices; say why when one is posted anyway.
                self.fields["institution"].error_messages["invalid_choice"] = _(
                    "Choose an institution of your country. Users of a consulate abroad are "
                    "assigned by the technical secretariat only."
                )

    def save(self, commit=True):
        membership = super().save(commit=commit)
        if commit:
            self.save_roles(membership)
        return membership

    def save_roles(self, membership):
        wanted = set(self.cleaned_data["roles"])
        membership.role_rows.exclude(role__in=wanted).delete()
        existing = set(membership.role_rows.values_list("role", flat=True))
        MembershipRole.objects.bulk_create(
            MembershipRole(membership=membership, role=role) for role in wanted - existing
        )


class MembershipInline(admin.StackedInline):
    model = Membership
    form = MembershipForm
    can_delete = False
    min_num = 1
    max_num = 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        form_class = formset.form

        class ActorForm(form_class):
            def __init__(self, *args, **inner):
                super().__init__(*args, actor=request.user, **inner)

        formset.form = ActorForm
        return formset

    def has_add_permission(self, request, obj=None):
        return can(request.user, Capability.MANAGE_USERS)

    def has_change_permission(self, request, obj=None):
        return can(request.user, Capability.MANAGE_USERS)

    def has_view_permission(self, request, obj=None):
        return can(request.user, Capability.MANAGE_USERS)


@admin.register(User, site=site)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    capability = Capability.MANAGE_USERS
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "institution", "is_active", "last_login"]
    list_filter = ["is_active", "membership__institution__kind", "membership__institution__country"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Status"), {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    @admin.display(description=_("institution"), ordering="membership__institution__name")
    def institution(self, user):
        membership = getattr(user, "membership", None)
        return membership.institution if membership else "—"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            user = self.get_queryset(request).filter(pk=object_id).first()
            if user is not None:
                audit_record(actor=request.user, action=Action.READ, obj=user, request=request)
        return response
