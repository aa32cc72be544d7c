# The two commands a user needs: `make run` and `make test`. Each does its own set-up first.
JOBS ?= $(shell nproc)
PORT ?= 4000
ARGS ?=

.PHONY: setup build run test debug fuzz bench format clean install install-files

setup:
	@scripts/setup.sh

build: setup
	cmake --preset release -G "Unix Makefiles" >/dev/null
	cmake --build --preset release -j $(JOBS)
	@echo "built build/switchyard"

run: build
	build/switchyard serve --port $(PORT) $(ARGS)

debug:
	@scripts/setup.sh --test
	cmake --preset debug -G "Unix Makefiles" >/dev/null
	cmake --build --preset debug -j $(JOBS)

fuzz:
	@scripts/setup.sh
	cmake -S tests/fuzz -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build-fuzz -j $(JOBS)

test: debug fuzz
	ctest --preset debug -j 2

bench: build
	@scripts/setup.sh --bench
	bench/run.sh

# The binary, the default config (kept if one is there) and the systemd unit; DESTDIR for
# packaging. `make install-files` installs what is built without building (tests/deploy).
PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
BIN ?= build/switchyard
install: build install-files

install-files:
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/switchyard
	install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/switchyard
	test -e $(DESTDIR)$(SYSCONFDIR)/switchyard/config.yaml || \
	  install -m 0644 deploy/config.yaml $(DESTDIR)$(SYSCONFDIR)/switchyard/config.yaml
	sed 's|/usr/local/|$(PREFIX)/|g; s|/etc/switchyard/|$(SYSCONFDIR)/switchyard/|g' \
	  deploy/systemd/switchyard.service > switchyard.service.tmp
	install -D -m 0644 switchyard.service.tmp $(DESTDIR)$(PREFIX)/lib/systemd/system/switchyard.service
	rm -f switchyard.service.tmp
	install -D -m 0644 docs/deploy.md $(DESTDIR)$(PREFIX)/share/doc/switchyard/deploy.md

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build build-debug build-fuzz
