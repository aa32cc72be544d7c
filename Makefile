# The two commands a user needs: `make run` and `make test`. Each does its own set-up first.
JOBS ?= $(shell nproc)
PORT ?= 4000
ARGS ?=

.PHONY: setup build run test debug fuzz bench format clean

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

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build build-debug build-fuzz
