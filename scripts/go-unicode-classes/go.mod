module go-unicode-classes

go 1.25
