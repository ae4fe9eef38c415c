"""Scouting: meetings, people and organisations, ideas promoted to ventures.

It depends on ventures (never the reverse): a promoted idea links to its venture, and
the promotion and the idea's meetings are recorded as events with ``venture=``, so the
venture's timeline (which reads events) shows them without ventures knowing scouting.
"""
