from safepath.cases import urls_caseload, urls_reviews

app_name = "cases"
urlpatterns = [*urls_caseload.urlpatterns, *urls_reviews.urlpatterns]
