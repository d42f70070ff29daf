from allauth.account import views as account_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from casework.views import (
    access,
    activity,
    calendar,
    cases,
    dashboard,
    home,
    incidents,
    notifications,
    records,
    sittings,
)

# The administration signs in through the same pages: password, then the second factor.
admin.site.login = secure_admin_login(admin.site.login)

casework_patterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path(
        "dashboard/export/<slug:table>.<slug:fmt>",
        dashboard.dashboard_export,
        name="dashboard_export",
    ),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/queue/", cases.case_queue, name="case_queue"),
    path("clients/<int:client_pk>/cases/new/", cases.case_create, name="case_create"),
    path("clients/<int:client_pk>/activity/", activity.client_activity, name="client_activity"),
    path("clients/<int:client_pk>/access/", access.client_access, name="client_access"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("cases/<int:pk>/close/", cases.case_close, name="case_close"),
    path("cases/<int:pk>/reopen/", cases.case_reopen, name="case_reopen"),
    path("cases/<int:pk>/assign/", cases.case_assign, name="case_assign"),
    path("cases/<int:pk>/transfer/", cases.case_transfer, name="case_transfer"),
    path("cases/<int:case_pk>/fines/new/", records.fine_create, name="fine_create"),
    path("fines/<int:pk>/edit/", records.fine_edit, name="fine_edit"),
    path("cases/<int:case_pk>/hearings/new/", records.hearing_create, name="hearing_create"),
    path("hearings/<int:pk>/edit/", records.hearing_edit, name="hearing_edit"),
    path("cases/<int:case_pk>/deadlines/new/", records.deadline_create, name="deadline_create"),
    path("deadlines/<int:pk>/edit/", records.deadline_edit, name="deadline_edit"),
    path("deadlines/<int:pk>/done/", records.deadline_done, name="deadline_done"),
    path("cases/<int:case_pk>/log/new/", records.note_create, name="note_create"),
    path("log/<int:pk>/edit/", records.note_edit, name="note_edit"),
    path("incidents/", incidents.incident_list, name="incident_list"),
    path("incidents/new/", incidents.incident_create, name="incident_create"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/edit/", incidents.incident_edit, name="incident_edit"),
    path("incidents/<int:pk>/link/", incidents.incident_link, name="incident_link"),
    path("incidents/<int:pk>/intake/", incidents.incident_intake, name="incident_intake"),
    path(
        "incidents/<int:pk>/open-cases/", incidents.incident_open_cases, name="incident_open_cases"
    ),
    path("incidents/<int:pk>/sitting/", sittings.incident_sitting, name="incident_sitting"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
    path("notifications/read/", notifications.notification_read_all, name="notification_read_all"),
    path("calendar/", calendar.calendar_settings, name="calendar_settings"),
    path("calendar/revoke/", calendar.calendar_revoke, name="calendar_revoke"),
    path("calendar/sensitive/", calendar.calendar_sensitive, name="calendar_sensitive"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("calendar/team/revoke/", calendar.calendar_team_revoke, name="calendar_team_revoke"),
    path("calendar/team/<str:token>.ics", calendar.calendar_team_feed, name="calendar_team_feed"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", home.healthz, name="healthz"),
    # django-allauth signs in (password, then the second factor), resets passwords and
    # manages second factors under accounts/; these two keep their short addresses.
    path("login/", account_views.login, name="login"),
    path("logout/", account_views.logout, name="logout"),
    path("accounts/", include("allauth.urls")),
    # The language switch must work on the login page too, before anyone signs in.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("clients/", include("clients.urls")),
    path("", include((casework_patterns, "casework"))),
    path("", include("documents.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "casework.views.errors.bad_request"

admin.site.site_header = "Casework"
admin.site.site_title = "Casework"
