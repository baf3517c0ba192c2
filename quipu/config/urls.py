from django.urls import include, path

from quipu.tenancy.admin import site as admin_site

urlpatterns = [
    path("", include("quipu.web.urls")),
    path("accounts/", include("quipu.accounts.urls")),
    path("cases/", include("quipu.cases.urls")),
    path("intake/", include("quipu.intake.urls")),
    path("linkage/", include("quipu.linkage.urls")),
    path("audit/", include("quipu.audit.urls")),
    path("indicators/", include("quipu.indicators.urls")),
    path("progress/", include("quipu.progress.urls")),
    path("notifications/", include("quipu.notifications.urls")),
    path("cooperation/", include("quipu.cooperation.dashboard.urls")),
    path("cooperation/receipts/", include("quipu.cooperation.receipts.urls")),
    path("cooperation/requests/", include("quipu.cooperation.requests.urls")),
    path("cooperation/jits/", include("quipu.cooperation.jits.urls")),
    path("cooperation/referrals/", include("quipu.cooperation.referrals.urls")),
    path("cooperation/helpline/", include("quipu.cooperation.helpline.urls")),
    path("api/", include("quipu.api.urls")),
    path("help/", include("quipu.help.urls")),
    path("admin/", admin_site.urls),
]

handler403 = "quipu.web.errors.forbidden"
handler404 = "quipu.web.errors.not_found"
handler500 = "quipu.web.errors.server_error"
