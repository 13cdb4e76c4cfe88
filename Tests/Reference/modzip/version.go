//gomodkit:only current

package main

import "runtime"

var runtimeVersionValue = runtime.Version()
