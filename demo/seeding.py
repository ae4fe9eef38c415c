"""The demo programme, written through the same services as real data.

Hand-made ventures travel from Idea to their stage one move at a time: the SEiR
confirms gate conditions, then moves the venture; when the real gate refuses, the move
is made with a written override (as a SEiR would), so the history records what was
unmet. Ventures beyond the hand-made ones (``--ventures N``) go through the bulk path,
``ventures.bulk.venture_create_many``, which applies venture_create's checks to many
rows in a fixed number of queries.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from accounts.factories import UserFactory
from accounts.models import Programme, User
from accounts.roles import Role
from accounts.services import membership_add, programme_create, user_set_global_admin
from ventures import gates, services
from ventures.bulk import VentureRow, venture_create_many
from ventures.models import LegalForm, NoteVisibility, Origin, Stage, Venture

from . import content


class DemoSeeder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.data = content.content()
        self.texts = self.data["texts"]
        self.now = timezone.now()
        self.legal_forms = {lf.code: lf for lf in LegalForm.objects.all()}

    def run(self, *, ventures: int) -> tuple[Programme, int]:
        """Returns the demo programme and how many ventures were created."""
        users = self._users()
        programme = self._programme(users)
        created = self._named_ventures(programme, users)
        created += self._top_up(programme, users, ventures)
        self._second_programme(users)
        return programme, created

    # --- people and programmes ------------------------------------------------
    def _user(self, username: str, first_name: str, last_name: str, **extra) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = UserFactory(
                username=username, first_name=first_name, last_name=last_name, **extra
            )
        return user

    def _users(self) -> dict[str, User]:
        users = {}
        for row in content.users():
            user = self._user(
                row["username"], row["first_name"], row["last_name"], password=self.data["password"]
            )
            if row["username"] == "admin":
                # The demo administrator runs every programme: the global role.
                user_set_global_admin(user=user, is_global_admin=True)
            users[row["username"]] = user
        return users

    def _programme(self, users) -> Programme:
        spec = self.data["programme"]
        programme = Programme.objects.filter(name=spec["name"]).first()
        if programme is None:
            programme = programme_create(
                name=spec["name"],
                host_organisation=spec["host_organisation"],
                start_date=timezone.localdate() - datetime.timedelta(days=spec["started_days_ago"]),
            )
        for row in content.users():
            membership_add(programme=programme, user=users[row["username"]], role=row["role"])
        return programme

    def _second_programme(self, users) -> None:
        spec = self.data["second_programme"]
        if Programme.objects.filter(name=spec["name"]).exists():
            return
        programme = programme_create(
            name=spec["name"],
            host_organisation=spec["host_organisation"],
            start_date=timezone.localdate() - datetime.timedelta(days=spec["started_days_ago"]),
        )
        membership_add(programme=programme, user=users["admin"], role=Role.ADMINISTRATOR)
        lead_spec = spec["inactive_lead"]
        outsider = self._user(
            lead_spec["username"],
            lead_spec["first_name"],
            lead_spec["last_name"],
            password=self.data["password"],
            is_active=False,
        )
        membership_add(programme=programme, user=outsider, role=Role.ENTREPRENEUR)
        self._venture_with_history(programme, users["admin"], outsider, spec["venture"])
        # Early in its period, with ventures still to travel: the dashboard's forecast for
        # it reads from all programmes' history (it has too little of its own). The demo
        # manager oversees both programmes, so the dashboard offers a programme choice.
        membership_add(programme=programme, user=users[spec["manager"]], role=Role.MANAGER)
        for venture in spec["more_ventures"]:
            lead = self._extra_lead(programme, venture["name"], venture["lead"])
            self._venture_with_history(programme, users["admin"], lead, venture)

    def _extra_lead(self, programme, venture_name: str, names: dict) -> User:
        """A lead entrepreneur without a demo login (only entrepreneur1-5 can sign in)."""
        username = "lead-" + "".join(ch for ch in venture_name.lower() if ch.isalnum())[:20]
        user = self._user(username, names["first_name"], names["last_name"], password=None)
        membership_add(programme=programme, user=user, role=Role.ENTREPRENEUR)
        return user

    # --- hand-made ventures, one service call at a time ---------------------------
    def _named_ventures(self, programme, users) -> int:
        created = 0
        existing = set(programme.ventures.values_list("name", flat=True))
        for spec in content.ventures():
            if spec["name"] in existing:
                continue
            lead = spec["lead"]
            if isinstance(lead, dict):
                lead = self._extra_lead(programme, spec["name"], lead)
            else:
                lead = users[lead]
            spec = {**spec, "days_ago": self.rng.randint(200, 325)}
            self._venture_with_history(programme, users["seir"], lead, spec)
            created += 1
        return created

    def _venture_with_history(self, programme, seir: User, lead: User | None, spec: dict):
        """A venture that travelled from the first stage to ``spec['stage']``."""
        started = self.now - datetime.timedelta(days=spec["days_ago"], hours=self.rng.randint(0, 8))
        stages = list(Stage.objects.filter(programme=programme).order_by("order"))
        path = stages[: [s.code for s in stages].index(spec["stage"]) + 1]
        venture = services.venture_create(
            actor=seir,
            programme=programme,
            name=spec["name"],
            summary=spec["summary"],
            need=spec["need"],
            beneficiaries=spec.get("beneficiaries", ""),
            area=spec["area"],
            legal_form=self.legal_forms[spec["legal_form"]],
            origin=spec["origin"],
            is_spinout=spec["is_spinout"],
            lead=lead,
            stage=path[0],
            at=started,
        )
        moment = started
        span = (self.now - started) / (len(path) + 0.5)
        for stage in path[1:]:
            moment = moment + span * self.rng.uniform(0.6, 1.0)
            self._confirm_gate(
                seir, venture, 0.85, moment - datetime.timedelta(days=2), "evidence_before_move"
            )
            self._move(seir, venture, stage, lead, moment)
        self._confirm_gate(
            seir,
            venture,
            0.5,
            self.now - datetime.timedelta(days=self.rng.randint(1, 20)),
            "evidence_current",
        )
        noted = min(moment + datetime.timedelta(days=1), self.now)
        for visibility, text in (
            (NoteVisibility.TEAM, "team_note"),
            (NoteVisibility.STAFF, "staff_note"),
        ):
            services.venture_note_add(
                actor=seir, venture=venture, body=self.texts[text], visibility=visibility, at=noted
            )
        status = spec.get("status")
        if status:
            services.venture_set_status(
                actor=seir,
                venture=venture,
                to_status=status["to"],
                reason=status["reason"],
                at=min(noted + datetime.timedelta(days=3), self.now),
            )
        return venture

    def _confirm_gate(self, seir, venture, share: float, at, evidence: str) -> None:
        """Confirm, with evidence, a ``share`` of the gate conditions a SEiR confirms by hand."""
        venture.refresh_from_db(fields=["stage"])
        for condition in venture.stage.gate_conditions.all():
            kind = gates.get_kind(condition.kind)
            if kind is not None and kind.confirmable and self.rng.random() < share:
                services.gate_condition_confirm(
                    actor=seir,
                    venture=venture,
                    condition=condition,
                    evidence=self.texts[evidence],
                    at=at,
                )

    def _move(self, seir, venture, stage, lead, at) -> None:
        """Move through the real gate; when it refuses, override with a reason."""
        note = self.texts["move_note"].format(lead=lead.first_name if lead else "the team")
        try:
            services.venture_move(actor=seir, venture=venture, to_stage=stage, note=note, at=at)
        except services.MoveRefused as refusal:
            if not refusal.can_override:
                raise
            services.venture_move(
                actor=seir,
                venture=venture,
                to_stage=stage,
                note=note,
                override_reason=self.texts["override_reason"],
                at=at,
            )
        venture.refresh_from_db(fields=["stage", "version"])

    # --- ventures at scale, through the bulk path ----------------------------------
    def _top_up(self, programme, users, target: int) -> int:
        have = Venture.objects.filter(programme=programme).count()
        if target <= have:
            return 0
        spec = self.data["top_up"]
        stages = {s.code: s for s in Stage.objects.filter(programme=programme)}
        codes = [code for code in spec["stage_weights"] if code in stages]
        weights = [spec["stage_weights"][code] for code in codes]
        leads = [users[f"entrepreneur{i}"] for i in range(1, 6)] + [None] * 5
        low, high = spec["days_ago"]
        rows = []
        for index in range(have, target):
            place = self.rng.choice(spec["places"])
            kind = self.rng.choice(spec["kinds"])
            started = self.now - datetime.timedelta(days=self.rng.randint(low, high))
            rows.append(
                VentureRow(
                    name=f"{place} {kind} {index + 1}",
                    stage=stages[self.rng.choices(codes, weights)[0]],
                    summary=self.rng.choice(spec["summaries"]).format(place=place, kind=kind),
                    need=self.rng.choice(spec["needs"]),
                    beneficiaries=f"Residents of {place}",
                    area=place,
                    legal_form=self.legal_forms[self.rng.choice(spec["legal_forms"])],
                    origin=self.rng.choice(Origin.values),
                    is_spinout=self.rng.random() < 0.15,
                    lead=self.rng.choice(leads),
                    seir=users["seir"],
                    entered_at=started + (self.now - started) * self.rng.random(),
                )
            )
        venture_create_many(actor=users["seir"], programme=programme, rows=rows)
        return len(rows)
