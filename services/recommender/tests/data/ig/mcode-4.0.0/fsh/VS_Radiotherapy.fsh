//----------- MODALITIES -----------------------

ValueSet:  TeleradiotherapyModalityVS
Id: mcode-teleradiotherapy-modality-vs
Title: "Teleradiotherapy Modality Value Set"
Description: "Codes describing the modalities of teleradiotherapy (external beam) procedures."
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
* SCT#10611004 "External beam radiation therapy protons (procedure)"
* SCT#45643008 "External beam radiation therapy using electrons (procedure)"
* SCT#80347004 "External beam radiation therapy neutrons (procedure)"
* SCT#1156505006 "External beam radiation therapy using carbon ions (procedure)"
* SCT#1156506007 "External beam radiation therapy using photons (procedure)"


ValueSet: BrachytherapyModalityVS
Id: mcode-brachytherapy-modality-vs
Title: "Brachytherapy Modality Value Set"
Description: "Codes describing the modalities of brachytherapy procedures."
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
* SCT#1156708005 "Low dose rate brachytherapy using temporary radioactive source (procedure)"
//* SCT#1156707000 "Low dose rate brachytherapy (procedure)"
* SCT#169359004 "Internal radiotherapy - permanent seeds (procedure)"  //* RT#LDR-PERM
* SCT#1156384006 "Pulsed dose rate brachytherapy (procedure)"
* SCT#394902000 "High dose brachytherapy (procedure)"
* SCT#438629002 "High dose rate electronic brachytherapy (procedure)"
* SCT#440252007 "Administration of radiopharmaceutical (procedure)"

ValueSet: RadiotherapyModalityVS
Id: mcode-radiotherapy-modality-vs
Title: "Radiotherapy Modality Value Set"
Description: "Codes describing the modalities of external beam and brachytherapy radiation procedures, for use with radiotherapy summaries.  This value set is the union of the teleradiotherapy and brachytherapy modality value sets."
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
* include codes from valueset TeleradiotherapyModalityVS
* include codes from valueset BrachytherapyModalityVS
* NULLFLAVOR#UNC "un-encoded" // .text must be provided

//----------- TECHNIQUES -----------------------
//
ValueSet: TeleradiotherapyTechniqueVS
Id: mcode-teleradiotherapy-technique-vs
Title: "Teleradiotherapy Technique Value Set"
Description: "Codes describing the techniques of teleradiotherapy (external beam) procedures."
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
* include codes from valueset TeleradiotherapyPhotonBeamTechniqueVS
* include codes from valueset TeleradiotherapyElectronBeamTechniqueVS
* include codes from valueset TeleradiotherapyNeutronTechniqueVS
* include codes from valueset TeleradiotherapyCarbonIonBeamTechniqueVS
* include codes from valueset TeleradiotherapyProtonBeamTechniqueVS


ValueSet: TeleradiotherapyPhotonBeamTechniqueVS
Id: mcode-teleradiotherapy-photon-beam-technique-vs
Title: "Photon Beam Technique Value Set"
Description: "Allowed techniques for photon beam modality"
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
* SCT#441799006 "Intensity modulated radiation therapy (procedure)"
* SCT#1156530009 "Volumetric Modulated Arc Therapy (procedure)"
* SCT#1162782007 "Three dimensional external beam radiation therapy (procedure)"
* SCT#1156526006 "Two dimensional external beam radiation therapy (procedure)"
* SCT#168524008 "Radiotherapy - intraoperative control (procedure)"
* SCT#1163157007 "Ultra high dose rate radiotherapy (procedure)"

ValueSet: TeleradiotherapyElectronBeamTechniqueVS
Id: mcode-teleradiotherapy-electron-beam-technique-vs
Title: "Electron Beam Technique Value Set"
Description: "Allowed techniques for electron beam modality"
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
* SCT#1162782007 "Three dimensional external beam radiation therapy (procedure)"
* SCT#1156526006 "Two dimensional external beam radiation therapy (procedure)"
* SCT#168524008 "Radiotherapy - intraoperative control (procedure)"
* SCT#1163157007 "Ultra high dose rate radiotherapy (procedure)"

ValueSet: TeleradiotherapyNeutronTechniqueVS
Id: mcode-teleradiotherapy-neutron-beam-technique-vs
Title: "Neutron Beam Technique Value Set"
Description: "Allowed techniques for neutron beam modality"
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
* SCT#169317000 "Neutron capture therapy (procedure)"
* SCT#1162782007 "Three dimensional external beam radiation therapy (procedure)"

ValueSet: TeleradiotherapyCarbonIonBeamTechniqueVS
Id: mcode-teleradiotherapy-carbon-ion-beam-technique-vs
Title: "Carbon Ion Beam Technique Value Set"
Description: "Allowed techniques for carbon ion beam modality"
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
* SCT#1156529004 "External beam radiation therapy using particle passive scattering technique (procedure)"
* SCT#1156528007 "External beam radiation therapy using particle spot scanning technique (procedure)"
* SCT#1204242009 "External beam radiation therapy using particle scanning technique (procedure)"
// * SCT#1156525005 "Mixed beam external beam radiation therapy (procedure)" -- removed by RTTD Terminology decision 9/21

ValueSet: TeleradiotherapyProtonBeamTechniqueVS
Id: mcode-teleradiotherapy-proton-beam-technique-vs
Title: "Proton Beam Technique Value Set"
Description: "Allowed techniques for proton beam modality"
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
* SCT#1156529004 "External beam radiation therapy using particle passive scattering technique (procedure)"
* SCT#1156528007 "External beam radiation therapy using particle spot scanning technique (procedure)"
* SCT#1204242009 "External beam radiation therapy using particle scanning technique (procedure)"
// * SCT#1156525005 "Mixed beam external beam radiation therapy (procedure)" -- RTTD Terminology decision 9/21
* SCT#1163157007 "Ultra high dose rate radiotherapy (procedure)"


ValueSet: BrachytherapyTechniqueVS
Id: mcode-brachytherapy-technique-vs
Title: "Brachytherapy Technique Value Set"
Description: "Codes describing the techniques of brachytherapy (internal or surface radiation) procedures."
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
* include codes from valueset BrachytherapyPermanentSeedsTechniqueVS
* include codes from valueset BrachytherapyLowDoseRateTemporaryTechniqueVS
* include codes from valueset BrachytherapyPulsedDoseRateTechniqueVS
* include codes from valueset BrachytherapyHighDoseRateTechniqueVS
* include codes from valueset BrachytherapyHighDoseRateElectronicTechniqueVS
* include codes from valueset BrachytherapyRadiopharmaceuticalTechniqueVS
//* SCT#384692006 "Intracavitary brachytherapy (procedure)"
//* SCT#1156382005 "Intensity modulated intracavitary brachytherapy (procedure)"
//* SCT#113120007 "Interstitial brachytherapy (procedure)"
//* SCT#1156383000 "Intravascular brachytherapy (procedure)"
//* SCT#384691004 "Intraluminal brachytherapy (procedure)"
//* SCT#168524008 "Radiotherapy - intraoperative control (procedure)"
//* SCT#14473006 "Surface brachytherapy (procedure)"
//* SCT#16560241000119104 "Oral radionuclide therapy (procedure)"

ValueSet: BrachytherapyPermanentSeedsTechniqueVS
Id: mcode-brachytherapy-permanent-seeds-technique-vs
Title: "Brachytherapy Permanent Seeds Technique Value Set"
Description: "Allowed techniques for brachytherapy modality internal radiotherapy - permanent seeds"
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
* SCT#113120007 "Interstitial brachytherapy (procedure)"

ValueSet: BrachytherapyLowDoseRateTemporaryTechniqueVS
Id: mcode-brachytherapy-low-dose-rate-temporary-technique-vs
Title: "Brachytherapy Low Dose Rate Temporary Radiation Technique Value Set"
Description: "Allowed techniques for brachytherapy modality Low Dose Rate using temporary radiation source"
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
* SCT#384692006 "Intracavitary brachytherapy (procedure)"
* SCT#113120007 "Interstitial brachytherapy (procedure)"
* SCT#14473006 "Surface brachytherapy (procedure)"

ValueSet: BrachytherapyPulsedDoseRateTechniqueVS
Id: mcode-brachytherapy-pulsed-dose-rate-technique-vs
Title: "Brachytherapy Pulsed Dose Rate Technique Value Set"
Description: "Allowed techniques for brachytherapy modality Pulsed Dose Rate"
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
* SCT#384692006 "Intracavitary brachytherapy (procedure)"
* SCT#113120007 "Interstitial brachytherapy (procedure)"

ValueSet: BrachytherapyHighDoseRateTechniqueVS
Id: mcode-brachytherapy-high-dose-rate-technique-vs
Title: "Brachytherapy High Dose Rate Technique Value Set"
Description: "Allowed techniques for brachytherapy modality High Dose Rate"
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
* SCT#384692006 "Intracavitary brachytherapy (procedure)"
* SCT#1156382005 "Intensity modulated intracavitary brachytherapy (procedure)"
* SCT#113120007 "Interstitial brachytherapy (procedure)"
* SCT#1156383000 "Intravascular brachytherapy (procedure)"
* SCT#384691004 "Intraluminal brachytherapy (procedure)"
* SCT#168524008 "Radiotherapy - intraoperative control (procedure)"
* SCT#14473006 "Surface brachytherapy (procedure)"

ValueSet: BrachytherapyHighDoseRateElectronicTechniqueVS
Id: mcode-brachytherapy-high-dose-rate-electronic-technique-vs
Title: "Brachytherapy High Dose Rate Electronic Technique Value Set"
Description: "Allowed techniques for brachytherapy modality High Dose Rate electronic"
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
* SCT#384692006 "Intracavitary brachytherapy (procedure)"
* SCT#1156382005 "Intensity modulated intracavitary brachytherapy (procedure)"
* SCT#113120007 "Interstitial brachytherapy (procedure)"
* SCT#384691004 "Intraluminal brachytherapy (procedure)"
* SCT#168524008 "Radiotherapy - intraoperative control (procedure)"
* SCT#14473006 "Surface brachytherapy (procedure)"

ValueSet: BrachytherapyRadiopharmaceuticalTechniqueVS
Id: mcode-brachytherapy-radiopharmaceutical-technique-vs
Title: "Brachytherapy Radiopharmaceutical Technique Value Set"
Description: "Allowed techniques for brachytherapy modality radiopharmaceutical"
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
* SCT#16560241000119104 "Oral radionuclide therapy (procedure)"
* SCT#1156383000 "Intravascular brachytherapy (procedure)"
* SCT#384692006 "Intracavitary brachytherapy (procedure)"
* SCT#113120007 "Interstitial brachytherapy (procedure)"

ValueSet: RadiotherapyTechniqueVS
Id: mcode-radiotherapy-technique-vs
Title: "Radiotherapy Technique Value Set"
Description: "Codes describing the techniques of external beam and brachytherapy radiation procedures, for use with radiotherapy summaries. This is the union of the EBRT and brachytherapy technique value sets."
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
// Union of EBRT and brachytherapy value sets
* include codes from valueset TeleradiotherapyTechniqueVS
* include codes from valueset BrachytherapyTechniqueVS
* NULLFLAVOR#UNC "un-encoded" // .text must be provided

ValueSet: RadiotherapyVolumeTypeVS
Id: mcode-radiotherapy-volume-type-vs
Title: "Radiotherapy Volume Type Value Set"
Description: "Codes describing the types of body volumes used in radiotherapy planning and treatment. The value set includes the most common codes from DICOM CID 9534 Radiotherapy Targets (UID 1.2.840.10008.6.1.1244) and adds a code for Organs at Risk (OAR)."
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
* SCT#228793007 "Planning target volume (observable entity)"
* SCT#228791009 "Gross tumor volume (observable entity)"
* SCT#228792002 "Clinical target volume (observable entity)"
* SCT#1162586008 "Irradiated volume of organ at risk (observable entity)"
* SCT#1201745009 "Internal target volume (observable entity)"
* SCT#1201746005 "Internal gross tumor volume (observable entity)"

ValueSet: RadiotherapyTreatmentLocationQualifierVS
Id: mcode-radiotherapy-treatment-location-qualifier-vs
Title: "Radiotherapy Treatment Location Qualifier Value Set"
Description: "Various modifiers that can be applied to body locations where radiotherapy treatments can be directed."
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
* include codes from system SCT where concept descendant-of #258399006  "Lymph node level value (qualifier value)"  // I, II, III, IV, V, VI, VII and sub-levels
* exclude SCT#258399006 // the top level abstract code is excluded
* include codes from valueset LateralityQualifierVS
// * SCT#255549009    "Anterior (qualifier value)" -- NOT USED BY TG263
// * SCT#255551008    "Posterior (qualifier value)" -- NOT USED BY TG263
* SCT#277733009  "Level 1 (qualifier value)"
* SCT#277734003  "Level 2 (qualifier value)"
* SCT#277735002  "Level 3 (qualifier value)"
* SCT#261089000  "Inferior (qualifier value)"
* SCT#264217000  "Superior (qualifier value)"
* SCT#261183002  "Upper (qualifier value)"
* SCT#261122009  "Lower (qualifier value)"
* SCT#260528009  "Middle (qualifier value)"
* SCT#46053002   "Distal (qualifier value)"
* SCT#40415009   "Proximal (qualifier value)"
* SCT#255204007   "Multiple (qualifier value)"
* SCT#255503000  "Entire (qualifier value)" // flagged spuriously as invalid
* SCT#255609007  "Partial (qualifier value)"
// we need left, right, right and left in this value set, because there is no laterality qualifier in the Radiotherapy Volume Profile 
// MK restored 7/26/2023
* SCT#7771000    "Left (qualifier value)"
* SCT#24028007    "Right (qualifier value)"
* SCT#51440002    "Right and left (qualifier value)"
* SCT#14414005   "Peripheral (qualifier value)"
* SCT#26216008   "Central (qualifier value)"
* SCT#260235002  "Core (qualifier value)"
* SCT#410679008  "Surface (qualifier value)"
* SCT#260521003  "Internal (qualifier value)"
* SCT#261074009  "External (qualifier value)"
* SCT#260548002  "Oral (qualifier value)"
* SCT#18769003   "Juxta-posed (qualifier value)" // aka "Adjacent"
* SCT#1217011006 "Non-adjacent (qualifier value)"
* SCT#258400004 "Lymph node level I (qualifier value)"
* SCT#1162616006 "Lymph node level IA (qualifier value)"
* SCT#1162617002 "Lymph node level IB (qualifier value)"
* SCT#258401000 "Lymph node level II (qualifier value)"
* SCT#1284814003 "Lymph node level IIA (qualifier value)"        // requested 2/22/23 USCRS-34777
* SCT#1284815002 "Lymph node level IIB (qualifier value)"        // requested 2/22/23 USCRS-34775
* SCT#258402007 "Lymph node level III (qualifier value)"
* SCT#258403002 "Lymph node level IV (qualifier value)"
* SCT#1162620005 "Lymph node level IVA (qualifier value)"
* SCT#1162621009 "Lymph node level IVB (qualifier value)"
* SCT#258404008 "Lymph node level V (qualifier value)"
* SCT#1162622002 "Lymph node level VA (qualifier value)"
* SCT#1162623007 "Lymph node level VB (qualifier value)"
* SCT#1162624001 "Lymph node level VC (qualifier value)"
* SCT#258405009 "Lymph node level VI (qualifier value)"
* SCT#1162625000 "Lymph node level VIA (qualifier value)"
* SCT#1162626004 "Lymph node level VIB (qualifier value)"
* SCT#395168005 "Lymph node level VII (qualifier value)"
* SCT#1162628003 "Lymph node level VIIA (qualifier value)"
* SCT#1162627008 "Lymph node level VIIB (qualifier value)"
* SCT#1162618007 "Lymph node level VIII (qualifier value)"
* SCT#1162619004 "Lymph node level IX (qualifier value)"
* SCT#1162614009 "Lymph node level X (qualifier value)"
* SCT#1162615005 "Lymph node level XA (qualifier value)"
* SCT#1162613003 "Lymph node level XB (qualifier value)"


ValueSet: RadiotherapyTreatmentLocationVS
Id: mcode-radiotherapy-treatment-location-vs
Title: "Radiotherapy Treatment Location Value Set"
Description: "Codes describing the body locations where radiotherapy treatments can be directed. Based on TG263."
* insert SNOMEDCopyrightForVS
* ^extension[FMM].valueInteger = 3
* ^experimental = false
* ^status = #active
* SCT#15825003 "Aortic structure (body structure)" // Aorta
* SCT#54247002 "Ascending aorta structure (body structure)" // Ascending Aorta
* SCT#425444002 "Branch of brachiocephalic artery (body structure)" // Brachiocephalic Artery
* SCT#69105007 "Carotid artery structure (body structure)" // Common Carotid Artery
* SCT#57850000 "Structure of celiac artery (body structure)" // Celiac Artery
* SCT#41801008 "Coronary artery structure (body structure)" // Coronary Artery
* SCT#7657000 "Structure of femoral artery (body structure)" // Femoral Artery Left
* SCT#244314003 "Circumflex humeral artery (body structure)" // Circumflex Humeral Artery Left
* SCT#74200005 "Structure of inferior hypophyseal artery (body structure)" // Hypophyseal Artery Inferior
* SCT#55601007 "Structure of superior hypophyseal artery (body structure)" // Hypophyseal Artery Superior
* SCT#244327004 "Circumflex iliac artery (body structure)" // Circumflex Left Iliac Artery
* SCT#113269004 "Structure of external iliac artery (body structure)" // External iliac artery Left
* SCT#90024005 "Structure of internal iliac artery (body structure)" // Internal iliac artery Left
* SCT#73634005 "Common iliac artery structure (body structure)" // Common iliac artery Left
* SCT#33795007 "Structure of anterior descending branch of left coronary artery (body structure)" // Anterior interventricular branch of LCA (left anterior descending artery)
* SCT#42258001 "Superior mesenteric artery structure (body structure)" // Superior mesenteric artery
* SCT#81040000 "Pulmonary artery structure (body structure)" // Pulmonary Artery
* SCT#36765005 "Structure of subclavian artery (body structure)" // Subclavian Artery
* SCT#85234005 "Structure of vertebral artery (body structure)" // Vertebral arteries
* SCT#37783008 "Bone structure of acetabulum (body structure)" // Acetabulum
* SCT#89187006 "Airway structure (body structure)" // Distal Airway
* SCT#123956007 "Anus part (body structure)" // Anus
* SCT#66754008 "Appendix structure (body structure)" // Appendix
* SCT#77578007 "Arytenoid cartilage structure (body structure)" // Arytenoid cartilage
* SCT#59652004 "Atrial structure (body structure)" // Atrium of the heart
* SCT#79741001 "Common bile duct structure (body structure)" // Common bile duct
* SCT#89837001 "Urinary bladder structure (body structure)" // Urinary Bladder
* SCT#393006 "Structure of wall of urinary bladder (body structure)" // Bladder Wall
* SCT#119186007 "Bone part (body structure)" // Bone
* SCT#52374004 "Ethmoid bone structure (body structure)" // Ethmoid Bone
* SCT#74872008 "Frontal bone structure (body structure)" // Frontal Bone
* SCT#21387005 "Hyoid bone structure (body structure)" // Hyoid Bone
* SCT#22356005 "Bone structure of ilium (body structure)" // Ilium
* SCT#421793000 "Bone structure of incus (body structure)" // Incus
* SCT#85710004 "Bone structure of ischium (body structure)" // Ischium Left
* SCT#6229007 "Lacrimal bone structure (body structure)" // Lacrimal Bone
* SCT#91609006 "Bone structure of mandible (body structure)" // Mandible
* SCT#59066005 "Mastoid structure (body structure)" // Both Mastoids
* SCT#74386004 "Nasal bone structure (body structure)" // Nasal Bone
* SCT#31640002 "Occipital bone structure (body structure)" // Occipital Bone
* SCT#51283005 "Palatine bone structure (body structure)" // Palatine  bone
* SCT#24924006 "Parietal bone structure (body structure)" // Parietal bone
* SCT#118645006 "Structure of innominate bone and/or sacrum and/or coccyx (body structure)" // Pelvic Bones (Bony Pelvis)
* SCT#73117003 "Sphenoid bone structure (body structure)" // Sphenoid Bone
* SCT#60911003 "Temporal bone structure (body structure)" // Temporal Bone
* SCT#13881006 "Zygomatic bone structure (body structure)" // Zygomatic Bone Left
* SCT#14016003 "Bone marrow structure (body structure)" // Bone Marrow
* SCT#5798000 "Diaphragm structure (body structure)" // Diaphragm
* SCT#113276009 "Intestinal structure (body structure)" // <none>
* SCT#14742008 "Structure of large intestine (body structure)" // Large Bowel
* SCT#30315005 "Structure of small intestine (body structure)" // Small Bowel (small intestine)
* SCT#36582005 "Brachial plexus structure (body structure)" // Brachial plexus Left
* SCT#12738006 "Brain structure (body structure)" // Brain
* SCT#15926001 "Brainstem structure (body structure)" // Brain Stem
* SCT#76752008 "Breast structure (body structure)" // Breast Left
* SCT#955009 "Bronchial structure (body structure)" // Bronchial tree
* SCT#102297006 "Main bronchus structure (body structure)" // Main Bronchus
* SCT#34381000 "Anal canal structure (body structure)" // Anal Canal
* SCT#28700002 "Structure of carina of trachea (body structure)" // Carina
* SCT#38848004 "Duodenal structure (body structure)" // Small bowel - Duodenum
* SCT#7173007 "Cauda equina structure (body structure)" // Cauda equina
* SCT#9284003 "Corpus cavernosum structure (body structure)" // Penis Corpus Cavernosum
* SCT#279549004 "Nasal cavity structure (body structure)" // Nasal Cavity
* SCT#74262004 "Oral cavity structure (body structure)" // Oral cavity
* SCT#32713005 "Cecum structure (body structure)" // Large bowel - Cecum
* SCT#113305005 "Cerebellar structure (body structure)" // Cerebellum
* SCT#83678007 "Structure of cerebrum (body structure)" // Cerebrum
* SCT#71252005 "Cervix uteri structure (body structure)" // Cervix of uterus
* SCT#78904004 "Chest wall structure (body structure)" // Chest wall
* SCT#369387006 "Structure of cisterna pontis (body structure)" // Pontine Cistern
* SCT#60075002 "Cervical esophagus structure (body structure)" // Upper Esophagus (cervical)
* SCT#51299004 "Bone structure of clavicle (body structure)" // Clavicle Left
* SCT#56193007 "Oculomotor nerve structure (body structure)" // Third Cranial Nerve (Oculomotor nerve)
* SCT#21161002 "Glossopharyngeal nerve structure (body structure)" // Ninth Cranial Nerve (Glossopharyngeal nerve)
* SCT#27612005 "Trigeminal nerve structure (body structure)" // Fifth Cranial Nerve (Trigeminal nerve)
* SCT#80622005 "Abducens nerve structure (body structure)" // Sixth Cranial Nerve (Abducens nerve)
* SCT#56052001 "Facial nerve structure (body structure)" // Seventh Cranial Nerve (Facial)
* SCT#8598002 "Vestibulocochlear nerve structure (body structure)" // Eighth Cranial (Vestibulocochlear) Nerve
* SCT#15119000 "Accessory nerve structure (body structure)" // Eleventh Cranial Nerve (Spinal accessory nerve)
* SCT#37899009 "Hypoglossal nerve structure (body structure)" // Twelfth Cranial Nerve (Hypoglossal nerve)
* SCT#80169004 "Cochlear structure (body structure)" // Cochlea
* SCT#71854001 "Colon structure (body structure)" // Colon
* SCT#9040008 "Ascending colon structure (body structure)" // Large bowel - Ascending colon
* SCT#32622004 "Descending colon structure (body structure)" // Large bowel - Descending colon
* SCT#81745001 "Structure of eye proper (body structure)" // Set of eyes
* SCT#60184004 "Sigmoid colon structure (body structure)" // Large bowel - Sigmoid colon
* SCT#485005 "Transverse colon structure (body structure)" // Large bowel -Transverse colon
* SCT#28726007 "Corneal structure (body structure)" // Cornea
* SCT#36743005 "Structure of cribriform plate (body structure)" // Cribriform Plate
* SCT#8600008 "Cricoid cartilage structure (body structure)" // Cricoid cartilage
* SCT#28276008 "Structure of cricopharyngeal part of inferior constrictor pharyngeus muscle (body structure)" // Cricopharyngeal part of inferior pharyngeal constrictor
* SCT#28231008 "Gallbladder structure (body structure)" // Gall bladder
* SCT#71934003 "Genital structure (body structure)" // Genitals
* SCT#13561001 "Lacrimal gland structure (body structure)" // Lacrimal Gland
* SCT#117590005 "Ear structure (body structure)" // External Ear Left
* SCT#111002 "Parathyroid structure (body structure)" // Parathyroid gland
* SCT#127949000 "Elbow region structure (body structure)" // Elbow
* SCT#32849002 "Esophageal structure (body structure)" // Esophagus
* SCT#88481005 "Sublingual gland structure (body structure)" // Sublingual gland
* SCT#385296007 "Submandibular salivary gland structure (body structure)" // Submandibular Gland
* SCT#9875009 "Thymus gland structure (body structure)" // Thymus Gland
// * SCT#24571007  "Structure of distal epiphysis of femur (body structure)"   // Femur Base Left - DROPPED 11/2/21 by RTTD
* SCT#69748006 "Thyroid structure (body structure)" // Thyroid Gland
* SCT#2812003 "Structure of head of femur (body structure)" // Femur Head & Neck Left
* SCT#24136001 "Hip joint structure (body structure)" // Femoral Joint Left
* SCT#71341001 "Bone structure of femur (body structure)" // Femur  Whole
* SCT#29627003 "Structure of neck of femur (body structure)" // Femur Neck
* SCT#41111004 "Bone structure of shaft of femur (body structure)" // Femur Shaft Left
* SCT#87342007 "Bone structure of fibula (body structure)" // Fibula
* SCT#1307006 "Glottis structure (body structure)" // Glottis
* SCT#3711007 "Structure of great blood vessel (organ) (body structure)" // Great Vessels of the heart (aorta, vena cava S&I, pulmonary A&V)
* SCT#90228003 "Hard palate structure (body structure)" // Hard palate
* SCT#23451007 "Adrenal structure (body structure)" // Adrenal glands
* SCT#80891009 "Heart structure (body structure)" // Heart
* SCT#372073000 "Cerebral hemisphere structure (body structure)" // Hemisphere
* SCT#5366008 "Hippocampal structure (body structure)" // Hippocampus
* SCT#67923007 "Hypothalamic structure (body structure)" // Hypothalamus
* SCT#34516001 "Ileal structure (body structure)" // Small bowel - Ileum
* SCT#21306003 "Jejunal structure (body structure)" // Small bowel - Jejunum
* SCT#16953009 "Elbow joint structure (body structure)" // Elbow joint
* SCT#85537004 "Glenohumeral joint structure (body structure)" // Glenohumeral Joint
* SCT#711190000 "Structure of epiphyseal plate (body structure)" // <none>
* SCT#39352004 "Joint structure (body structure)" // <none>
* SCT#53620006 "Temporomandibular joint structure (body structure)" // Temperomandibular Joint
* SCT#6566002 "Cerebellar hemisphere structure (body structure)" // <none>
* SCT#50403003 "Structure of cortex of kidney (body structure)" // Renal cortex for both Kidneys
* SCT#74033008 "Structure of hilum of kidney (body structure)" // Renal Hilum for both Kidneys
* SCT#85050009 "Bone structure of humerus (body structure)" // Humerus Left
* SCT#64033007 "Kidney structure (body structure)" // Both Kidneys
* SCT#72696002 "Knee region structure (body structure)" // Knee
* SCT#81502006 "Hypopharyngeal structure (body structure)" // Laryngeal pharynx
* SCT#4596009 "Laryngeal structure (body structure)" // Larynx
* SCT#86483002 "Structure of supraglottic space (body structure)" // Supraglottic Larynx
* SCT#78076003 "Structure of lens of eye (body structure)" // Eye Lens
* SCT#6544009 "Structure of gastrohepatic ligament (body structure)" // Hepatogastric ligament
* SCT#81083006 "Both lips (body structure)" // Lips
* SCT#10200004 "Liver structure (body structure)" // Liver
* SCT#83251001 "Frontal lobe structure (body structure)" // Frontal Lobe
* SCT#25990002 "Renal pelvis structure (body structure)" // Renal pelvis Left
* SCT#31065004 "Occipital lobe structure (body structure)" // Occipital Lobe
* SCT#16630005 "Parietal lobe structure (body structure)" // Parietal Lobe
* SCT#78277001 "Temporal lobe structure (body structure)" // Temporal Lobe
* SCT#72410000 "Mediastinal structure (body structure)" // Mediastinum
* SCT#71616004 "Skeletal and/or smooth muscle structure (body structure)" // Muscle
* SCT#4866005 "Constrictor muscle of pharynx structure (body structure)" // Constrictor Muscle of Pharynx
* SCT#79368004 "Masseter muscle structure (body structure)" // Masseter Muscle
* SCT#52927003 "Structure of temporalis muscle (body structure)" // Temporal muscle - Right
* SCT#71836000 "Nasopharyngeal structure (body structure)" // Nasal part of pharynx
* SCT#59441001 "Structure of lymph node (body structure)" // Lymph Node
* SCT#16051009 "Structure of apical axillary lymph node (body structure)" // Set of apical axillary lymphatic vessels
* SCT#283001 "Structure of central axillary lymph node (body structure)" // Set of central axillary lymphatic vessels
* SCT#68171009 "Axillary lymph node structure (body structure)" // Axillary lymphatic chain Left
* SCT#33770006 "Structure of lateral axillary lymph node (body structure)" // Axillary lymphatic chain - Lateral Left
* SCT#69691007 "Structure of pectoral axillary lymph node (body structure)" // Axillary lymphatic chain - Pectoral Left
* SCT#12196003 "Structure of subscapular axillary lymph node (body structure)" // Axillary lymphatic chain - Subscapular Left
* SCT#196821008 "Structure of innominate lymph node (body structure)" // Lymph nodes of thorax - Brachiocephalic Left
* SCT#279816002 "Bronchopulmonary lymph node group (body structure)" // Lymph nodes of thorax - Bronchopulmonary Left
* SCT#196751009 "Structure of diaphragmatic lymph node (body structure)" // Lymph nodes of thorax - Diaphragmatic
* SCT#65349008 "Structure of external iliac lymph node (body structure)" // Lymph nodes of pelvis - External iliac
* SCT#245357003 "Structure of internal iliac lymph node (body structure)" // Lymph nodes of pelvis -  Internal iliac
* SCT#84219008 "Structure of iliac lymph node (body structure)" // Lymph nodes of pelvis -  common iliac
* SCT#245299000 "Internal iliac lymph node group (body structure)" // Lymph nodes of pelvis - internal iliac Left
* SCT#245295006 "Common iliac lymph node group (body structure)" // Lymph nodes of pelvis - common iliac Left
* SCT#245282001 "Internal mammary lymph node group (body structure)" // <none>
* SCT#279763008 "Inguinofemoral lymph node group (body structure)" // Lymph nodes of pelvis - inguinofemoral
* SCT#64038003 "Intercostal lymph node (body structure)" // Lymph nodes of thorax - Intercostal
* SCT#127938006 "Lymph node of aortopulmonary window (body structure)" // Lymph nodes of thorax - Ligamentum arteriosum
* SCT#62683002 "Mediastinal lymph node structure (body structure)" // Lymph nodes of thorax - Mediastinal
* SCT#81105003 "Cervical lymph node structure (body structure)" // Neck Lymph Node
* SCT#36086000 "Structure of obturator lymph node (body structure)" // Lymph nodes of pelvis - obturator Left
* SCT#35783009 "Structure of aortic lymph node (body structure)" // Lymph nodes of abdomen- para-aortic
* SCT#368550005 "Structure of paramammary lymph node (body structure)" // Lymph nodes of thorax - Paramammary Left
* SCT#82365008 "Structure of parasternal lymph node (body structure)" // Lymph nodes of thorax - Parasternal Left
* SCT#245294005 "Pelvic lymph node group (body structure)" // Pelvic Lymph Nodes Left
* SCT#245288002 "Portahepatis lymph node group (body structure)" // Porta hepatis
* SCT#45206002 "Nasal structure (body structure)" // Nose
* SCT#1187336003 "Presacral lymph node group (body structure)" // Lymph nodes of pelvis - presacral Left
* SCT#196662004 "Structure of intrapulmonary lymph node (body structure)" // Lymph nodes of thorax - Pulmonary Left
* SCT#76838003 "Structure of supraclavicular lymph node (body structure)" // Supraclavicular Lymph Node Left
* SCT#245283006 "Tracheobronchial lymph node group (body structure)" // Lymph nodes of thorax - Tracheobronchial
* SCT#84782009 "Peripheral nerve structure (body structure)" // Peripheral Nerve
* SCT#40958000 "Nerve root structure (body structure)" // Nerve Root
* SCT#244453006 "Structure of optic chiasma (body structure)" // Optic chiasm
* SCT#18234004 "Optic nerve structure (body structure)" // Optic nerve
* SCT#39607008 "Lung structure (body structure)" // Lung Left
* SCT#31094006 "Structure of lobe of lung (body structure)" // Lung - lower lobe of left
* SCT#34080009 "Malleus structure (body structure)" // Malleus
* SCT#70925003 "Bone structure of maxilla (body structure)" // Maxilla
* SCT#363654007 "Structure of orbit proper (body structure)" // Orbit Left
* SCT#31389004 "Oropharyngeal structure (body structure)" // Oral part of pharynx
* SCT#52410001 "Digastric muscle structure (body structure)" // Digastric muscle Left
* SCT#15497006 "Ovarian structure (body structure)" // Ovary
* SCT#18252004 "Structure of platysma muscle (body structure)" // Platysma Left
* SCT#76738006 "Structure of pterygoid muscle (body structure)" // Pterygoid muscles - Left
* SCT#22823000 "Structure of sternocleidomastoid muscle (body structure)" // Sternocleidomastoid Left
* SCT#49460000 "Soft palate structure (body structure)" // Soft palate
* SCT#46607005 "Nasal turbinate structure (body structure)" // Inferior Nasal Concha Left
* SCT#15776009 "Pancreatic structure (body structure)" // Pancreas
* SCT#64163001 "Structure of head of pancreas (body structure)" // Head of Pancreas
* SCT#73239005 "Structure of tail of pancreas (body structure)" // Tail of Pancreas
* SCT#45682005 "Structure of parametrium (body structure)" // Parametrium
* SCT#45289007 "Parotid gland structure (body structure)" // Pair of Parotid Glands
* SCT#52737000 "Structure of bulb of penis (body structure)" // Penile Bulb
* SCT#18911002 "Penile structure (body structure)" // Penis
* SCT#76848001 "Pericardial structure (body structure)" // Pericardium
* SCT#38864007 "Perineal structure (body structure)" // Perineum
* SCT#118762006 "Peritoneal sac structure (body structure)" // Peritoneal sac
* SCT#14106009 "Cardiac pacemaker, device (physical object)" // Pacemaker
* SCT#54066008 "Pharyngeal structure (body structure)" // Pharynx
* SCT#110822002 "Pancreas and jejunum (combined site) (body structure)" // The pancreatic jejuno junction - generated by surgical procedure
* SCT#45793000 "Pineal structure (body structure)" // Pineal gland
* SCT#56329008 "Pituitary structure (body structure)" // Pituitary gland
* SCT#49557009 "Pontine structure (body structure)" // Pons
* SCT#41216001 "Prostatic structure (body structure)" // Prostate
* SCT#1162492000 "Tumor bed (morphologic abnormality)" // Prostate Bed
* SCT#88938001 "Structure of lateral pterygoid muscle (body structure)" // Pterygoid muscles lateral - Left
* SCT#85002005 "Structure of medial pterygoid muscle (body structure)" // Pterygoid muscles medial - Left
* SCT#511000202101 "Rectum wall structure (body structure)" // Rectal Wall
* SCT#34402009 "Rectum structure (body structure)" // Large bowel - Rectum
* SCT#62397004 "Sacral plexus structure (body structure)" // Sacral Plexus
* SCT#41695006 "Scalp structure (body structure)" // <none>
* SCT#67183008 "Structure of condyloid process of mandible (body structure)" // Condyloid process of mandible - Right
* SCT#124002 "Structure of coronoid process of mandible (body structure)" // Coronoid process of mandible - Left
* SCT#12402003 "Scar (morphologic abnormality)" // Scar
* SCT#20233005 "Scrotal structure (body structure)" // Scrotum (skin & cremasteric fascia)
* SCT#64739004 "Seminal vesicle structure (body structure)" // Seminal vesicle
* SCT#54215007 "Ethmoid sinus structure (body structure)" // Ethmoidal Sinus
* SCT#82561000 "Symphysis pubis structure (body structure)" // Pubic Symphysis
* SCT#62413002 "Bone structure of radius (body structure)" // Radius Left
* SCT#55060009 "Frontal sinus structure (body structure)" // Frontal Sinus
* SCT#15924003 "Maxillary sinus structure (body structure)" // Maxillary Sinus
* SCT#5665001 "Retinal structure (body structure)" // Retina Left
* SCT#113197003 "Bone structure of rib (body structure)" // Any Rib volume
* SCT#48535007 "Bone structure of first rib (body structure)" // First Rib Left
* SCT#78247007 "Bone structure of second rib (body structure)" // Second rib Left
* SCT#25888004 "Bone structure of third rib (body structure)" // Third rib Left
* SCT#25523003 "Bone structure of fourth rib (body structure)" // Fourth rib Left
* SCT#15339008 "Bone structure of fifth rib (body structure)" // Fifth rib Left
* SCT#59558009 "Bone structure of sixth rib (body structure)" // Sixth rib Left
* SCT#24915002 "Bone structure of seventh rib (body structure)" // Seventh rib Left
* SCT#5953002 "Bone structure of eighth rib (body structure)" // Eighth rib Left
* SCT#22565002 "Bone structure of ninth rib (body structure)" // Ninth rib Left
* SCT#77644006 "Bone structure of tenth rib (body structure)" // Tenth rib Left
* SCT#58830002 "Bone structure of eleventh rib (body structure)" // Eleventh rib Left
* SCT#43993008 "Bone structure of twelfth rib (body structure)" // Twelfth rib Left
* SCT#39937001 "Skin structure (body structure)" // Skin
* SCT#1193560003 "Bone structure of thirteenth rib (body structure)" // Thirteenth   rib Left
* SCT#48014002 "Skin structure of perineum (body structure)" // <none>
* SCT#79601000 "Bone structure of scapula (body structure)" // Scapula Left
* SCT#75093004 "Skin structure of anterior abdominal wall (body structure)" // <none>
* SCT#1285442003 "Estimated contoured volume of bowel in peritoneal cavity using radiographic imaging (observable entity)" // Space occupied by bowel USCRS-34356
* SCT#1285443008 "Estimated contoured volume of small bowel in peritoneal cavity using imaging (observable entity)"  // Space occupied by small bowel USCRS-34358
* SCT#789564000 "Structure of retropharyngeal space (body structure)" // Retropharyngeal space
* SCT#1193554003 "Structure of retrostyloid space (body structure)" // Retrostyloid space
* SCT#41178004 "Structure of sphincter ani muscle (body structure)" // Internal Anal Sphincter
* SCT#61853006 "Spinal canal structure (body structure)" // Vertebral canal
* SCT#24999009 "Sphenoid sinus structure (body structure)" // Sphenoidal Sinus Left
* SCT#2748008 "Spinal cord structure (body structure)" // Spinal Cord
* SCT#54785003 "Cervical spinal cord structure (body structure)" // Spinal Cord Cervical
* SCT#60051002 "Lumbar spinal cord structure (body structure)" // Spinal Cord Lumbar
* SCT#89546000 "Bone structure of cranium (body structure)" // Skeletal system of head
* SCT#11478001 "Sacral spinal cord structure (body structure)" // Spinal Cord Sacral
* SCT#50800009 "Thoracic spinal cord structure (body structure)" // Spinal Cord Thoracic
* SCT#25270003 "Corpus spongiosum structure (body structure)" // Penis Corpus Spongiosum
* SCT#22718006 "Stapes structure (body structure)" // Stapes
* SCT#69695003 "Stomach structure (body structure)" // Stomach
* SCT#75415000 "Structure of suprapatellar bursa (body structure)" // Suprapatellar Structures
* SCT#67548002 "Structure of conjunctiva of left eye (body structure)" // <none>
* SCT#13014005 "Structure of conjunctiva of right eye (body structure)" // <none>
* SCT#8997002 "Space of ventricular system of brain (body structure)" // Ventricular System of the Brain
* SCT#13024002 "Tendon structure (body structure)" // <none>
* SCT#70567001 "Structure of quadriceps tendon (body structure)" // <none>
* SCT#40689003 "Testis structure (body structure)" // Testis
* SCT#37554007 "Spinal dura mater structure (body structure)" // <none>
* SCT#1732005 "Thoracic duct structure (body structure)" // Thoracic Duct
* SCT#78961009 "Splenic structure (body structure)" // Spleen
* SCT#35378004 "Structure of hilum of spleen (body structure)" // Splenic hilum
* SCT#21974007 "Tongue structure (body structure)" // Tongue
* SCT#181226008 "Entire tongue (body structure)" // <none>
* SCT#47975008 "Structure of root of tongue (body structure)" // <none>
* SCT#61344008 "Structure of body of tongue (body structure)" // <none>
* SCT#44567001 "Tracheal structure (body structure)" // Trachea
* SCT#87953007 "Ureteric structure (body structure)" // Both Ureters
* SCT#13648007 "Urethral structure (body structure)" // Urethra
* SCT#71553001 "Prostatic urethra structure (body structure)" // Prostatic Urethra
* SCT#35039007 "Uterine structure (body structure)" // Uterus
* SCT#72107004 "Structure of azygous vein (body structure)" // Azygos Vein
* SCT#8887007 "Structure of brachiocephalic vein (body structure)" // Brachiocephalic vein Left
* SCT#63507001 "Structure of external iliac vein (body structure)" // External iliac vein Left
* SCT#40300007 "Structure of internal iliac vein (body structure)" // Internal iliac vein Left
* SCT#75573002 "Tonsillar structure (palatine) (body structure)" // <none>
* SCT#46027005 "Structure of common iliac vein (body structure)" // Common iliac vein Right
* SCT#71585003 "Structure of external jugular vein (body structure)" // external  jugular vein left
* SCT#12123001 "Internal jugular vein structure (body structure)" // Internal jugular vein left
* SCT#32764006 "Portal vein structure (body structure)" // Portal Vein
* SCT#430757002 "Structure of pulmonary vein great vessel (body structure)" // Pulmonary vein
* SCT#9454009 "Structure of subclavian vein (body structure)" // Subclavian Vein
* SCT#35532006 "Vena caval structure (body structure)" // Inferior vena cava
* SCT#76784001 "Vaginal structure (body structure)" // Vagina
* SCT#279894000 "Inferior surface of vaginal cervix (body structure)" // <none>
* SCT#438074005 "Vaginal cuff (morphologic abnormality)" // Vaginal Cuff
* SCT#17401000 "Cardiac valve structure (body structure)" // Valve
* SCT#63190004 "Structure of jugular vein (body structure)" // Any Jugular Vein
* SCT#91134007 "Mitral valve structure (body structure)" // Mitral Valve
* SCT#39057004 "Pulmonary valve structure (body structure)" // Pulmonic Valve
* SCT#46030003 "Tricuspid valve structure (body structure)" // Tricuspid Valve
* SCT#21814001 "Cardiac ventricular structure (body structure)" // Ventricle (cardiac)
* SCT#46105003 "Vocal cord structure (body structure)" // Vocal Cords
* SCT#45292006 "Vulval structure (body structure)" // Vulva
* SCT#263355003 "Vaginal wall (body structure)" // Wall of vagina
* SCT#38266002 "Entire body as a whole (body structure)" // Only the body
* SCT#75330005 "Structure of red bone marrow (body structure)" // Active Bone Marrow
* SCT#52940008 "Thyroid cartilage structure (body structure)" // Thyroid cartilage
* SCT#15328005 "Structure of suprasellar region (body structure)" // Suprasellar Cistern
* SCT#34202007 "Aortic valve structure (body structure)" // Aortic Valve
* SCT#1172006 "Structure of odontoid process of axis (body structure)" // Cervical vertebrae - Bony part of dens of axis
* SCT#123037004 "Body structure (body structure)" // Contour encompassing body plus other external items
* SCT#3572006 "Structure of body of vertebra (body structure)" // Vertebral Body
* SCT#14806007 "Bone structure of atlas (body structure)" // Atlas - C1
* SCT#39976000 "Bone structure of axis (body structure)" // Axis - C2
* SCT#91116008 "Structure of body of third cervical vertebra (body structure)" // Cervical vertebra - C3
* SCT#14705001 "Structure of body of fourth cervical vertebra (body structure)" // Cervical vertebra - C4
* SCT#67479001 "Structure of body of fifth cervical vertebra (body structure)" // Cervical vertebra - C5
* SCT#88298007 "Structure of body of sixth cervical vertebra (body structure)" // Cervical vertebra - C6
* SCT#16126006 "Structure of body of seventh cervical vertebra (body structure)" // Cervical vertebra - C7
* SCT#73903008 "Bone structure of lumbar vertebra (body structure)" // Lumbar Vertebrae
* SCT#61032001 "Structure of body of first lumbar vertebra (body structure)" // Lumbar Vertebra L1
* SCT#53983007 "Structure of body of second lumbar vertebra (body structure)" // Lumbar Vertebra L2
* SCT#55492004 "Structure of body of third lumbar vertebra (body structure)" // Lumbar Vertebra L3
* SCT#71996003 "Structure of body of fourth lumbar vertebra (body structure)" // Lumbar Vertebra L4
* SCT#21799000 "Structure of body of fifth lumbar vertebra (body structure)" // Lumbar Vertebra L5
* SCT#87141009 "Sacral vertebra structure (body structure)" // Sacral Vertebra
* SCT#65985001 "Structure of first sacral vertebra (body structure)" // Sacral Vertebra S1
* SCT#11808007 "Structure of second sacral vertebra (body structure)" // Sacral Vertebra S2
* SCT#49967005 "Structure of third sacral vertebra (body structure)" // Sacral Vertebra S3
* SCT#69950008 "Structure of fourth sacral vertebra (body structure)" // Sacral Vertebra S4
* SCT#21452006 "Structure of fifth sacral vertebra (body structure)" // Sacral Vertebra S5
* SCT#35769007 "Bone structure of thoracic vertebra (body structure)" // Thoracic Vertebra
* SCT#56094003 "Structure of body of first thoracic vertebra (body structure)" // Thoracic Vertebra T1
* SCT#50060007 "Structure of body of second thoracic vertebra (body structure)" // Thoracic Vertebra T2
* SCT#73138009 "Structure of body of third thoracic vertebra (body structure)" // Thoracic Vertebra T3
* SCT#86197001 "Structure of body of fourth thoracic vertebra (body structure)" // Thoracic Vertebra T4
* SCT#6105006 "Structure of body of fifth thoracic vertebra (body structure)" // Thoracic Vertebra T5
* SCT#32430008 "Structure of body of sixth thoracic vertebra (body structure)" // Thoracic Vertebra T6
* SCT#71737002 "Structure of body of seventh thoracic vertebra (body structure)" // Thoracic Vertebra T7
* SCT#77435000 "Structure of body of eighth thoracic vertebra (body structure)" // Thoracic Vertebra T8
* SCT#33766003 "Structure of body of ninth thoracic vertebra (body structure)" // Thoracic Vertebra T9
* SCT#48405002 "Structure of body of tenth thoracic vertebra (body structure)" // Thoracic Vertebra T10
* SCT#52120002 "Structure of body of eleventh thoracic vertebra (body structure)" // Thoracic Vertebra T11
* SCT#280849005 "Structure of body of twelfth  thoracic vertebra (body structure)" // Thoracic Vertebra T12
* SCT#1186895000 "Structure of body of thirteenth  thoracic vertebra (body structure)" // Thoracic Vertebra T13
* SCT#1187337007 "Jugular Fossa (body structure)" // Jugular Fossa
* SCT#35763008 "Structure of posterior fossa of cranial cavity (body structure)" // Posterior Fossa
* SCT#87166008 "Vomer bone structure (body structure)" // Vomer
