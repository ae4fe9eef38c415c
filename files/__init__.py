"""Uploaded files done once for every app: validation by content (libmagic) and by name,
storage through Django's storage API under random names with clean-up on failure, and
permission-checked downloads. Checklist evidence uses it; funding documents will too."""
