
app_name = "experts_console"
urlpatterns: list = []
