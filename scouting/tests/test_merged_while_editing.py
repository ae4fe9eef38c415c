"""An edit page left open while a colleague merged (or erased) its record: nothing typed
is lost and nothing is saved to the wrong place. The form comes back on the record that
was kept, saying so and naming what differs there; a record that no longer exists at
all says so, keeps what was typed and offers no save that would fail. (Both used to
answer a bare 404, and everything typed was gone.)"""

import html

import pytest
from django.urls import reverse

from scouting import services
from scouting.factories import OrganisationFactory, PersonFactory
from scouting.models import Organisation, Person, Sector
from tests.html_forms import page_form, page_forms

pytestmark = pytest.mark.django_db

MERGED = (
    "While you were editing, {old} was merged into {kept}. Your changes are below, on the "
    "kept record; check them and save again."
)


@pytest.fixture
def kept_nadia(programme, saheli):
    return PersonFactory(
        programme=programme,
        name="Nadia K. Hussain",
        organisation=saheli,
        email="nadia.k@saheli.org.uk",
        job_title="Coordinator",
        phone="",
    )


@pytest.fixture
def kept_saheli(programme):
    return OrganisationFactory(
        programme=programme,
        name="Saheli Womens Group CIC",
        sector=Sector.COMMUNITY_GROUP,
        area="Balsall Heath",
        website="https://saheli.example.org",
    )


def _typed(client, url, **typed) -> dict:
    """The edit page as shown, with ``typed`` typed over it."""
    form = page_form(client.get(url).content, containing=next(iter(typed)))
    return {**form.values, **typed}


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _no_edit_form(response, field: str) -> bool:
    return not [f for f in page_forms(response.content) if field in f.names]


# --- merged meanwhile: the form comes back on the kept record ---------------------------


def test_a_person_merged_while_their_edit_page_was_open_comes_back_on_the_kept_record(
    client, seir, nadia, kept_nadia, snapshot
):
    """Given Nadia's edit page open with a new job title typed, when a colleague merges
    her into Nadia K. Hussain and the page is sent, then nothing is saved on either
    record, and the form is shown again on the kept record with what was typed, naming
    each field whose saved value there differs; sent again from there, it saves."""
    client.force_login(seir)
    url = reverse("scouting:person_edit", args=[nadia.pk])
    values = _typed(client, url, job_title="Director")
    services.person_merge(actor=seir, keep=kept_nadia, remove=nadia)
    kept_nadia.refresh_from_db()
    kept_before = (kept_nadia.name, kept_nadia.email, kept_nadia.job_title, kept_nadia.phone)
    before = snapshot()

    response = client.post(url, values)

    assert response.status_code == 409
    text = _text(response)
    assert MERGED.format(old="Nadia Hussain", kept="Nadia K. Hussain") in text
    assert "Name is now “Nadia K. Hussain”" in text
    assert "Job title is now “Coordinator”" in text
    assert "Email is now “nadia.k@saheli.org.uk”" in text
    assert "Phone is now" not in text  # the merge took her phone: the same as typed
    form = page_form(response.content, containing="job_title")
    assert form.action == reverse("scouting:person_edit", args=[kept_nadia.pk])
    assert form.values["job_title"] == "Director"
    assert form.values["email"] == "nadia@saheli.org.uk"
    assert form.values["seen_at"] == kept_nadia.updated_at.isoformat()
    assert snapshot() == before
    assert not Person.objects.filter(pk=nadia.pk).exists()
    kept_nadia.refresh_from_db()
    assert (
        kept_nadia.name,
        kept_nadia.email,
        kept_nadia.job_title,
        kept_nadia.phone,
    ) == kept_before

    # Checked (the kept name and email chosen again) and sent again: saved on the kept one.
    again = {**form.values, "name": "Nadia K. Hussain", "email": "nadia.k@saheli.org.uk"}
    saved = client.post(form.action, again)

    assert saved.status_code == 302
    assert saved["Location"] == reverse("scouting:person_detail", args=[kept_nadia.pk])
    kept_nadia.refresh_from_db()
    assert (kept_nadia.name, kept_nadia.email, kept_nadia.job_title) == (
        "Nadia K. Hussain",
        "nadia.k@saheli.org.uk",
        "Director",
    )


def test_an_organisation_merged_while_its_edit_page_was_open_comes_back_on_the_kept_one(
    client, seir, saheli, kept_saheli, snapshot
):
    client.force_login(seir)
    url = reverse("scouting:organisation_edit", args=[saheli.pk])
    values = _typed(client, url, area="Sparkbrook")
    services.organisation_merge(actor=seir, keep=kept_saheli, remove=saheli)
    kept_saheli.refresh_from_db()
    before = snapshot()

    response = client.post(url, values)

    assert response.status_code == 409
    text = _text(response)
    assert MERGED.format(old="Saheli Women's Group", kept="Saheli Womens Group CIC") in text
    assert "Name is now “Saheli Womens Group CIC”" in text
    assert "Area is now “Balsall Heath”" in text
    assert "Website is now “https://saheli.example.org”" in text
    assert "Sector is now" not in text
    form = page_form(response.content, containing="area")
    assert form.action == reverse("scouting:organisation_edit", args=[kept_saheli.pk])
    assert (form.values["area"], form.values["name"]) == ("Sparkbrook", "Saheli Women's Group")
    assert form.values["seen_at"] == kept_saheli.updated_at.isoformat()
    assert snapshot() == before
    assert Organisation.objects.get(pk=kept_saheli.pk).area == "Balsall Heath"

    again = {**form.values, "name": kept_saheli.name, "website": kept_saheli.website}
    saved = client.post(form.action, again)

    assert saved.status_code == 302
    assert Organisation.objects.get(pk=kept_saheli.pk).area == "Sparkbrook"


def test_merged_twice_meanwhile_the_form_comes_back_on_the_record_kept_in_the_end(
    client, seir, programme, nadia, kept_nadia
):
    last = PersonFactory(programme=programme, name="N. Hussain", email="nh@example.org")
    client.force_login(seir)
    url = reverse("scouting:person_edit", args=[nadia.pk])
    values = _typed(client, url, job_title="Director")
    services.person_merge(actor=seir, keep=kept_nadia, remove=nadia)
    services.person_merge(actor=seir, keep=last, remove=kept_nadia)

    response = client.post(url, values)

    assert response.status_code == 409
    assert MERGED.format(old="Nadia Hussain", kept="N. Hussain") in _text(response)
    form = page_form(response.content, containing="job_title")
    assert form.action == reverse("scouting:person_edit", args=[last.pk])
    assert form.values["job_title"] == "Director"


def test_merged_between_the_page_reading_the_record_and_saving_it(
    client, seir, nadia, kept_nadia, snapshot, monkeypatch
):
    """The merge lands after the view read Nadia but before the save locked her row:
    the same answer as above, not a 500."""
    client.force_login(seir)
    url = reverse("scouting:person_edit", args=[nadia.pk])
    values = _typed(client, url, job_title="Director")
    update = services.person_update
    counts = {}

    def merged_first(**kwargs):
        services.person_merge(actor=seir, keep=kept_nadia, remove=nadia)
        counts.update(snapshot())
        return update(**kwargs)

    monkeypatch.setattr(services, "person_update", merged_first)

    response = client.post(url, values)

    assert response.status_code == 409
    assert MERGED.format(old="Nadia Hussain", kept="Nadia K. Hussain") in _text(response)
    assert page_form(response.content, containing="job_title").values["job_title"] == "Director"
    assert snapshot() == counts
    assert Person.objects.get(pk=kept_nadia.pk).job_title == "Coordinator"


def test_saving_a_record_merged_away_is_refused_by_the_service(seir, nadia, kept_nadia, saheli):
    """A caller holding the record as it was before the merge gets a refusal, not
    ``DoesNotExist``."""
    kept_org = OrganisationFactory(programme=saheli.programme, name="Saheli CIC")
    stale_org = Organisation.objects.get(pk=saheli.pk)
    services.person_merge(actor=seir, keep=kept_nadia, remove=nadia)
    services.organisation_merge(actor=seir, keep=kept_org, remove=saheli)

    with pytest.raises(services.RecordGone):
        services.person_update(actor=seir, person=nadia, changes={"job_title": "Director"})
    with pytest.raises(services.RecordGone):
        services.organisation_update(
            actor=seir, organisation=stale_org, changes={"area": "Sparkbrook"}
        )


# --- the record no longer exists: what was typed stays on the page ----------------------


def test_a_person_erased_while_their_edit_page_was_open_keeps_what_was_typed(
    client, seir, nadia, snapshot
):
    client.force_login(seir)
    url = reverse("scouting:person_edit", args=[nadia.pk])
    values = _typed(client, url, job_title="Director")
    services.person_erase(actor=seir, person=nadia)
    before = snapshot()

    response = client.post(url, values)

    assert response.status_code == 410
    text = _text(response)
    assert "This person's data was erased while you were editing" in text
    assert "Nothing was saved" in text
    assert 'value="Director"' in text and 'value="nadia@saheli.org.uk"' in text
    assert _no_edit_form(response, "job_title")
    assert "Save changes" not in text
    assert f'href="{reverse("scouting:person_list")}"' in text
    assert snapshot() == before
    nadia.refresh_from_db()
    assert (nadia.is_erased, nadia.job_title, nadia.email) == (True, "", "")


def test_merged_into_a_record_erased_since_keeps_what_was_typed(
    client, seir, nadia, kept_nadia, snapshot
):
    client.force_login(seir)
    url = reverse("scouting:person_edit", args=[nadia.pk])
    values = _typed(client, url, job_title="Director")
    services.person_merge(actor=seir, keep=kept_nadia, remove=nadia)
    services.person_erase(actor=seir, person=kept_nadia)
    before = snapshot()

    response = client.post(url, values)

    assert response.status_code == 410
    text = _text(response)
    assert "This record no longer exists" in text
    assert "Nothing was saved" in text
    assert 'value="Director"' in text
    assert _no_edit_form(response, "job_title")
    assert "Save changes" not in text
    assert "Nadia K. Hussain" not in text
    assert snapshot() == before
    kept_nadia.refresh_from_db()
    assert (kept_nadia.is_erased, kept_nadia.job_title) == (True, "")


def test_merged_into_an_organisation_deleted_since_keeps_what_was_typed(
    client, seir, saheli, kept_saheli, snapshot
):
    """The kept record deleted afterwards (in the admin): no trace leads anywhere."""
    client.force_login(seir)
    url = reverse("scouting:organisation_edit", args=[saheli.pk])
    values = _typed(client, url, area="Sparkbrook")
    services.organisation_merge(actor=seir, keep=kept_saheli, remove=saheli)
    Organisation.objects.filter(pk=kept_saheli.pk).delete()
    before = snapshot()

    response = client.post(url, values)

    assert response.status_code == 410
    text = _text(response)
    assert "This record no longer exists" in text and "Nothing was saved" in text
    assert 'value="Sparkbrook"' in text
    assert _no_edit_form(response, "area")
    assert f'href="{reverse("scouting:organisation_list")}"' in text
    assert snapshot() == before


# --- opening a merged-away record's page ------------------------------------------------


def test_opening_a_merged_away_persons_edit_page_goes_to_the_kept_one(
    client, seir, nadia, kept_nadia
):
    client.force_login(seir)
    services.person_merge(actor=seir, keep=kept_nadia, remove=nadia)

    response = client.get(reverse("scouting:person_edit", args=[nadia.pk]), follow=True)

    assert response.redirect_chain == [(reverse("scouting:person_edit", args=[kept_nadia.pk]), 302)]
    assert "Nadia Hussain was merged into Nadia K. Hussain." in _text(response)


def test_opening_a_merged_away_organisations_edit_page_goes_to_the_kept_one(
    client, seir, saheli, kept_saheli
):
    client.force_login(seir)
    services.organisation_merge(actor=seir, keep=kept_saheli, remove=saheli)

    response = client.get(reverse("scouting:organisation_edit", args=[saheli.pk]), follow=True)

    assert response.redirect_chain == [
        (reverse("scouting:organisation_edit", args=[kept_saheli.pk]), 302)
    ]
    assert "Saheli Women's Group was merged into Saheli Womens Group CIC." in _text(response)


def test_opening_a_person_merged_twice_goes_straight_to_the_record_kept_in_the_end(
    client, seir, programme, nadia, kept_nadia
):
    last = PersonFactory(programme=programme, name="N. Hussain", email="nh@example.org")
    client.force_login(seir)
    services.person_merge(actor=seir, keep=kept_nadia, remove=nadia)
    services.person_merge(actor=seir, keep=last, remove=kept_nadia)

    response = client.get(reverse("scouting:person_detail", args=[nadia.pk]), follow=True)

    assert response.redirect_chain == [(reverse("scouting:person_detail", args=[last.pk]), 302)]
    assert "Nadia Hussain was merged into N. Hussain." in _text(response)


# --- someone who cannot see the records learns nothing ----------------------------------


def test_another_programmes_seir_gets_404_for_a_merged_person_and_the_kept_one(
    client, seir, other_seir, nadia, kept_nadia, snapshot
):
    values = {"name": "Nadia Hussain", "job_title": "Director", "seen_at": ""}
    services.person_merge(actor=seir, keep=kept_nadia, remove=nadia)
    client.force_login(other_seir)
    before = snapshot()

    for pk in (nadia.pk, kept_nadia.pk):
        for name in ("scouting:person_detail", "scouting:person_edit"):
            response = client.get(reverse(name, args=[pk]))
            assert response.status_code == 404, (name, pk)
            assert "Nadia" not in response.content.decode()
        response = client.post(reverse("scouting:person_edit", args=[pk]), values)
        assert response.status_code == 404, pk
        assert "Nadia K" not in response.content.decode()

    assert snapshot() == before
    assert Person.objects.get(pk=kept_nadia.pk).job_title == "Coordinator"


def test_another_programmes_seir_gets_404_for_a_merged_organisation_and_the_kept_one(
    client, seir, other_seir, saheli, kept_saheli, snapshot
):
    values = {"name": "Saheli", "sector": Sector.COMMUNITY_GROUP, "area": "Sparkbrook"}
    services.organisation_merge(actor=seir, keep=kept_saheli, remove=saheli)
    client.force_login(other_seir)
    before = snapshot()

    for pk in (saheli.pk, kept_saheli.pk):
        for name in ("scouting:organisation_detail", "scouting:organisation_edit"):
            response = client.get(reverse(name, args=[pk]))
            assert response.status_code == 404, (name, pk)
            assert "Saheli" not in response.content.decode()
        response = client.post(reverse("scouting:organisation_edit", args=[pk]), values)
        assert response.status_code == 404, pk

    assert snapshot() == before
    assert Organisation.objects.get(pk=kept_saheli.pk).area == "Balsall Heath"
