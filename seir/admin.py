"""What every app's admin shares.

``ReadOnlyAdmin`` is for records that only the app's services write: the services check
who may act and record an event for each change, which a save in the admin would skip.
The admin shows them (a global administrator reads every field) and never adds, changes
or deletes one; the model admin's docstring says on which page each change is made.

``UniqueClashShown``, in every model admin (the admin site mixes it in), shows a save
that met another's at a unique key as the form again with its error, not a 500.
"""

from django.contrib import admin
from django.db import IntegrityError, models

from seir.errors import unique_violation


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


class UniqueClashShown:
    """A save that breaks a unique key comes back as the form again, with the form's own
    error beside what the person typed, instead of a 500.

    Two administrators giving two rows the same name or code at the same moment both
    pass the form's unique check (neither row is committed yet); the second's write then
    meets the first's committed row at the unique key. The admin's change view is one
    transaction (a savepoint inside another), so that write and everything before it is
    rolled back; the view then runs again on the same POST, and the form's unique check,
    which now sees the other row, shows its own words ("Commissioner with this Name
    already exists."). No constraint is mapped to a field by hand, and nothing of the
    person's is lost or half saved. A clash the form cannot see (a key over a field it
    does not have) still raises on the second run.

    ``accounts.admin_site.SeirAdminSite.register`` mixes it into every model admin."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError as error:
            if request.method != "POST" or not unique_violation(error):
                raise
        for upload in request.FILES.values():
            upload.seek(0)  # read once by the first run's form
        return super().changeform_view(request, object_id, form_url, extra_context)
