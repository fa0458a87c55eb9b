// Other
Alias: FMM = http://hl7.org/fhir/StructureDefinition/structuredefinition-fmm
Alias: CGMedicationRecommendation = http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/medication-recommendation
Alias: CGTherapeuticImplication = http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/therapeutic-implication
Alias: NCBI = http://www.ncbi.nlm.nih.gov/refseq
Alias: TMB = http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/tmb
Alias: MSI = http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/msi
