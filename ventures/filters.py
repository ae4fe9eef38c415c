import functools

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from accounts.models import ProgrammeMembership, User
from accounts.permissions import user_is_global_admin, user_programme_roles
from accounts.roles import Role
from accounts.selectors import programmes_visible_to, users_with_role
from seir import refcache
from seir.dates import more_than_days_ago
from seir.filtersets import FilterSet
from seir.forms import inactive_label

from .models import LegalForm, Origin, Stage, Venture, VentureStatus
from .permissions import visible_programme_ids
from .reference import in_stage_q, stage_ids_of
from .search import search_q

# The sorts (``VentureFilter.sort``'s values) in which an index that begins with the
# stage holds one stage's ventures: by name (the stage sort's, within a stage) and by
# the day they entered it.
IN_STAGE_ORDER = {"name", "stage", "entered"}


class VentureFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    programme = django_filters.ModelChoiceFilter(queryset=None, empty_label="All programmes")
    stage = django_filters.ChoiceFilter(method="in_stage", label="Stage", empty_label="Any stage")
    status = django_filters.ChoiceFilter(choices=VentureStatus.choices, empty_label="Any status")
    origin = django_filters.ChoiceFilter(choices=Origin.choices, empty_label="Any origin")
    seir = django_filters.ModelChoiceFilter(queryset=None, label="SEiR", empty_label="Any SEiR")
    legal_form = django_filters.ModelChoiceFilter(
        queryset=LegalForm.objects.all(), empty_label="Any legal form"
    )
    stale_days = django_filters.NumberFilter(
        method="stale",
        label="In stage for more than (days)",
        min_value=0,
        max_value=3650,
        decimal_places=0,
        widget=forms.NumberInput(attrs={"min": 0, "max": 3650}),
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("stage__order", "stage"),
            ("stage_entered_at", "entered"),
            ("updated_at", "updated"),
            ("last_activity_at", "activity"),
        ),
        field_labels={
            "name": "Name",
            "stage__order": "Stage",
            "stage_entered_at": "Date entered stage",
            "updated_at": "Last updated",
            "last_activity_at": "Last activity",
        },
        label="Sort by",
        # No empty choice: it would be a second "Name" (the default order is by name).
        empty_label=None,
    )

    class Meta:
        model = Venture
        fields = ["q", "programme", "stage", "status", "origin", "seir", "legal_form", "stale_days"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        programmes = programmes_visible_to(user=user)
        # What a submitted value is checked against: always the database. The SEiRs'
        # query (two subqueries) is only built when a SEiR is asked for: building it cost
        # about a tenth of every list page, which draws its choices from the cache below.
        self.filters["programme"].queryset = programmes
        asked = self.data.get("seir") not in (None, "")
        self.filters["seir"].queryset = (
            seirs_to_filter_by(programmes) if asked else User.objects.none()
        )
        # What the form offers: reference data, cached until it changes (seir.refcache),
        # read only when the form is drawn or a stage is asked for (not by the export).
        self.offered_choices = functools.cache(lambda: _offered_choices(user, programmes))
        # Stages are filtered by their stable code, shared by every programme's copy.
        self.filters["stage"].extra["choices"] = lambda: self.offered_choices()["stage"]

    @property
    def form(self):
        form = super().form
        form.offered_choices = self.offered_choices  # plain_form draws the selects from it
        return form

    def search(self, queryset, name, value):
        """Every word in the name, summary, need, beneficiaries or area, ignoring case
        and accents (see ventures.search)."""
        q = search_q(value)
        return queryset if q is None else queryset.filter(q)

    def in_stage(self, queryset, name, value):
        return queryset.filter(in_stage_q(value, self.programme_ids)) if value else queryset

    @property
    def may_cluster(self) -> bool:
        """Whether the rows kept may cluster along the sort, and an index of the filters'
        own finds them: a search's (words of names cluster in the alphabet) or a
        stage's (``ventures.selectors.page_ids``, ``spread``). Not one stage's, sorted by
        what follows the stage in an index of the ventures ((stage, name, id), (stage,
        entered, id)): that index walks them in order, dropping none."""
        if not self.is_bound or not self.form.is_valid():
            return False
        data = self.form.cleaned_data
        if search_q(data.get("q") or "") is not None:
            return True
        if not data.get("stage"):
            return False
        ids, complete = stage_ids_of(data["stage"], self.programme_ids)
        sort = (data.get("sort") or ["name"])[0].lstrip("-")
        return not (complete and len(ids) == 1 and sort in IN_STAGE_ORDER)

    @property
    def programme_ids(self) -> list[int] | None:
        """The programmes the rows kept can be in (the one chosen, or those the person
        reads when that is all they read), or None when any programme's may be: the
        stage sort then walks only those programmes' stages (``page_ids``)."""
        visible = visible_programme_ids(self.user)
        chosen = None
        if self.is_bound and self.form.is_valid():
            chosen = self.form.cleaned_data.get("programme")
        if chosen is None:
            return visible
        return [chosen.pk] if visible is None or chosen.pk in visible else []

    def stale(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(stage_entered_at__lt=more_than_days_ago(int(value)))

    @property
    def qs(self):
        queryset = super().qs
        # Always end on a unique key so pages and the CSV never repeat or skip a row.
        return queryset.order_by(*queryset.query.order_by, "name", "pk")


def seirs_to_filter_by(programmes):
    """The programmes' SEiRs, and anyone still SEiR of one of their ventures who has left
    or lost the role since: their old ventures can still be found."""
    return User.objects.filter(
        Q(pk__in=users_with_role(programmes=programmes, role=Role.SEIR).values("pk"))
        | Q(pk__in=Venture.objects.filter(programme__in=programmes).values("seir_id"))
    )


def seirs_with_labels(programmes) -> list[tuple[User, str]]:
    """``seirs_to_filter_by`` with what a filter shows for each: the name, marked
    "(inactive)" or "(former SEiR)" for someone no longer a SEiR of the programmes."""
    now_seir = ProgrammeMembership.objects.filter(
        user=OuterRef("pk"), programme__in=programmes, role=Role.SEIR
    )
    labelled = []
    for user in seirs_to_filter_by(programmes).annotate(now_seir=Exists(now_seir)):
        label = str(user)
        if not user.is_active:
            label = inactive_label(user, label)
        elif not user.now_seir:
            label = f"{label} (former SEiR)"
        labelled.append((user, label))
    return labelled


def _offered_choices(user, programmes) -> dict[str, list[tuple]]:
    """The filter's choices for the programmes ``user`` sees: the same for everyone who
    sees the same programmes, so cached by them."""
    ids = sorted(user_programme_roles(user))
    scope = "all" if user_is_global_admin(user) else ",".join(map(str, ids))

    def build():
        stages: dict[str, str] = {}
        for code, label in (
            Stage.objects.filter(programme__in=programmes)
            .order_by("order")
            .values_list("code", "name")
        ):
            stages.setdefault(code, label)
        return {
            "programme": [(p.pk, str(p)) for p in programmes],
            "seir": [(user.pk, label) for user, label in seirs_with_labels(programmes)],
            "legal_form": [(f.pk, inactive_label(f, str(f))) for f in LegalForm.objects.all()],
            "stage": list(stages.items()),
        }

    return refcache.cached(f"ventures:list-filter:{scope}", build, in_process=True)
