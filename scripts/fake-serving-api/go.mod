module addressmatch.dev/scripts/fake-serving-api

go 1.24
