from .draft import plan_page, plan_submission, section_edit
from .versions import (
    comment_add,
    compare,
    reply_add,
    version_detail,
    version_pdf,
    version_print,
    version_review,
)

__all__ = [
    "comment_add",
    "compare",
    "plan_page",
    "plan_submission",
    "reply_add",
    "section_edit",
    "version_detail",
    "version_pdf",
    "version_print",
    "version_review",
]
