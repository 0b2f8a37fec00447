from django.urls import path

from xinghuo.resources.views import learning, public

app_name = "library"

urlpatterns = [
    path("library/", public.home_view, name="home"),
    path("library/r/<str:uid>/", public.resource_view, name="resource"),
    path("library/r/<str:uid>/media", public.media_view, name="media"),
    path("library/r/<str:uid>/cover.jpg", public.cover_view, name="cover"),
    path("library/courses/", learning.course_list_view, name="courses"),
    path("library/courses/<str:uid>/", learning.course_view, name="course"),
    path("library/courses/<str:uid>/cover.jpg", public.course_cover_view, name="course_cover"),
    path("library/courses/<str:uid>/<int:order>/", learning.lesson_view, name="lesson"),
    path("library/courses/<str:uid>/<int:order>/done/", learning.lesson_done_view, name="lesson_done"),
    path("library/courses/<str:uid>/<int:order>/position/", learning.lesson_position_view, name="lesson_position"),
    path("me/learning/", learning.my_learning_view, name="my_learning"),
]
