app_name = "tours_console"

urlpatterns: list = []
