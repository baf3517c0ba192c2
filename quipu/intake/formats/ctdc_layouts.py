"""The column layouts of CTDC's public files, and how their columns meet the case model.

Which term a flag or a value stands for is not here: it is the `ctdc` column of
quipu/cases/data/vocabularies.csv. This module only knows the files' shapes.
"""

from typing import NamedTuple

# ctdc_global_kanon_2021-07-15.csv, in file order; global_2020 has the same columns after a
# leading column whose header cell is the terms-of-use sentence.
KANON_COLUMNS = (
    "yearOfRegistration",
    "Datasource",
    "gender",
    "ageBroad",
    "majorityStatus",
    "majorityStatusAtExploit",
    "majorityEntry",
    "citizenship",
    "meansOfControlDebtBondage",
    "meansOfControlTakesEarnings",
    "meansOfControlRestrictsFinancialAccess",
    "meansOfControlThreats",
    "meansOfControlPsychologicalAbuse",
    "meansOfControlPhysicalAbuse",
    "meansOfControlSexualAbuse",
    "meansOfControlFalsePromises",
    "meansOfControlPsychoactiveSubstances",
    "meansOfControlRestrictsMovement",
    "meansOfControlRestrictsMedicalCare",
    "meansOfControlExcessiveWorkingHours",
    "meansOfControlUsesChildren",
    "meansOfControlThreatOfLawEnforcement",
    "meansOfControlWithholdsNecessities",
    "meansOfControlWithholdsDocuments",
    "meansOfControlOther",
    "meansOfControlNotSpecified",
    "meansOfControlConcatenated",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "isSexAndLabour",
    "isForcedMarriage",
    "isForcedMilitary",
    "isOrganRemoval",
    "isSlaveryAndPractices",
    "typeOfExploitConcatenated",
    "typeOfLabourAgriculture",
    "typeOfLabourAquafarming",
    "typeOfLabourBegging",
    "typeOfLabourConstruction",
    "typeOfLabourDomesticWork",
    "typeOfLabourHospitality",
    "typeOfLabourIllicitActivities",
    "typeOfLabourManufacturing",
    "typeOfLabourMiningOrDrilling",
    "typeOfLabourPeddling",
    "typeOfLabourTransportation",
    "typeOfLabourOther",
    "typeOfLabourNotSpecified",
    "typeOfLabourConcatenated",
    "typeOfSexProstitution",
    "typeOfSexPornography",
    "typeOfSexRemoteInteractiveServices",
    "typeOfSexPrivateSexualServices",
    "typeOfSexConcatenated",
    "isAbduction",
    "RecruiterRelationship",
    "CountryOfExploitation",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
    "recruiterRelationUnknown",
)

YEAR_COLUMN = "yearOfRegistration"
ABDUCTION_COLUMN = "isAbduction"
CITIZENSHIP_COLUMN = "citizenship"
EXPLOITATION_COUNTRY_COLUMN = "CountryOfExploitation"

# Single-value columns: column -> (record part, field, vocabulary).
VALUE_COLUMNS = {
    "Datasource": ("case", "datasource", "datasource"),
    "gender": ("person", "gender", "gender"),
    "ageBroad": ("victim", "age_group", "age_group"),
    "majorityStatus": ("victim", "majority_status", "majority"),
    "majorityStatusAtExploit": ("victim", "majority_at_exploitation", "majority"),
    "majorityEntry": ("victim", "majority_at_entry", "majority"),
}

# Terms CTDC's layout has no value of their own for, and the value its codebook puts them under.
# Export only: reading the value back gives the vocabulary's own term for it (NonConforming),
# since CTDC does not say which. Its gender "Transgender/NonConforming" covers transgender
# people "for data privacy reasons, ... not further disaggregated" (codebook, variable 3).
EXPORTED_AS = {
    "gender": {
        "TransgenderFeminine": "Transgender/NonConforming",
        "TransgenderMasculine": "Transgender/NonConforming",
    },
}

# Vocabularies whose terms are 0/1 flag columns, and the Victim CodeSet field they fill.
FLAG_FIELDS = {
    "control_method": "control_methods",
    "exploitation_type": "exploitation_types",
    "labour_industry": "labour_industries",
    "sex_exploitation_type": "sex_exploitation_types",
    "recruiter_relation": "recruiter_relations",
}

# The text columns CTDC derives from flags: the label each flag contributes, in file order.
# Labels are as the 2021 file writes them (the codebook capitalises some differently).
CONCATENATED_LABELS = {
    "meansOfControlConcatenated": {
        "meansOfControlDebtBondage": "Debt bondage",
        "meansOfControlTakesEarnings": "Takes earnings",
        "meansOfControlRestrictsFinancialAccess": "Restricts financial access",
        "meansOfControlThreats": "Threats",
        "meansOfControlPsychologicalAbuse": "Psychological abuse",
        "meansOfControlPhysicalAbuse": "Physical abuse",
        "meansOfControlSexualAbuse": "Sexual abuse",
        "meansOfControlFalsePromises": "False promises",
        "meansOfControlPsychoactiveSubstances": "Psychoactive substances",
        "meansOfControlRestrictsMovement": "Restricts movement",
        "meansOfControlRestrictsMedicalCare": "Restricts medical care",
        "meansOfControlExcessiveWorkingHours": "Excessive working hours",
        "meansOfControlUsesChildren": "Uses children",
        "meansOfControlThreatOfLawEnforcement": "Threat of law enforcement",
        "meansOfControlWithholdsNecessities": "Withholds necessities",
        "meansOfControlWithholdsDocuments": "Withholds documents",
        "meansOfControlOther": "Other",
        "meansOfControlNotSpecified": "Not specified",
    },
    "typeOfExploitConcatenated": {
        "isForcedLabour": "Forced labour",
        "isSexualExploit": "Sexual exploitation",
        "isOtherExploit": "Other",
        "isSexAndLabour": "Combined sexual and labour exploitation",
        "isForcedMarriage": "Forced marriage",
        "isForcedMilitary": "Forced military",
        "isOrganRemoval": "Organ removal",
        "isSlaveryAndPractices": "Slavery and similar practices",
    },
    "typeOfLabourConcatenated": {
        "typeOfLabourAgriculture": "Agriculture",
        "typeOfLabourAquafarming": "Aquafarming",
        "typeOfLabourBegging": "Begging",
        "typeOfLabourConstruction": "Construction",
        "typeOfLabourDomesticWork": "Domestic work",
        "typeOfLabourHospitality": "Hospitality",
        "typeOfLabourIllicitActivities": "Illicit activities",
        "typeOfLabourManufacturing": "Manufacturing",
        "typeOfLabourMiningOrDrilling": "Mining or drilling",
        "typeOfLabourPeddling": "Peddling",
        "typeOfLabourTransportation": "Transportation",
        "typeOfLabourOther": "Other",
        "typeOfLabourNotSpecified": "Not specified",
    },
    "typeOfSexConcatenated": {
        "typeOfSexProstitution": "Prostitution",
        "typeOfSexPornography": "Pornography",
        "typeOfSexRemoteInteractiveServices": "Remote interactive services",
        "typeOfSexPrivateSexualServices": "Private sexual services",
    },
    "RecruiterRelationship": {
        "recruiterRelationIntimatePartner": "Intimate Partner",
        "recruiterRelationFriend": "Friend/Acquaintance",
        "recruiterRelationFamily": "Family/Relative",
        "recruiterRelationOther": "Other",
        "recruiterRelationUnknown": "Not Specified",
    },
}


class Style(NamedTuple):
    """How the 2021 file writes one list: alphabetical or file order, and with what."""

    alphabetical: bool = False
    separator: str = ";"
    left_out: frozenset[str] = frozenset()  # flag columns whose label is not written
    spelled: dict[str, str] = {}  # flag column -> label, where it differs from the usual


# Per list, per datasource code ("*" for any other). Case-management rows (IOM's system)
# sort the means of control, spell "Physical Abuse" and leave "not specified" out; hotline
# rows keep file order. Recruiter relations are sorted in both.
CONCATENATION_STYLES = {
    "meansOfControlConcatenated": {
        "CaseManagement": Style(
            alphabetical=True,
            left_out=frozenset({"meansOfControlNotSpecified"}),
            spelled={"meansOfControlPhysicalAbuse": "Physical Abuse"},
        ),
    },
    "RecruiterRelationship": {
        "CaseManagement": Style(
            alphabetical=True, separator="; ", left_out=frozenset({"recruiterRelationUnknown"})
        ),
        "*": Style(alphabetical=True, separator="; "),
    },
}

# The 2024 synthetic layout (codebook v2, February 2024): 27 columns, ISO-3, flags 1 or NULL.
SYNTHETIC_COLUMNS = (
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "traffickMonths",
    "meansDebtBondageEarnings",
    "meansThreats",
    "meansAbusePsyPhySex",
    "meansFalsePromises",
    "meansDrugsAlcohol",
    "meansDenyBasicNeeds",
    "meansExcessiveWorkHours",
    "meansWithholdDocs",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "typeOfLabourAgriculture",
    "typeOfLabourConstruction",
    "typeOfLabourDomesticWork",
    "typeOfLabourHospitality",
    "typeOfSexProstitution",
    "typeOfSexPornography",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
)
# The codebook's variable list says meansWithholdDocs, its detailed description
# meansWithholdDocuments: accept either.
SYNTHETIC_COLUMN_ALIASES = {"meansWithholdDocuments": "meansWithholdDocs"}
# Synthetic columns that are a 2021 column under a new name.
SYNTHETIC_RENAMED = {
    "meansFalsePromises": "meansOfControlFalsePromises",
    "meansDrugsAlcohol": "meansOfControlPsychoactiveSubstances",
    "meansExcessiveWorkHours": "meansOfControlExcessiveWorkingHours",
    "meansWithholdDocs": "meansOfControlWithholdsDocuments",
}
# Flags that merge several means of control: no single term holds them, so they are kept
# as written in the case's source_extras.
SYNTHETIC_MERGED_FLAGS = (
    "meansDebtBondageEarnings",
    "meansThreats",
    "meansAbusePsyPhySex",
    "meansDenyBasicNeeds",
)
SYNTHETIC_DURATION_COLUMN = "traffickMonths"
SYNTHETIC_DURATIONS = {"0--12", "13--24", "25+"}
SYNTHETIC_COUNTRY_COLUMNS = ("citizenship", "CountryOfExploitation")
# The codebook prints the "--" of ranges as an em dash: read both.
SYNTHETIC_DASHED_COLUMNS = ("ageBroad", "traffickMonths")
# 2024 values that are a 2021 value under a new name.
SYNTHETIC_VALUE_ALIASES = {
    "gender": {
        "Man": "Male",
        "Woman": "Female",
        "Trans/Transgender/NonConforming": "Transgender/NonConforming",
    },
}
