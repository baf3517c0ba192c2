from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from quipu.api import views
from quipu.cases import api as cases_api
from quipu.intake import api as intake_api

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("v1/me/", views.MeView.as_view(), name="me"),
    path("v1/member-states/", views.MemberStateList.as_view(), name="member-states"),
    path("v1/institutions/", views.InstitutionList.as_view(), name="institutions"),
    path("v1/users/", views.UserList.as_view(), name="users"),
    path("v1/audit/", views.AuditEntryList.as_view(), name="audit"),
    path("v1/cases/", cases_api.CaseList.as_view(), name="cases"),
    path("v1/cases/search/", cases_api.CaseSearch.as_view(), name="case-search"),
    path("v1/cases/<int:pk>/", cases_api.CaseDetail.as_view(), name="case"),
    path("v1/persons/", cases_api.PersonList.as_view(), name="persons"),
    path("v1/persons/<int:pk>/", cases_api.PersonDetail.as_view(), name="person"),
    path("v1/route-events/", cases_api.RouteEventList.as_view(), name="route-events"),
    path("v1/route-events/<int:pk>/", cases_api.RouteEventDetail.as_view(), name="route-event"),
    path("v1/identifiers/", cases_api.IdentifierList.as_view(), name="identifiers"),
    path("v1/identifiers/<int:pk>/", cases_api.IdentifierDetail.as_view(), name="identifier"),
    path("v1/imports/", intake_api.ImportCreate.as_view(), name="imports"),
    path("v1/imports/<uuid:pk>/", intake_api.ImportDetail.as_view(), name="import"),
    # Each cooperation app mounts its own routes; names stay in the api namespace.
    path("v1/", include("quipu.notifications.api_urls")),
    path("v1/", include("quipu.cooperation.receipts.api_urls")),
    path("v1/", include("quipu.cooperation.requests.api_urls")),
    path("v1/", include("quipu.cooperation.jits.api_urls")),
    path("v1/", include("quipu.cooperation.referrals.api_urls")),
    path("v1/", include("quipu.cooperation.helpline.api_urls")),
    path("v1/", include("quipu.cooperation.dashboard.api_urls")),
    path("v1/", include("quipu.indicators.api_urls")),
    path("v1/", include("quipu.progress.api_urls")),
    # Last: an address no route above takes. Only addresses ending in a slash, so that Django
    # still redirects /api/v1/me to /api/v1/me/ (APPEND_SLASH).
    re_path(r"^[\s\S]*/$", views.UnknownAddress.as_view()),
]
