from safepath.referrals import urls_import, urls_intake, urls_triage

app_name = "referrals"
urlpatterns = [*urls_intake.urlpatterns, *urls_triage.urlpatterns, *urls_import.urlpatterns]
