app_name = "communities"
urlpatterns = []
