"""Attaching a resource to the lesion(s) it describes (docs/clinical-rules.md §8): by ``focus`` or
``reasonReference`` to the lesion Condition, else by a bodySite code that exactly one lesion shares.

``LesionDraft`` is a lesion while the readers attach facts to it; the picture freezes it into a ``Lesion``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from bonemet_recommender.engine.decisions import Coding, SiteClass
from bonemet_recommender.engine.facts import Fact, PriorCourse, Surgery


def site_key(site: Iterable[Coding]) -> frozenset[tuple[str, str]]:
    return frozenset((c.system, c.code) for c in site)


Entry = tuple[Mapping[str, Any], str]
"""A usable input resource (it has a type and an id) and its versioned reference."""


class LesionDraft:
    """A lesion while the picture's resources are attached to it (a plain slotted class, as ``_Input``)."""

    __slots__ = (
        "codes",
        "condition",
        "cortical",
        "courses",
        "diameter",
        "escc",
        "fractures",
        "junctional",
        "marrow_only",
        "mirels",
        "neuro",
        "neuro_conditions",
        "pain",
        "posterior",
        "prior_dose",
        "prior_end",
        "prior_fractions",
        "reference",
        "sins",
        "site_class",
        "site_key",
        "sites",
        "status_assumed",
        "surgeries",
        "unconfirmed",
        "unrecognised",
    )

    def __init__(
        self,
        reference: str,
        condition: str,
        codes: tuple[Coding, ...],
        sites: tuple[Coding, ...],
        site_key: frozenset[tuple[str, str]],
        site_class: SiteClass,
        marrow_only: bool,
        unconfirmed: bool,
        status_assumed: bool,
    ) -> None:
        self.reference = reference
        self.condition = condition
        self.codes = codes
        self.sites = sites
        self.site_key = site_key
        """(system, code) of the sites, which every bodySite match compares against."""
        self.site_class = site_class
        self.marrow_only = marrow_only
        self.unconfirmed = unconfirmed
        self.status_assumed = status_assumed
        self.pain: list[Fact[int]] = []
        self.sins: list[Fact[int]] = []
        self.mirels: list[Fact[int]] = []
        self.escc: list[Fact[str]] = []
        self.neuro: list[Fact[bool]] = []
        self.neuro_conditions: list[Fact[bool]] = []
        self.diameter: list[Fact[float]] = []
        self.cortical: list[Fact[str]] = []
        self.junctional: list[Fact[bool]] = []
        self.posterior: list[Fact[bool]] = []
        self.prior_dose: list[Fact[float]] = []
        self.prior_fractions: list[Fact[int]] = []
        self.prior_end: list[Fact[datetime]] = []
        self.fractures: list[Fact[bool]] = []
        self.surgeries: list[Surgery] = []
        self.unrecognised: list[tuple[str, str]] = []
        self.courses: list[PriorCourse] = []


class Attacher:
    """Finds the lesion(s) a resource belongs to: focus/reasonReference, else a unique bodySite."""

    def __init__(self, drafts: list[LesionDraft]) -> None:
        self.drafts = drafts
        self.by_condition = {d.condition: d for d in drafts}

    def by_reference(self, references: Iterable[str]) -> list[LesionDraft]:
        by_condition, found = self.by_condition, []
        for reference in references:
            draft = by_condition.get(reference)
            if draft is not None:
                found.append(draft)
        return found

    def by_site(self, sites: tuple[Coding, ...]) -> list[LesionDraft]:
        key = site_key(sites)
        if not key:
            return []
        matches = [d for d in self.drafts if not d.site_key.isdisjoint(key)]
        return matches if len(matches) == 1 else []

    def attach(self, references: tuple[str, ...], sites: tuple[Coding, ...]) -> list[LesionDraft] | None:
        """An Observation's lesions: by focus, else by its bodySite. None when its focus names a Condition that
        is no active lesion: the fact describes that Condition only and attaches nowhere (A13). ``references``
        and ``sites`` are the Observation's focus and bodySite (``observations.read_observation``)."""
        if references:
            found = self.by_reference(references)
            if found:
                return found
            for reference in references:
                if reference.startswith("Condition/"):
                    return None
        return self.by_site(sites)

    def at_sites(self, sites: Iterable[Coding]) -> list[LesionDraft]:
        """Every lesion sharing one of ``sites`` (a course or an operation treats a site, A13)."""
        key = site_key(sites)
        return [d for d in self.drafts if not d.site_key.isdisjoint(key)] if key else []
