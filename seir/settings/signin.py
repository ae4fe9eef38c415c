"""Settings for signing in (part of base.py, which reads them in): where sign-in sends
people, the lockout after failed attempts, the second factor, how long an unused session
lasts, and how often a password reset may be asked for."""

from datetime import timedelta

import environ

env = environ.Env()  # base.py has read .env into the environment already

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failed sign-ins (django-axes). An administrator lifts it in
# the admin (Axes > Access attempts) or with `manage.py axes_reset_username NAME`.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Failures count per username *and* client address, so failures from one client never
# lock the same user out at another address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client address: the socket's, or behind TRUSTED_PROXY_COUNT proxies (each appending
# to X-Forwarded-For) the address the outermost trusted proxy saw. 0 by default, so the
# header is ignored and cannot be spoofed; set it to the number of proxies in front.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# Two-factor sign-in (security/): required for global administrators, SEiRs and programme
# administrators, and for everyone in a programme that requires it; optional for others.
# This many wrong codes lock the account's codes for the cool-off (security.lockout);
# django-otp's own growing delays are off so the lockout is the one rule.
TWO_FACTOR_FAILURE_LIMIT = env.int("TWO_FACTOR_FAILURE_LIMIT", default=5)
TWO_FACTOR_COOLOFF_MINUTES = env.int("TWO_FACTOR_COOLOFF_MINUTES", default=15)
TWO_FACTOR_BACKUP_CODES = 10
# A session that needed no second factor is asked again after this long (a programme
# may have started requiring it).
TWO_FACTOR_RECHECK_SECONDS = 300
OTP_TOTP_ISSUER = "SEiR Pipeline"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions end after this long unused (accounts.sessions): 8 hours for those who run
# programmes (global administrators, SEiRs, programme administrators), 7 days for
# everyone else (within the session cookie's own 14 days, so they are told why).
SESSION_IDLE_TIMEOUT_STAFF_HOURS = env.int("SESSION_IDLE_TIMEOUT_STAFF_HOURS", default=8)
SESSION_IDLE_TIMEOUT_OTHER_HOURS = env.int("SESSION_IDLE_TIMEOUT_OTHER_HOURS", default=7 * 24)

# Password reset emails: at most this many per email address, and requests per client
# address, in an hour (more get the same neutral page and send nothing).
PASSWORD_RESET_LIMIT_PER_ACCOUNT = env.int("PASSWORD_RESET_LIMIT_PER_ACCOUNT", default=3)
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=10)
