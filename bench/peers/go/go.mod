module cprime.bench/peers/go

go 1.19
