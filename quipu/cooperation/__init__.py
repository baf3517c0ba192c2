"""Cooperation between countries (DESIGN.md section 5): one Django app per workflow.

- requests/   information requests, grants of fields, certified receipts
- jits/       joint investigation teams and their workspaces
- referrals/  consular referrals of victims found abroad
- helpline/   reports from the public and their triage
- dashboard/  figures over all of them, per country and for the region
"""
