"""Health outcomes: the indicators a venture aims at, tagged to the five NHS Outcomes
Framework domains, with dated measurements and a chart per indicator.

A satellite of ventures: an "Outcomes" tab on the venture page, every change recorded
through the events entry point.
"""
