import os

from django.core.wsgi import get_wsgi_application

from kzlearn import heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzlearn.settings")
application = get_wsgi_application()
heap.freeze()  # the loaded app out of full collections' reach (kzlearn/heap.py)
