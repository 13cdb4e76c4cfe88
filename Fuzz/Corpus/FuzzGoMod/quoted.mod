module "example.com/m\u0041"
require (
	"rsc.io/quote" v1.5.2

	// c
	x.y/z v1.0.0 //indirect; keep
) // after
replace a => b v1.0.0
retract "v1.0.0"
