module m
foo bar (
	baz
)
replace <-!!!
retract (v1, v2]
require good v1.0.0
