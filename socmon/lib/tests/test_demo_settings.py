"""`make run` behaves like the product: socmon's own error pages, static files compressed and cached.

Each check starts a fresh interpreter with the environment the Makefile's `run` target gives the server
(DEMO_ENV), because the settings are read once, at start-up.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def make_run_environment(tmp_path) -> dict:
    """The variables `make run` sets for the server, read from the Makefile itself."""
    demo_env = re.search(r"^DEMO_ENV := (.+)$", (ROOT / "Makefile").read_text(), re.M).group(1)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOCMON_", "DJANGO_"))}
    env.update(dict(pair.split("=", 1) for pair in demo_env.split()))
    env.update(DJANGO_SETTINGS_MODULE="socmon.settings", SOCMON_SQLITE_PATH=str(tmp_path / "demo.sqlite3"),
               SOCMON_STATIC_ROOT=str(tmp_path / "static"))
    return env


def run_in_demo(tmp_path, script: str) -> dict:
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=make_run_environment(tmp_path),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


# Collecting every static file takes the better part of a minute; the error pages need only the storage
# that reads the source folders. Everything else is the demo's own settings.
MISSING_PAGE = """
import json
import socmon.settings as s
s.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
import django
django.setup()
from django.conf import settings
from django.test import Client
response = Client(raise_request_exception=False).get("/no-such-page/", headers={"host": "127.0.0.1:8000"})
print(json.dumps({"debug": settings.DEBUG, "status": response.status_code, "body": response.content.decode()}))
"""

# The two files the rating page loads, collected as `collectstatic` does, then asked for by a browser.
STATIC_FILES = """
import json
import django
django.setup()
from django.contrib.staticfiles.storage import staticfiles_storage as storage
from django.contrib.staticfiles import finders
from django.core.files import File
from django.templatetags.static import static
from django.test import Client
names = ["rating.css", "src/favicon.svg"]
for name in names:
    with open(finders.find(name), "rb") as source:
        storage.save(name, File(source))
list(storage.post_process({name: (storage, name) for name in names}))
client = Client()
answers = {}
for name in names:
    url = static(name)
    response = client.get(url, headers={"host": "127.0.0.1:8000", "accept-encoding": "gzip"})
    answers[name] = {"url": url, "status": response.status_code, "encoding": response.get("Content-Encoding"),
                     "cache": response.get("Cache-Control"), "bytes": len(b"".join(response.streaming_content)),
                     "original": storage.size(name)}
print(json.dumps(answers))
"""


def test_the_demo_answers_a_missing_page_with_socmons_own_page_not_djangos_debug_page(tmp_path):
    answer = run_in_demo(tmp_path, MISSING_PAGE)
    assert answer["debug"] is False
    assert answer["status"] == 404
    assert "Page not found" in answer["body"] and "Go to your home page" in answer["body"]
    assert "URLconf" not in answer["body"] and "DEBUG = True" not in answer["body"]


def test_the_demo_serves_static_files_compressed_and_cached_under_hashed_names(tmp_path):
    answers = run_in_demo(tmp_path, STATIC_FILES)
    assert set(answers) == {"rating.css", "src/favicon.svg"}
    for answer in answers.values():
        assert re.search(r"\.[0-9a-f]{12}\.", answer["url"]), answer  # the name changes when the content does
        assert answer["status"] == 200, answer
        assert answer["encoding"] == "gzip", answer
        assert answer["bytes"] < answer["original"], answer
        assert "immutable" in answer["cache"] and "max-age=315360000" in answer["cache"], answer
