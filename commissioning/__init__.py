"""Commissioning: commissioners, priorities, introductions and contracts.

Arrives with the commissioning issue. It depends on ventures (never the reverse): it will
register gate-condition kinds (e.g. "contract won") with ventures.gates and a timeline
source with ventures.timeline from CommissioningConfig.ready().
"""
