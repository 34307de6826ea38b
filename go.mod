module github.com/routesim/routesim

go 1.26.8

require (
	github.com/aws/smithy-go v1.28.8 // indirect
	github.com/emirpasic/gods v1.18.1 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
	pgregory.net/rapid v1.3.0 // indirect
)
