"""Date and number formats that differ from Django's for a language (FORMAT_MODULE_PATH).

Quipu's English is the region's working English, not the United States': day before month,
24-hour clock (issue 14, item 6; docs/decisions.md)."""
