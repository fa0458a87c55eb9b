// Profiles
Alias: $mCODECancerPatient = http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-cancer-patient
Alias: $mCODERadiotherapyCourseSummary = http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-radiotherapy-course-summary
Alias: $mCODERadiotherapyVolume = http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-radiotherapy-volume
Alias: $mCODECancerDiseaseStatus = http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-cancer-disease-status
Alias: $mCODEPrimaryCancerCondition = http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-primary-cancer-condition
Alias: $mCODESecondaryCancerCondition = http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-secondary-cancer-condition
Alias: $mCODETumor = http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-tumor

// Extensions
Alias: $mCODERadiotherapyModalityAndTechnique = http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-radiotherapy-modality-and-technique
Alias: $mCODERadiotherapyDoseDeliveredToVolume = http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-radiotherapy-dose-delivered-to-volume
Alias: $mCODEProcedureIntent = http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-procedure-intent
Alias: $mCODERadiotherapyTechnique = http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-radiotherapy-technique
// ValueSets
Alias: $mCODERadiotherapyTreatmentLocationVS = http://hl7.org/fhir/us/mcode/ValueSet/mcode-radiotherapy-treatment-location-vs
Alias: $mCODECancerDisorderVS = http://hl7.org/fhir/us/mcode/ValueSet/mcode-cancer-disorder-vs
