import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

# As in `quipu` (quipu/manage.py): files the web server creates under var/ are owner-only.
os.umask(0o077)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quipu.config.settings")
application = get_wsgi_application()

# Load the URLconf, and with it every view module, as the process starts rather than on its
# first request: each gunicorn worker's first request otherwise waited 2-5 s for the imports.
get_resolver().url_patterns  # noqa: B018 - evaluated for its imports
