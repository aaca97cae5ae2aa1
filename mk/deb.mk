# The Debian package (issue 5). `make deb` builds dist/dialtone_<version>_<arch>.deb
# with dpkg-buildpackage; `make test-deb` builds it, then installs, checks and purges
# it on this machine (root only). docs/packaging.md explains both.

DIALTONE_DEB_VERSION := $(shell dpkg-parsechangelog -l packaging/debian/changelog -S Version 2>/dev/null)
DIALTONE_DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null)
DIALTONE_DEB := dist/dialtone_$(DIALTONE_DEB_VERSION)_$(DIALTONE_DEB_ARCH).deb
# The source tree is staged afresh for every build; the SwiftPM cache beside it is
# kept, because a cold release build takes many minutes.
DIALTONE_DEB_WORK := .build-deb
DIALTONE_DEB_SRC := $(DIALTONE_DEB_WORK)/src/dialtone
DIALTONE_APT := DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y

TEST_EXTRA += test-deb

.PHONY: deb test-deb deb-build-deps clean-deb

clean: clean-deb
clean-deb:
	rm -rf $(DIALTONE_DEB_WORK) dist

deb: deb-build-deps
	@command -v swift >/dev/null || { echo "make deb: no swift on PATH; a Swift toolchain is not a Debian package, install it from swift.org" >&2; exit 1; }
	rm -rf $(DIALTONE_DEB_WORK)/src
	mkdir -p $(DIALTONE_DEB_SRC) dist
	git ls-files -z --cached --others --exclude-standard \
		| xargs -0 sh -c 'for f; do if [ -e "$$f" ]; then printf "%s\0" "$$f"; fi; done' sh \
		| tar --null -T - -cf - | tar -xf - -C $(DIALTONE_DEB_SRC)
	cp -R packaging/debian $(DIALTONE_DEB_SRC)/debian
	if [ -f Package.resolved ]; then cp Package.resolved $(DIALTONE_DEB_SRC)/; fi
	cd $(DIALTONE_DEB_SRC) && SWIFT_SCRATCH=$(abspath $(DIALTONE_DEB_WORK)/swift) \
		dpkg-buildpackage --build=binary --no-sign
	cp $(DIALTONE_DEB_WORK)/src/$(notdir $(DIALTONE_DEB)) $(DIALTONE_DEB)
	@echo "built $(DIALTONE_DEB)"

# Installs what `packaging/debian/control` asks for when it is missing (root only).
deb-build-deps:
	@if ! dpkg-checkbuilddeps packaging/debian/control 2>/dev/null; then \
		if [ "$$(id -u)" != 0 ]; then \
			dpkg-checkbuilddeps packaging/debian/control; \
			echo "make deb: run as root to install the build dependencies above" >&2; exit 1; \
		fi; \
		rm -rf $(DIALTONE_DEB_WORK)/deps && mkdir -p $(DIALTONE_DEB_WORK)/deps/debian; \
		cp packaging/debian/control packaging/debian/changelog $(DIALTONE_DEB_WORK)/deps/debian/; \
		$(DIALTONE_APT) --no-install-recommends build-dep ./$(DIALTONE_DEB_WORK)/deps \
			|| { $(DIALTONE_APT) update && $(DIALTONE_APT) --no-install-recommends build-dep ./$(DIALTONE_DEB_WORK)/deps; }; \
	fi

# Timed, because issue 5 bounds the whole check (release build included) to 10 minutes in CI.
test-deb:
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory deb; \
	if ! command -v lintian >/dev/null && [ "$$(id -u)" = 0 ]; then \
		$(DIALTONE_APT) --no-install-recommends install lintian \
			|| { $(DIALTONE_APT) update && $(DIALTONE_APT) --no-install-recommends install lintian; }; \
	fi; \
	Tests/packaging/test_deb.sh $(DIALTONE_DEB) $(DIALTONE_DEB_SRC)/Package.resolved; \
	echo "test-deb: built, installed, checked and purged in $$(( $$(date +%s) - start )) s"
