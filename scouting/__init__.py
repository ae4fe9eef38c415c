"""Scouting: meetings, people, organisations and ideas promoted to ventures.

Arrives with the scouting issue; the app is installed now so its migrations start clean.
It depends on ventures (never the reverse): it will register a timeline source with
ventures.timeline from ScoutingConfig.ready().
"""
