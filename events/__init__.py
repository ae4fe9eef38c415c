"""Events: the one record of everything that happens, and the seam later apps plug into.

Every service records what it did with ``events.services.event_record(...)`` inside its own
transaction. The row says who did what, when, in which programme, to which venture and
object, with a JSON payload and who may see it. Apps register their event kinds (with a
display template) and subscribe handlers, which run only after the transaction commits.

events sits above accounts and below ventures, scouting and commissioning: it imports
accounts only, so a venture is referred to by its id (and a label kept at the time).
"""
