"""Two endpoints: `/` says who is serving, which environment it runs in and the settings the Helm chart decides
(never a secret itself: only whether TOKEN is set and a short fingerprint of it); `/healthz` for probes."""
import hashlib
import os
import socket

import django
from django.conf import settings
from django.http import JsonResponse


def index(request):
    token = settings.TOKEN
    return JsonResponse(
        {
            "app": "klab-django-sample",
            "env": os.environ.get("APP_ENV", "unset"),
            "pod": socket.gethostname(),
            "django": django.get_version(),
            "settings": {
                "sentry": "on" if settings.SENTRY_DSN else "off",
                "crossOrigins": settings.CROSS_ORIGINS,
                "token": hashlib.sha256(token.encode()).hexdigest()[:12] if token else "unset",
            },
        }
    )


def healthz(request):
    return JsonResponse({"ok": True})
