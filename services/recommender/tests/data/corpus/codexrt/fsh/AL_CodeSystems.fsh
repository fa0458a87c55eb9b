Alias: SCT = http://snomed.info/sct
Alias: UCUM = http://unitsofmeasure.org
Alias: LOINC = http://loinc.org
Alias: DCM = http://dicom.nema.org/resources/ontology/DCM
Alias: ICD10 = http://hl7.org/fhir/sid/icd-10-cm
Alias: ReqIntent = http://hl7.org/fhir/request-intent
Alias: ActReason =  http://terminology.hl7.org/CodeSystem/v3-ActReason
Alias: v2-0203 = http://terminology.hl7.org/CodeSystem/v2-0203
Alias: DICOMUID = urn:dicom:uid
Alias: v3-RoleCode = http://terminology.hl7.org/CodeSystem/v3-RoleCode
Alias: v3-ActCode = http://terminology.hl7.org/CodeSystem/v3-ActCode
Alias: $v3-NullFlavor = http://terminology.hl7.org/CodeSystem/v3-NullFlavor
// USCore
// Alias: AdminGender = //2.16.840.1.113883.5.1 // http://terminology.hl7.org/CodeSystem/v3-AdministrativeGender

//Same as in mCODE.
Alias:   CondCat = http://terminology.hl7.org/CodeSystem/condition-category
Alias:   ClinStatus = http://terminology.hl7.org/CodeSystem/condition-clinical
Alias:   VerStatus = http://terminology.hl7.org/CodeSystem/condition-ver-status

// Local
// Codesystems
Alias: $CodexRTCategoryCS = http://snomed.info/sct //$SCT_TBD // 

// Varian
Alias: VarianDoseReferenceId = http://example.com/varian/fhir/identifier/radiotherapyDoseReferenceId
Alias: VarianRadiotherapyCourseId = http://example.com/varian/fhir/identifier/radiotherapyCourseId
Alias: VarianRadiotherapyPhaseId = http://example.com/varian/fhir/identifier/radiotherapyPhaseId
Alias: VarianRadiotherapyPlanId = http://example.com/varian/fhir/identifier/radiotherapyPlanId
Alias: VarianRadiotherapyFractionId = http://example.com/varian/fhir/identifier/radiotherapyFractionId
Alias: VarianRadiotherapyPrescriptionId = http://example.com/varian/fhir/identifier/radiotherapyPrescriptionId

//CTCAE CodeSystems
Alias:   NCIT = http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl
Alias:   MEDDRA = http://terminology.hl7.org/CodeSystem/MDRAE

// Vulcan Severity Codesystem
Alias: AESEVERITY = http://terminology.hl7.org/CodeSystem/adverse-event-severity