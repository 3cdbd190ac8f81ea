# The rkt suite in Swift. `make demo` and `make test` are all a newcomer needs (Debian 12, as root).
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)

# Every Debian package the build, the tests, the demo and the benchmarks use.
PACKAGES := pkg-config libarchive-dev libdeflate-dev libssl-dev libgpgme-dev libcurl4-openssl-dev libmicrohttpd-dev \
	gnupg gpgv openssl ca-certificates python3 xz-utils bzip2 zstd gzip tar time \
	libsqlite3-dev libseccomp-dev appc-spec busybox-static skopeo umoci jq hyperfine \
	docker-registry runc crun curl sqlite3 strace zlib1g-dev liblzma-dev libbz2-dev libstdc++-12-dev \
	gcc libc6-dev containernetworking-plugins iptables iproute2

CONFIG ?= debug
BIN = $(shell swift build -c $(CONFIG) --show-bin-path 2>/dev/null)

.PHONY: setup build release test demo bench clean

## setup: install the system packages (skips apt when everything is already there)
setup:
	@command -v swift >/dev/null || { echo "setup: Swift 6 is expected at /opt/swift (see README)"; exit 1; }
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "setup: installing $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

## build: debug build of the four tools
build: setup
	swift build -c $(CONFIG)

## release: optimised tools with the Swift runtime, Foundation and the C libraries linked in
## statically, so a tool starts with few shared objects to load and bind. Generic types' metadata
## comes from accessor calls rather than from demangling a type name at its first use, which
## scans the binary's protocol conformance records for each of the name's requirements.
## Figures: bench/RESULTS.md.
RELEASE_SWIFTFLAGS := -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors
release: setup
	scripts/static-libs.sh .build/static-libs
	RKT_STATIC_STAGE1=1 PKG_CONFIG_PATH=$(CURDIR)/.build/static-libs swift build -c release --static-swift-stdlib --disable-local-rpath $(RELEASE_SWIFTFLAGS)
	@# stage1 is a static PIE (Package.swift): with a RUNPATH, glibc's start-up would abort it before main.
	@$$(swift build -c release --show-bin-path)/stage1 2>/dev/null; [ $$? = 254 ] || { echo "release: the built stage1 crashes at start (static PIE with a RUNPATH?); rebuild with: rm -rf .build/release .build/x86_64-unknown-linux-gnu/release && make release" >&2; exit 1; }

## test: unit and end-to-end tests (real gpg, reference actool, skopeo, umoci …)
test: setup
	swift build --build-tests
	swift test --parallel --num-workers 2

## demo: scripts/demo.sh, in a temporary directory: build a busybox ACI (reproducibly), validate it,
## sign it with a new key, trust the key, refuse a tampered copy, fetch it and run it as pods (root)
demo: build
	BIN=$(BIN) scripts/demo.sh

## bench: compare with the peer tools on this machine (ratios in the output)
bench: release
	BIN=$$(swift build -c release --show-bin-path) bench/run-all.sh

clean:
	rm -rf .build
