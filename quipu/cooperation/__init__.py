"""Cooperation between countries (DESIGN.md section 5): one Django app per workflow.

- receipts/   certified receipts: signed, verifiable records of what was sent and decided
- requests/   information requests and the grants of fields they lead to
- jits/       joint investigation teams and their workspaces
- referrals/  consular referrals of victims found abroad
- helpline/   reports from the public and their triage
- dashboard/  figures over all of them, per country and for the region
"""
