
// Package hl7.terminology#3.1.0 based on FHIR 4.0.1. Generated 2021-03-06

// External Code Systems with a external canonical recognized by terminology.hl7.org
Alias:   LNC = http://loinc.org
Alias:   SCT = http://snomed.info/sct
//Alias:   SCT = http://snomed.info/sct|http://snomed.info/sct/731000124108   // latest US edition (see exp-params.json)
//Alias:   SCT = http://snomed.info/sct|http://snomed.info/sct/900000000000207008/version/20230901   // Sept 2023 international edition
Alias:   SCT_TBD = http://hl7.org/fhir/us/mcode/CodeSystem/snomed-requested-cs
Alias:   UCUM = http://unitsofmeasure.org
Alias:   ICD10CM = http://hl7.org/fhir/sid/icd-10-cm
Alias:   ICD10PCS = http://www.cms.gov/Medicare/Coding/ICD10
Alias:   RXN = http://www.nlm.nih.gov/research/umls/rxnorm
Alias:   CPT = http://www.ama-assn.org/go/cpt
Alias:   HGNC = http://www.genenames.org
Alias:   HGVS = http://varnomen.hgvs.org
Alias:   NULLFLAVOR = http://terminology.hl7.org/CodeSystem/v3-NullFlavor
Alias:   DCM = http://dicom.nema.org/resources/ontology/DCM

// Code systems lacking a recognized canonical at terminology.hl7.org
Alias:   GTR = http://www.ncbi.nlm.nih.gov/gtr
Alias:   CLINVAR = http://www.ncbi.nlm.nih.gov/clinvar
Alias:   SO = http://www.sequenceontology.org/
Alias:   AJCC = http://cancerstaging.org
Alias:   ENTREZ = https://www.ncbi.nlm.nih.gov/gene
Alias:   NCIT = http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl

// From terminology.hl7.org
Alias:   OmbRaceCat = urn:oid:2.16.840.1.113883.6.238
Alias:   ICDO3 = http://terminology.hl7.org/CodeSystem/icd-o-3
Alias:   UMLS = http://terminology.hl7.org/CodeSystem/umls
Alias:   IDTYPE = http://terminology.hl7.org/CodeSystem/v2-0203
Alias:   SPTY = http://terminology.hl7.org/CodeSystem/v2-0487
Alias:   CondCat = http://terminology.hl7.org/CodeSystem/condition-category
Alias:   ClinStatus = http://terminology.hl7.org/CodeSystem/condition-clinical
Alias:   VerStatus = http://terminology.hl7.org/CodeSystem/condition-ver-status
Alias:   ObsCat = http://terminology.hl7.org/CodeSystem/observation-category
Alias:   ObsStatus = http://hl7.org/fhir/observation-status
Alias:   ObsInt = http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation
Alias:   DiagnosticService = http://terminology.hl7.org/CodeSystem/v2-0074
Alias:   TimingAbbreviation = http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation
Alias:   MedReqStatus = http://hl7.org/fhir/CodeSystem/medicationrequest-status
Alias:   MedReqIntent = http://hl7.org/fhir/CodeSystem/medicationrequest-intent
Alias:   MedReqCat = 	http://terminology.hl7.org/CodeSystem/medicationrequest-category
Alias:   RefMeaning = http://terminology.hl7.org/CodeSystem/referencerange-meaning
Alias:   AbsentReason = http://terminology.hl7.org/CodeSystem/data-absent-reason
Alias:   MDR = http://terminology.hl7.org/CodeSystem/mdr