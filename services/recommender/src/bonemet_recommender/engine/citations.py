"""Citation registry (clinical-rules §9): the specification's §7 list, plus the few sources the rules cite
inline in its §2-§5.

Keys are what decisions carry in their ``citations`` tuples. DOIs are only those the specification states.
UNVERIFIED sources (Steinvoort-Draat 2024, SFRO 2025, the Makita "Oncol Lett 2023" paper) are not
registered: nothing may be cited on their authority.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from bonemet_recommender.engine.decisions import Evidence


@dataclass(frozen=True)
class Citation:
    key: str
    text: str
    evidence: Evidence
    """The specification's evidence mark of the citation itself ([V], [V1] or [R])."""
    doi: str | None = None
    caveat: str | None = None
    """What is less than verified about it (e.g. a DOI or page range marked [R])."""

    @property
    def url(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None


_ALL: Final = (
    # --- the specification's §7 list (clinical-rules §9) ---------------------------------------------
    Citation(
        "ASTRO-2024",
        "Alcorn S, et al. External Beam Radiation Therapy for Palliation of Symptomatic Bone Metastases: "
        "An ASTRO Clinical Practice Guideline. Pract Radiat Oncol 2024;14(5):377-397",
        "V",
        "10.1016/j.prro.2024.04.018",
    ),
    Citation("ASTRO-2017", "Lutz S, et al. Pract Radiat Oncol 2017;7(1):4-12", "V"),
    Citation("ASTRO-2011", "Lutz S, et al. IJROBP 2011;79(4):965-76", "V", "10.1016/j.ijrobp.2010.11.026"),
    Citation("NQF-1822", "ASTRO. External Beam Radiotherapy for Bone Metastases, NQF #1822 (retired 2017)", "V"),
    Citation(
        "ESTRO-ACROP-2022",
        "van der Velden J, et al. ESTRO-ACROP guideline, uncomplicated bone metastases. Radiother Oncol 2022",
        "V",
        "10.1016/j.radonc.2022.05.024",
    ),
    Citation(
        "ESTRO-CPG-2024",
        "Guckenberger M, et al. ESTRO clinical practice guideline: SBRT for spine metastases. "
        "Radiother Oncol 2024:109966",
        "V",
        "10.1016/j.radonc.2023.109966",
        caveat="volume 190 and DOI are [R]",
    ),
    Citation(
        "NICE-NG234",
        "NICE NG234. Spinal metastases and metastatic spinal cord compression (2023); QS56 statement 6",
        "V",
    ),
    Citation("ESTRO-ASTRO-OMD", "Lievens Y, et al. Radiother Oncol 2020;148:157-166", "V"),
    Citation(
        "GILLESPIE-2024",
        "Gillespie EF, et al. J Clin Oncol 2024;42(1):38-46 (protocol: BMC Cancer 2020, "
        "doi:10.1186/s12885-020-07591-w)",
        "V",
        "10.1200/JCO.23.00753",
        caveat="results [V]; high-risk criteria [V1]; junctional and posterior-element criteria [R]",
    ),
    Citation("RTOG-0631", "Ryu S, et al. JAMA Oncol 2023;9(6):800-807", "V", "10.1001/jamaoncol.2023.0356"),
    Citation(
        "SC-24",
        "Sahgal A, et al. Lancet Oncol 2021;22:1023 (CCTG SC.24, phase 2/3, 24 Gy/2 vs 20 Gy/5)",
        "V",
        "10.1016/S1470-2045(21)00196-0",
    ),
    Citation("NGUYEN-2019", "Nguyen, et al. JAMA Oncol 2019;5(6):872-878", "V", "10.1001/jamaoncol.2019.0192"),
    Citation("SCORAD-III", "Hoskin PJ, et al. JAMA 2019;322(21):2084-94", "V", caveat="results [V]; page range [R]"),
    Citation(
        "SAHGAL-2012",
        "Sahgal, et al. Reirradiation human spinal cord tolerance for SBRT. IJROBP 2012;82(1):107-116",
        "V",
    ),
    Citation(
        "HYTEC-CORD",
        "Sahgal A, et al. Spinal cord dose tolerance to SBRT. IJROBP 2021;110(1):124-136",
        "V",
        "10.1016/j.ijrobp.2019.09.038",
    ),
    Citation("NIEDER-2006", "Nieder, et al. IJROBP 2006;66(5):1446-9", "V"),
    Citation(
        "QUANTEC-CORD",
        "Kirkpatrick JP, et al. IJROBP 2010;76(3 Suppl):S42-9",
        "V",
        "10.1016/j.ijrobp.2009.04.095",
    ),
    Citation(
        "SINS",
        "Fisher CG, et al. Spine 2010;35(22):E1221-9; Fourney DR, et al. J Clin Oncol 2011;29(22):3072",
        "V",
        caveat="Fourney page range [R]",
    ),
    Citation("ESCC", "Bilsky MH, et al. J Neurosurg Spine 2010;13(3):324-8", "V"),
    Citation("NOMS", "Laufer I, et al. Oncologist 2013;18(6):744-51", "V"),
    Citation("MIRELS", "Mirels H. Clin Orthop Relat Res 1989;(249):256-64", "V"),
    Citation(
        "CHOW-NRF",
        "Chow E, et al. J Clin Oncol 2008;26(36):5863-9",
        "V",
        "10.1200/JCO.2008.17.1363",
        caveat="abstract [V]; group median survivals via secondary sources",
    ),
    Citation("TEACHH", "Krishnan MS, et al. Cancer 2014;120(1):134-41", "V", "10.1002/cncr.28408"),
    Citation("KATAGIRI", "Katagiri H, et al. Cancer Med 2014;3(5):1359-67", "V", "10.1002/cam4.292"),
    Citation("WESTHOFF", "Westhoff PG, et al. IJROBP 2014;90(4):739-47", "V", "10.1016/j.ijrobp.2014.07.051"),
    Citation("BOLLEN", "Bollen L, et al. Neuro Oncol 2014;16(7):991-8", "V", caveat="existence [V]; DOI not known"),
    Citation(
        "MAKITA",
        "Makita K, et al. Radiat Oncol 2021 (doi:10.1186/s13014-021-01940-0); Mol Clin Oncol 2022",
        "V",
        "10.3892/mco.2022.2585",
        caveat="the source review's 'Oncol Lett 2023;26(1):303' is UNVERIFIED and not cited",
    ),
    Citation("ASCO-CCO-BMA", "Van Poznak C, et al. J Clin Oncol 2017;35(35):3978-86", "V"),
    Citation("MCODE-STU4", "HL7 mCODE Implementation Guide 4.0.0 (github.com/HL7/fhir-mCODE-ig)", "V"),
    Citation("CDC-MME", "cqframework/opioid-mme-r4 CodeSystem supplement (RxNorm ingredients)", "V"),
    # --- cited inline in the specification's §2.1-§5 (not in its §7 list) ----------------------------
    # The caveats are output text (rendering, PlanDefinition): they keep the specification's own section names.
    Citation(
        "SC-20",
        "Chow E, et al. Lancet Oncol 2014;15(2):164-71 (NCIC CTG SC.20: 8 Gy/1 vs 20 Gy in multiple fractions)",
        "V",
        "10.1016/S1470-2045(13)70556-4",
        caveat="its >= 4-week minimum interval and the 20/5 vs 20/8 split are [R] (RULES.md §2.1)",
    ),
    Citation(
        "SABR-COMET", "SABR-COMET protocol. BMC Cancer 2012;12:305", "V", caveat="35 Gy/5 regimen (RULES.md §5.2 R5)"
    ),
    Citation(
        "ROSEN-2021",
        "Rosen, et al. Adv Radiat Oncol 2021;6(6):100756; Epstein-Peterson, et al. Pract Radiat Oncol 2015",
        "V",
        caveat="post-operative RT evidence mainly retrospective (RULES.md §5.2 R3)",
    ),
    Citation(
        "ILROG-2018",
        "Tsang RW, et al. ILROG guideline. IJROBP 2018;101(4):794-808",
        "V",
        "10.1016/j.ijrobp.2018.05.009",
        caveat="citation [V]; its palliative range 8 Gy x1 or 10-30 Gy [R]",
    ),
    Citation(
        "PRASAD-2018",
        "Prasad. World J Clin Oncol 2018;9(7):140-7 (empirical ECOG-KPS interconversion)",
        "V1",
        caveat="ECOG->KPS convention [V1]: two published conversion tables agree",
    ),
)

CITATIONS: Final[dict[str, Citation]] = {c.key: c for c in _ALL}
