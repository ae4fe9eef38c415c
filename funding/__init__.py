"""Funding: the funds a venture can apply to (reference data) and its applications.

A satellite of ventures: it adds a "Funding" tab to the venture page, records every
change through the events entry point, and ventures never imports it.
"""
