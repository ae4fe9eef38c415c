"""What every app's admin shares.

``ReadOnlyAdmin`` is for records that only the app's services write: the services check
who may act and record an event for each change, which a save in the admin would skip.
The admin shows them (a global administrator reads every field) and never adds, changes
or deletes one; the model admin's docstring says on which page each change is made.
"""

from django.contrib import admin
from django.db import models


class ReadOnlyAdmin(admin.ModelAdmin):
    # The admin builds a form to list a view-only record's fields; links typed without a
    # scheme are read as https (Django 6's default), as the app's own forms do.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
