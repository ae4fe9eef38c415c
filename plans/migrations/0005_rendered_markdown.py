"""Each draft section, feedback comment and reply keeps its Markdown rendered
(``body_html``, ``plans.models.RenderedMarkdown``): the column, and every stored body
rendered into it."""

from django.db import migrations, models

from seir.markdown import render_markdown

BATCH = 500


def render_stored(apps, schema_editor):
    for name in ("DraftSection", "PlanComment", "PlanCommentReply"):
        model = apps.get_model("plans", name)
        batch = []
        for row in model.objects.only("pk", "body").order_by("pk").iterator(chunk_size=BATCH):
            row.body_html = str(render_markdown(row.body))
            batch.append(row)
            if len(batch) == BATCH:
                model.objects.bulk_update(batch, ["body_html"])
                batch = []
        if batch:
            model.objects.bulk_update(batch, ["body_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0004_plan_comment_reply"),
    ]

    operations = [
        migrations.AddField(
            model_name="draftsection",
            name="body_html",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="plancomment",
            name="body_html",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="plancommentreply",
            name="body_html",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(render_stored, migrations.RunPython.noop),
    ]
