import os

from django.core.wsgi import get_wsgi_application

# As in `quipu` (quipu/manage.py): files the web server creates under var/ are owner-only.
os.umask(0o077)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quipu.config.settings")
application = get_wsgi_application()
