


ValueSet: RadiotherapyCategoryVS
Id: codexrt-radiotherapy-category-vs
Title: "Radiotherapy Category Code Max Value Set"
Description: "Category value set required to support backward compatibility by including an inactive SNOMED code"
* ^experimental = false
* insert SCTCopyright
* SCT#108290001 "Radiation oncology AND/OR radiotherapy (procedure)" // this code is inactive retained for backward compatiblity  
* $CodexRTCategoryCS#1287742003 "Radiotherapy (procedure)"           // this code is preferred/active