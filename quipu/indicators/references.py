"""The shipped framework's references and population sources, in the catalogue: they are data
(framework.json, population.csv) written in English, so they are marked here for translation
and shown through `reference_text`. A reference typed by the secretariat is shown as typed."""

from django.utils.translation import gettext, gettext_noop

SHIPPED = (
    gettext_noop(
        "IOM Human Trafficking Case Data Standard (HTCDS) 2.0; "
        "Lima Declaration (2022): data exchange"
    ),
    gettext_noop(
        "Ibero-American Network of Prosecutors against Trafficking (REDTRAM, 2017); "
        "UNODC GLOTIP questionnaire"
    ),
    gettext_noop("Lima Declaration (2022), Regional Coordination Mechanism"),
    gettext_noop(
        "Palermo Protocol art. 10(1); UN Convention against Transnational Organized Crime art. 18"
    ),
    gettext_noop("Palermo Protocol art. 10(2)"),
    gettext_noop("Palermo Protocol art. 3(c) and (d); UNODC GLOTIP questionnaire"),
    gettext_noop("Palermo Protocol art. 6(3)"),
    gettext_noop("Palermo Protocol art. 6(3)(a)"),
    gettext_noop("Palermo Protocol art. 6(3); IOM HTCDS 2.0, support plan (spl_)"),
    gettext_noop("Palermo Protocol art. 6(6)"),
    gettext_noop("Palermo Protocol art. 6; Lima Declaration (2022): identification"),
    gettext_noop("Palermo Protocol art. 7"),
    gettext_noop("Palermo Protocol art. 8"),
    gettext_noop(
        "Palermo Protocol art. 9(1); Lima Declaration (2022), Regional Coordination Mechanism"
    ),
    gettext_noop(
        "Palermo Protocol art. 9(1); UNODC GLOTIP questionnaire, section on national policy"
    ),
    gettext_noop("Palermo Protocol art. 9(2)"),
    gettext_noop("Palermo Protocol art. 9(5)"),
    gettext_noop("Palermo Protocol art. 9; Lima Declaration (2022)"),
    gettext_noop("Palermo Protocol arts. 11 and 12"),
    gettext_noop("Palermo Protocol arts. 3 and 5"),
    gettext_noop("Palermo Protocol arts. 9(4) and 10"),
    gettext_noop("Protocol against the Smuggling of Migrants (2000) art. 6"),
    gettext_noop("Quito Process, Buenos Aires road map (2019)"),
    gettext_noop("Quito Process, Buenos Aires road map (2019): regional database"),
    gettext_noop("Quito Process, Buenos Aires road map (2019); Palermo Protocol art. 9(2)"),
    gettext_noop("Regional Platform, Consular Assistance Protocol (2023)"),
    gettext_noop("SDG indicator 16.2.2 (UN Statistical Commission, metadata 2023)"),
    gettext_noop("UN Convention against Transnational Organized Crime art. 19; REDTRAM (2017)"),
    gettext_noop("UNODC GLOTIP (convictions and prosecutions)"),
    gettext_noop("UNODC GLOTIP questionnaire, detected victims; SDG 16.2.2 numerator"),
    gettext_noop("UNODC GLOTIP questionnaire, persons convicted"),
    gettext_noop("UNODC GLOTIP questionnaire, persons investigated or suspected"),
    gettext_noop("UNODC GLOTIP questionnaire, persons prosecuted"),
    gettext_noop("UNODC Global Report on Trafficking in Persons (GLOTIP)"),
    gettext_noop(
        "United Nations, DESA, Population Division. World Population Prospects 2024: "
        "total population at 1 July (estimate)"
    ),
)


def reference_text(text: str) -> str:
    """`text` in the active language when it is one of the shipped references."""
    return gettext(text) if text else text
