"""Reference data is edited here; the directory and records are kept through the app's
pages (its services record events), so the admin shows them read-only."""

from django.contrib import admin

from seir.admin import ReadOnlyAdmin

from .models import (
    Commissioner,
    Contact,
    Contract,
    Introduction,
    OrganisationType,
    OutcomeDomain,
    Priority,
    ServiceArea,
    SupportProvider,
    SupportReferral,
    SupportType,
)


@admin.register(OrganisationType, ServiceArea, SupportType)
class ReferenceDataAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(OutcomeDomain)
class OutcomeDomainAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "is_active"]


@admin.register(SupportProvider)
class SupportProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "support_type", "email", "is_active"]
    list_filter = ["support_type", "is_active"]
    search_fields = ["name"]


class ContactInline(admin.TabularInline):
    """Contacts are added on the commissioner's page (``contact_add`` records it)."""

    model = Contact
    extra = 0
    fields = ["name", "role", "email", "phone", "user", "is_active"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Commissioner)
class CommissionerAdmin(admin.ModelAdmin):
    """Administrators may correct an organisation (and its contacts' accounts, members).
    New organisations are added on the commissioners page (``commissioner_create``
    records it)."""

    list_display = ["name", "organisation_type", "is_active"]
    list_filter = ["organisation_type", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["service_areas", "members"]
    inlines = [ContactInline]

    def has_add_permission(self, request):
        return False


@admin.register(Priority)
class PriorityAdmin(ReadOnlyAdmin):
    list_display = ["title", "commissioner", "domain", "service_area", "is_active"]
    list_filter = ["domain", "is_active"]


@admin.register(Introduction)
class IntroductionAdmin(ReadOnlyAdmin):
    list_display = ["venture", "commissioner", "contact", "step", "made_by", "made_on"]
    list_filter = ["step", "commissioner"]


@admin.register(SupportReferral)
class SupportReferralAdmin(ReadOnlyAdmin):
    list_display = ["venture", "provider", "step", "made_by", "made_on"]


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ["service", "venture", "commissioner", "value", "status"]
    list_filter = ["status"]
