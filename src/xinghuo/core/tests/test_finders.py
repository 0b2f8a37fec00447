"""Single files of npm packages served as static files (core.finders.NodeFileFinder): ECharts' one bundle."""

from django.contrib.staticfiles import finders
from django.core.management import call_command


def test_the_one_bundle_is_found_and_nothing_else_of_its_package():
    found = finders.find("vendor/echarts/echarts.min.js")

    assert found.endswith("node_modules/echarts/dist/echarts.min.js")
    assert finders.find("vendor/echarts/echarts.js") is None
    assert finders.find("vendor/echarts/echarts.js", find_all=True) == []
    assert finders.find("core/missing.png") is None


def test_collectstatic_copies_the_one_bundle(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

    call_command("collectstatic", "--noinput", "-v", "0")

    assert (tmp_path / "vendor" / "echarts" / "echarts.min.js").is_file()
    assert not (tmp_path / "vendor" / "echarts" / "echarts.js").exists()
