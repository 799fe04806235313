"""The WSGI application gunicorn serves (`gunicorn reti.wsgi --preload`): Django's handler,
then the warm-up (reti/warmup.py), so no visitor's request pays for the process's start.

Then `gc.freeze()`: the ~230,000 objects of a started process (modules, URL maps, compiled
templates, API schemas) move to the collector's permanent generation. Without it every
full collection walks them all, and one request in ten or twenty paid for it (an outside
review saw a fixed API URL answer in 120-200 ms instead of 25); frozen, they are never
walked again, and forked workers keep sharing their memory pages.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reti.settings")
application = get_wsgi_application()

from reti.warmup import warm  # noqa: E402 - after Django is set up

warm()
gc.freeze()
