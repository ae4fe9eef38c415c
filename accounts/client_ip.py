"""The client's address, as the sign-in lockout and the password-reset throttle see it.

With no trusted proxy (``TRUSTED_PROXY_COUNT = 0``, the default) it is the socket's
address and any X-Forwarded-For header is ignored, so a client cannot choose the
address it is counted under. Behind N trusted proxies, each appending the address it
received from, the client is the N-th entry from the right of X-Forwarded-For: the
entries further left were written by the client and are not trusted.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if len(hops) < count:
        # Not through every trusted proxy (e.g. straight to the app server).
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
