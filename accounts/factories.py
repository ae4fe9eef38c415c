"""factory-boy factories for accounts (used by tests and by seed_demo)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from . import services
from .models import Programme, User
from .roles import Role


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.nhs.uk")
    password = factory.django.Password("demo")


class ProgrammeFactory(DjangoModelFactory):
    """Creates through the service, so the default stages are installed."""

    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    host_organisation = "Birmingham East and North PCT"
    start_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=200))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.programme_create(**kwargs)


def member(
    programme: Programme, role: Role | str, *, global_admin: bool | None = None, **user_fields
) -> User:
    """A user with ``role`` in ``programme``.

    The "administrator" of tests and demo data is a global administrator who is also an
    administrator member of ``programme``, so ``global_admin`` defaults to True for that
    role; pass ``global_admin=False`` for an administrator of ``programme`` alone.
    """
    user = UserFactory(**user_fields)
    services.membership_add(programme=programme, user=user, role=role)
    if global_admin is None:
        global_admin = Role(role) == Role.ADMINISTRATOR
    if global_admin:
        services.user_set_global_admin(user=user, is_global_admin=True)
    return user


def global_admin(**user_fields) -> User:
    """A global administrator with no programme membership."""
    user = UserFactory(**user_fields)
    return services.user_set_global_admin(user=user, is_global_admin=True)
