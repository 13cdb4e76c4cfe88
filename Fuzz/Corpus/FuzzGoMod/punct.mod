module m
require a[b]c{d}e, ( ) f
exclude x/v2 v1.0.0
