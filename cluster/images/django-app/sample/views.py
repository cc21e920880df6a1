"""Two endpoints: `/` says who is serving and which environment it runs in; `/healthz` for probes."""
import os
import socket

import django
from django.http import JsonResponse


def index(request):
    return JsonResponse(
        {
            "app": "klab-django-sample",
            "env": os.environ.get("APP_ENV", "unset"),
            "pod": socket.gethostname(),
            "django": django.get_version(),
        }
    )


def healthz(request):
    return JsonResponse({"ok": True})
