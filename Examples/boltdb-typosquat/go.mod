module example.com/boltapp

go 1.21

require github.com/boltdb-go/bolt v1.3.1
