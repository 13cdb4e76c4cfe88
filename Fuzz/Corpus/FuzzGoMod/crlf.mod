module m
require x v1.0.0
// a
