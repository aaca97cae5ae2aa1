# systemd units (issue 3). `make systemd-check` verifies packaging/systemd with
# `systemd-analyze verify` and prints the offline `systemd-analyze security` review, in a
# scratch root that holds this machine's system units and stand-ins for the binaries (no
# running systemd needed). `swift test` (DialtoneSystemdTests.UnitFileTests) checks the same.

SYSTEMD_UNITS := dialtone.service dialtone.socket dialtone-control.socket
SYSTEMD_ROOT := $(CURDIR)/.build/systemd-root

.PHONY: systemd-check

systemd-check:
	rm -rf $(SYSTEMD_ROOT)
	mkdir -p $(SYSTEMD_ROOT)/usr/lib/systemd $(SYSTEMD_ROOT)/etc/systemd/system $(SYSTEMD_ROOT)/usr/bin $(SYSTEMD_ROOT)/bin
	cp -R /usr/lib/systemd/system $(SYSTEMD_ROOT)/usr/lib/systemd/
	cp $(addprefix packaging/systemd/,$(SYSTEMD_UNITS)) $(SYSTEMD_ROOT)/etc/systemd/system/
	cp /bin/true $(SYSTEMD_ROOT)/usr/bin/dialtoned
	cp /bin/true $(SYSTEMD_ROOT)/bin/kill
	systemd-analyze verify --root=$(SYSTEMD_ROOT) $(addprefix $(SYSTEMD_ROOT)/etc/systemd/system/,$(SYSTEMD_UNITS))
	systemd-analyze security --offline=true --root=$(SYSTEMD_ROOT) $(SYSTEMD_ROOT)/etc/systemd/system/dialtone.service
