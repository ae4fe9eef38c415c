"""Issue 16 item 10: the accessibility statement and the privacy notice."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.test import Client
from django.urls import reverse

from accounts.factories import ProgrammeFactory, UserFactory, global_admin, member
from accounts.roles import Role
from sitepages import defaults
from sitepages.models import SitePage, SitePageKind
from tests.clients import client_for

pytestmark = pytest.mark.django_db

ACCESSIBILITY = "/accessibility/"
PRIVACY = "/privacy/"


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


def _footer(response) -> str:
    html = response.content.decode()
    return html[html.index("<footer") : html.index("</footer>")]


def test_the_routes_are_where_the_footer_points():
    assert reverse("sitepages:accessibility") == ACCESSIBILITY
    assert reverse("sitepages:privacy") == PRIVACY


def test_the_data_migration_seeded_both_pages_with_the_default_text():
    pages = {p.kind: p for p in SitePage.objects.all()}

    assert set(pages) == {SitePageKind.ACCESSIBILITY, SitePageKind.PRIVACY}
    assert pages["accessibility"].title == defaults.ACCESSIBILITY_TITLE
    assert pages["accessibility"].body == defaults.ACCESSIBILITY_BODY
    assert pages["privacy"].title == defaults.PRIVACY_TITLE
    assert pages["privacy"].body == defaults.PRIVACY_BODY


@pytest.mark.parametrize(
    ("path", "title", "sections"),
    [
        (
            ACCESSIBILITY,
            "Accessibility statement for SEiR Pipeline",
            [
                "<h2>How accessible this service is</h2>",
                "<h2>Reporting accessibility problems with this service</h2>",
                "<h2>Enforcement procedure</h2>",
                "<h3>Compliance status</h3>",
                "<h2>Preparation of this accessibility statement</h2>",
                "This service is partially compliant with the",
            ],
        ),
        (
            PRIVACY,
            "Privacy notice for SEiR Pipeline",
            [
                "<h2>What personal data we hold</h2>",
                "<h2>Why we hold it and our lawful basis</h2>",
                "<h2>How long we keep it</h2>",
                "<h2>Who we share it with</h2>",
                "<h2>Your rights: a copy of your data, corrections and erasure</h2>",
                "<h2>Contact and complaints</h2>",
            ],
        ),
    ],
)
def test_an_anonymous_visitor_reads_the_seeded_page_rendered(path, title, sections):
    # given someone who is not signed in
    # when they open the page
    response = Client().get(path)

    # then it answers (no sign-in redirect) with the seeded text rendered from Markdown
    assert response.status_code == 200
    main = _main(response)
    assert f'<h1 id="site-page-title" class="mb-0">{title}</h1>' in main
    for section in sections:
        assert section in main
    # links in the text are rendered as links, with the sanitiser's rel
    assert 'rel="noopener nofollow"' in main
    # and nobody anonymous is offered the edit link
    assert "/admin/" not in main


def test_the_text_is_read_from_the_database_and_rendered_safely():
    # given an administrator's edit containing hostile HTML
    SitePage.objects.filter(kind="privacy").update(
        title="Our privacy notice",
        body="## Changed\n\nNew *text*.<script>alert(1)</script> [x](javascript:alert(1))",
    )

    # when anyone opens the page
    main = _main(Client().get(PRIVACY))

    # then the new text shows, rendered, and the script and the javascript: link do not
    assert "Our privacy notice</h1>" in main
    assert "<h2>Changed</h2>" in main
    assert "<em>text</em>" in main
    assert "<script>alert" not in main
    assert "javascript:" not in main


def test_a_missing_page_comes_back_with_its_default_text_and_keeps_edited_text():
    # given the accessibility row gone (a database emptied by hand) and privacy edited
    SitePage.objects.filter(kind="accessibility").delete()
    SitePage.objects.filter(kind="privacy").update(body="Edited by an administrator.")

    # when anyone opens them
    accessibility = Client().get(ACCESSIBILITY)
    privacy = Client().get(reverse("sitepages:privacy"))

    # then the missing one answers with its default text, stored once; the edit is kept
    assert accessibility.status_code == 200
    assert "Accessibility statement for SEiR Pipeline" in accessibility.content.decode()
    assert SitePage.objects.filter(kind="accessibility").count() == 1
    assert "Edited by an administrator." in privacy.content.decode()


def test_the_footer_of_the_sign_in_page_links_both_pages():
    footer = _footer(Client().get(reverse("login")))

    assert f'<a href="{ACCESSIBILITY}">Accessibility statement</a>' in footer
    assert f'<a href="{PRIVACY}">Privacy notice</a>' in footer


def test_the_footer_of_a_signed_in_page_links_both_pages():
    programme = ProgrammeFactory()
    seir = member(programme, Role.SEIR)

    footer = _footer(client_for(seir).get(reverse("programmes:detail", args=[programme.pk])))

    assert f'<a href="{ACCESSIBILITY}">Accessibility statement</a>' in footer
    assert f'<a href="{PRIVACY}">Privacy notice</a>' in footer


def test_a_global_administrator_is_offered_the_edit_link():
    admin = global_admin()
    page = SitePage.objects.get(kind="accessibility")

    main = _main(client_for(admin).get(ACCESSIBILITY))

    edit_url = reverse("admin:sitepages_sitepage_change", args=[page.pk])
    assert f'href="{edit_url}">Edit<span class="visually-hidden"> the accessibility' in main


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.SEIR, Role.MANAGER, Role.ENTREPRENEUR])
def test_nobody_else_is_offered_the_edit_link(role):
    programme = ProgrammeFactory()
    user = member(programme, role, global_admin=False)

    main = _main(client_for(user).get(PRIVACY))

    assert "/admin/sitepages/" not in main
    assert ">Edit<" not in main


def test_a_global_administrator_edits_the_text_in_the_admin_and_the_change_is_logged():
    # given a global administrator and the seeded privacy notice
    admin = global_admin()
    page = SitePage.objects.get(kind="privacy")
    url = reverse("admin:sitepages_sitepage_change", args=[page.pk])

    # when they change its text in the admin
    response = client_for(admin).post(
        url, {"title": "Privacy notice", "body": "## Who we are\n\nThe host organisation."}
    )

    # then it is saved, stamped with who changed it, logged, and shown on the page
    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.title, page.body, page.updated_by) == (
        "Privacy notice",
        "## Who we are\n\nThe host organisation.",
        admin,
    )
    entry = LogEntry.objects.get(object_id=str(page.pk), content_type__model="sitepage")
    assert (entry.user, entry.action_flag, entry.change_message) == (
        admin,
        CHANGE,
        '[{"changed": {"fields": ["Title", "Body"]}}]',
    )
    assert "<h2>Who we are</h2>" in _main(Client().get(PRIVACY))


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.SEIR])
def test_a_programme_administrator_or_seir_cannot_edit_and_nothing_changes(role):
    # given a programme's own administrator (not a global one) or its SEiR
    programme = ProgrammeFactory()
    user = member(programme, role, global_admin=False)
    page = SitePage.objects.get(kind="accessibility")
    url = reverse("admin:sitepages_sitepage_change", args=[page.pk])

    # when they try to post a change to the admin form
    response = client_for(user).post(url, {"title": "Hacked", "body": "Hacked"})

    # then they are sent to sign in as an administrator and the text is unchanged
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    page.refresh_from_db()
    assert (page.title, page.body) == (defaults.ACCESSIBILITY_TITLE, defaults.ACCESSIBILITY_BODY)
    assert not LogEntry.objects.exists()


def test_the_admin_offers_no_add_or_delete():
    admin = global_admin()
    page = SitePage.objects.get(kind="privacy")
    client = client_for(admin)

    assert client.get(reverse("admin:sitepages_sitepage_add")).status_code == 403
    assert (
        client.post(reverse("admin:sitepages_sitepage_delete", args=[page.pk]), {"post": "yes"})
    ).status_code == 403
    assert SitePage.objects.count() == 2


def test_an_ordinary_user_has_no_admin_rights_over_the_pages():
    user = UserFactory()

    response = client_for(user).get(reverse("admin:sitepages_sitepage_changelist"))

    assert response.status_code == 302


def test_the_server_error_page_links_both_pages_too():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")

    assert f'<a href="{reverse("sitepages:accessibility")}">Accessibility statement</a>' in html
    assert f'<a href="{reverse("sitepages:privacy")}">Privacy notice</a>' in html
