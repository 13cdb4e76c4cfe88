// Deprecated: use example.com/new
module example.com/m

go 1.21.0

toolchain go1.22.1

godebug (
	panicnil=1
)

require (
	golang.org/x/text v0.3.0 // indirect
	rsc.io/quote v1.5
)

exclude rsc.io/sampler v1.99.99

replace rsc.io/quote v1.5.2 => ../quote

// rationale
retract [v1.0.0, v1.0.5]

tool golang.org/x/tools/cmd/stringer

ignore ./testdata
