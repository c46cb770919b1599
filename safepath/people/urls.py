"""Person pages and risk assessments."""

app_name = "people"
urlpatterns: list = []
