"""On-site notifications (站内通知), plus email when ``settings.NOTIFY_BY_EMAIL`` is on."""

import logging

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import conf
from .models import Notification

logger = logging.getLogger(__name__)


def notify(recipients, *, kind, text, consultation=None, url="", now=None) -> list[Notification]:
    """Create one notification per distinct active recipient; email them after commit."""
    now = now or timezone.now()
    seen = set()
    created = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        created.append(
            Notification.objects.create(
                recipient=user,
                consultation=consultation,
                kind=kind,
                text=text[:300],
                url=url,
                created_at=now,
            )
        )
    if conf.notify_by_email():
        emails = [(n.recipient.email, n.text, n.url) for n in created if n.recipient.email]
        if emails:
            transaction.on_commit(lambda: _send(emails))
    return created


def _send(emails):
    from django.conf import settings

    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    for address, text, url in emails:
        body = f"{text}\n\n{base}{url}\n" if url else f"{text}\n"
        try:
            send_mail(_("【法律在线】%(text)s") % {"text": text[:60]}, body, None, [address])
        except Exception:  # noqa: BLE001 - a mail outage must not break the workflow
            logger.exception("Legal Online: could not email %s", address)


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, *, ids=None, now=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=now or timezone.now())


def escalation_recipients():
    """The head(s) of the legal department: holders of ``receive_escalations``, else superusers."""
    User = get_user_model()
    perm = Q(
        user_permissions__codename="receive_escalations",
        user_permissions__content_type__app_label="legal_online",
    )
    group_perm = Q(
        groups__permissions__codename="receive_escalations",
        groups__permissions__content_type__app_label="legal_online",
    )
    heads = User.objects.filter(is_active=True).filter(perm | group_perm).distinct()
    if heads.exists():
        return list(heads)
    return list(User.objects.filter(is_active=True, is_superuser=True))
