from xinghuo.indicators import urls_reports

app_name = "indicators_console"

urlpatterns = [*urls_reports.urlpatterns]
