# Thin wrapper around meson/ninja. `make demo` sets up a fresh Debian machine and runs a
# hardened container; `make test` runs every test suite the machine supports.
PREFIX ?= /usr/local
BUILD ?= build
MESON ?= meson

# Debian packages hull needs to build, test and demo. Installed only when missing.
DEB_PACKAGES = gcc meson ninja-build pkg-config libjson-c-dev libseccomp-dev libcap-dev \
	libcmocka-dev bats busybox-static jq iproute2 procps uidmap libcap2-bin

.PHONY: all deps build install demo test unit integration asan clean format format-check

all: build

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD)

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

install: build
	install -D -s -m 0755 $(BUILD)/src/cli/hull $(DESTDIR)$(PREFIX)/bin/hull

# The demo: a container on the built-in busybox rootfs, printing what it sees.
demo: deps build
	@bash tests/lib/demo.sh $(BUILD)

test: deps build
	@HULL_BUILD_DIR=$(CURDIR)/$(BUILD) bash tests/run-all.sh --no-build

unit: build
	@HULL_BUILD_DIR=$(CURDIR)/$(BUILD) bash tests/run-all.sh --no-build --suite unit

integration: build
	@HULL_BUILD_DIR=$(CURDIR)/$(BUILD) bash tests/run-all.sh --no-build --suite integration

# The escape suite (as root): every attack in tests/escape/attacks/ inside a hardened container; prints the
# table attack -> refused|ALLOWED and fails on any ALLOWED (docs/escape.md).
.PHONY: escape
escape: build
	@HULL_BUILD_DIR=$(CURDIR)/$(BUILD) bash tests/escape/run.sh --table

# Unit tests and the integration suite against an ASan/UBSan build (the static in-container
# helpers are built without sanitizers).
asan: deps
	test -f $(BUILD)-asan/build.ninja || $(MESON) setup $(BUILD)-asan -Db_sanitize=address,undefined \
		-Db_lundef=false --buildtype=debug
	ninja -C $(BUILD)-asan
	HULL_BUILD_DIR=$(CURDIR)/$(BUILD)-asan bash tests/run-all.sh --no-build --suite unit --suite integration

# The ecosystem matrix (podman, containerd, CRI, docker) against hull and against crun, side by side (root; about
# 10 minutes; installs the engines and crun when missing). COMPARE_WITH=runc for a runc column instead.
.PHONY: ecosystem-compare
ecosystem-compare: deps build
	bash tests/ecosystem/install.sh
	command -v $(or $(COMPARE_WITH),crun) >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $(or $(COMPARE_WITH),crun)
	HULL_BIN=$(CURDIR)/$(BUILD)/src/cli/hull bash tests/ecosystem/compare.sh --with $(or $(COMPARE_WITH),crun) \
		--out $(CURDIR)/$(BUILD)/ecosystem-compare.md

# Benchmarks side by side with crun and runc (root; about 8 minutes; installs crun, runc and gnuplot-nox from
# Debian when missing). Raw results in bench/results/, the table in docs/benchmarks.md. See bench/run.sh.
.PHONY: bench bench-smoke
bench: deps build
	bash bench/run.sh --build $(BUILD)

# The tiny setting (3 runs each, parallel N=5) that tests/integration/99-bench-smoke.bats runs; needs a built
# hull. Results go to $(BENCH_OUT) (default: a new temp directory); docs/ and bench/results/ are not touched.
bench-smoke:
	bash bench/run.sh --smoke --build $(BUILD) $(if $(BENCH_OUT),--out $(BENCH_OUT))

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(BUILD)-asan
