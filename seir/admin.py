"""What every app's admin shares.

``ReadOnlyAdmin`` is for records that only the app's services write: the services check
who may act and record an event for each change, which a save in the admin would skip.
The admin shows them (a global administrator reads every field) and never adds, changes
or deletes one; the model admin's docstring says on which page each change is made.
"""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
