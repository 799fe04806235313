"""The WSGI application gunicorn serves (`gunicorn reti.wsgi --preload`): Django's handler,
then the warm-up (reti/warmup.py), so no visitor's request pays for the process's start."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reti.settings")
application = get_wsgi_application()

from reti.warmup import warm  # noqa: E402 - after Django is set up

warm()
