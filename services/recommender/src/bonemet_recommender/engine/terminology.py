"""The two terminology tables shipped with the engine as data, each row with its source
(clinical-rules §4 and §8; A1, A13).

- ``tables/rxnorm_ingredients.csv``: RxNorm product (SCD/SBD/GPCK) -> ingredient, for every drug the rules
  look at (bone-modifying agents, dexamethasone, the opioids of the pain criteria). Drugs are recognised by
  ingredient; a product code counts as its ingredients.
- ``tables/primary_cancers.csv``: histology-specific SNOMED CT primary-cancer codes -> the primary groups of
  docs/clinical-rules.md §1 (e.g. 408643008 infiltrating duct carcinoma of breast -> breast).

Each code in them was seen with its display in a public source (the ``source`` column; the tables'
SOURCES.md files say how). Read once at import: the files ship inside the package.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from importlib.resources import files
from types import MappingProxyType
from typing import Final


def _rows(name: str) -> list[dict[str, str]]:
    text = files(__package__).joinpath("tables", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _ingredients_by_product() -> Mapping[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for row in _rows("rxnorm_ingredients.csv"):
        found.setdefault(row["product_rxcui"].strip(), set()).add(row["ingredient_rxcui"].strip())
    return MappingProxyType({product: frozenset(ingredients) for product, ingredients in found.items()})


def _primary_groups() -> Mapping[tuple[str, str], str]:
    return MappingProxyType(
        {(row["system"].strip(), row["code"].strip()): row["group"].strip() for row in _rows("primary_cancers.csv")}
    )


INGREDIENTS_BY_PRODUCT: Final = _ingredients_by_product()
"""RxNorm product RXCUI -> the ingredient RXCUIs the rules look at."""

PRIMARY_GROUP_BY_CODE: Final = _primary_groups()
"""(system, code) of a histology-specific primary-cancer concept -> its primary group name."""
