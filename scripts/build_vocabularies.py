"""Rebuild quipu/cases/data/vocabularies.csv's HTCDS rows from IOM's field standard.

Run from the checkout with ../shared beside it. Existing translations and Quipu's own
extension terms (origin 'quipu') are kept; only HTCDS codes and English labels are refreshed.
"""

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "reference" / "htcds" / "field_standards_2.0.csv"
TARGET = ROOT / "quipu" / "cases" / "data" / "vocabularies.csv"
COLUMNS = ["vocabulary", "code", "label_en", "label_es", "label_pt", "origin", "ctdc"]
# HTCDS field -> our vocabulary name
FIELDS = {
    "prs_Gender": "gender",
    "prs_MaritalStatus": "marital_status",
    "prs_HighestLevelOfEducation": "education",
    "vic_TraffickingStatus": "trafficking_status",
    "vic_TraffickingStatusDecisionMakingOrg": "status_decision_org",
    "vic_RelationshipToTrafficker": "relationship_to_trafficker",
    "vic_RecruitmentWebsitesAndApps": "websites_and_apps",
    "vic_MethodOfRecruitment": "recruitment_method",
    "vic_MethodsOfControl": "control_method",
    "vic_TypeOfExploitation": "exploitation_type",
    "vic_ForcedLabourIndustry": "labour_industry",
    "vic_TypeOfSexExploitation": "sex_exploitation_type",
    "vic_Vulnerabilities": "vulnerability",
    "per_RoleInProcess": "perpetrator_role",
    "cas_Status": "case_status",
    "cas_ReasonForIncomingReferral": "referral_reason",
    "hte_Type": "route_event_type",
    "spl_Type": "support_type",
}


def htcds_terms() -> list[dict]:
    terms = []
    with SOURCE.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            vocabulary = FIELDS.get(row["Field Name including Prefix"])
            if not vocabulary:
                continue
            codes = [v.strip() for v in row["Value Names (if picklist)"].split("\n") if v.strip()]
            labels = [v.strip() for v in row["Value Labels (if picklist)"].split("\n") if v.strip()]
            for code, label in zip(codes, labels, strict=True):
                terms.append(
                    {"vocabulary": vocabulary, "code": code, "label_en": label, "origin": "htcds"}
                )
    return terms


def main() -> int:
    existing = {}
    if TARGET.exists():
        with TARGET.open(newline="", encoding="utf-8") as handle:
            existing = {(r["vocabulary"], r["code"]): r for r in csv.DictReader(handle)}
    rows, seen = [], set()
    for term in htcds_terms():
        key = (term["vocabulary"], term["code"])
        if key in seen:
            continue
        seen.add(key)
        rows.append({**dict.fromkeys(COLUMNS, ""), **existing.get(key, {}), **term})
    rows += [r for key, r in existing.items() if key not in seen and r["origin"] != "htcds"]
    with TARGET.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} terms written to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
