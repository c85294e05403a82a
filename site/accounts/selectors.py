"""Reads that depend on who is asking. Views go through these so scope holds on the server."""

from django.db.models import QuerySet

from .models import Unit, User
from .roles import is_legal_staff, is_unit_leader


def units_visible_to(user) -> QuerySet[Unit]:
    """Units whose records ``user`` may see: all for legal staff and administrators, the own
    unit and its sub-units for a unit leader, none for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if is_legal_staff(user):
        return Unit.objects.all()
    if is_unit_leader(user) and user.unit_id:
        return user.unit.subtree()
    return Unit.objects.none()


def officers_visible_to(user) -> QuerySet[User]:
    """Officers whose records ``user`` may see; an officer sees only themself."""
    if not getattr(user, "is_authenticated", False):
        return User.objects.none()
    if is_legal_staff(user):
        return User.objects.officers()
    if is_unit_leader(user) and user.unit_id:
        return User.objects.officers().filter(unit__path__startswith=user.unit.path)
    return User.objects.filter(pk=user.pk)


def can_view_officer(viewer, officer) -> bool:
    return officers_visible_to(viewer).filter(pk=officer.pk).exists()
