# distmeta: make demo, make test.
GO        ?= go
BIN       := bin
STATICCHECK_VERSION := v0.8.2
DEMO_DIR  ?= $(CURDIR)/demo
DEMO_PORT ?= 8417

.PHONY: all build test test-short bench lint fmt demo clean deps

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags="-s -w" -o $(BIN)/ ./cmd/distmeta ./cmd/dmq

deps:
	@scripts/install-test-deps.sh

test: deps
	$(GO) test -count=1 ./...

test-short:
	$(GO) test -short ./...

bench: build
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...
	@scripts/bench-peers.sh

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

demo: build
	@scripts/demo.sh "$(DEMO_DIR)" "$(DEMO_PORT)"

clean:
	rm -rf $(BIN) $(DEMO_DIR)
