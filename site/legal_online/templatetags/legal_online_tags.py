from django import template

from legal_online.notifications import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def legal_online_unread(context):
    """Unread Legal Online notifications of the viewer (cached per request)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not getattr(user, "is_authenticated", False):
        return 0
    if not hasattr(request, "_legal_online_unread"):
        request._legal_online_unread = unread_count(user)
    return request._legal_online_unread


@register.simple_tag
def overdue(consultation, now):
    return consultation.is_overdue(now)
