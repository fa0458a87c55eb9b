

Instance: TreatmentLocation-1
InstanceOf: USCoreLocation
Title: "Treatment Location 1"
Description: "An example treatment location."
Usage: #example
* meta.security = http://terminology.hl7.org/CodeSystem/v3-ActReason#HTEST
* type = v3-RoleCode#RADDX "Radiology diagnostics or therapeutics unit"
* name = "Joe's Radiotherapy Clinic"
* address
  * line = "123 Main Street"
  * city = "Peoria"
  * state = "IL"
