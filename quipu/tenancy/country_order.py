"""Countries in alphabetical order of their names in the reader's language (issue 14, item 7):
"Brasil, Chile, Colombia" in Spanish, "Brazil, Chile, Colombia" in English, never by ISO code.

Accents and case are ignored, then break ties ("Perú" sorts with "Peru"): the order a
dictionary of the language uses for these names, with no collation library needed."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TypeVar

from django import forms
from django.forms.models import ModelChoiceIterator

T = TypeVar("T")


def name_sort_key(name: str) -> tuple[str, str]:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)), name


def countries_by_name(countries: Iterable[T]) -> list[T]:
    """Countries (anything with a `name` in the active language) sorted by that name."""
    return sorted(countries, key=lambda country: name_sort_key(str(country.name)))


def codes_by_name(codes: Iterable[str], names: dict[str, str]) -> list[str]:
    """ISO codes sorted by their names in `names` (the code itself when it has none)."""
    return sorted(codes, key=lambda code: name_sort_key(names.get(code, code)))


class _ByNameIterator(ModelChoiceIterator):
    """The field's countries sorted when the form is drawn, in the language active then."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for country in countries_by_name(self.queryset):
            yield self.choice(country)


class CountryChoiceField(forms.ModelChoiceField):
    iterator = _ByNameIterator


class CountryMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = _ByNameIterator
