# Everyday commands; CMake does the building (see CMakeLists.txt).
PREFIX ?= /usr/local
JOBS ?= $(shell nproc)

.PHONY: all release debug asan test demo bench fuzz fuzz-long install clean format setup

all: release

setup:
	@bash scripts/setup.sh

release: setup
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	@cmake --build build -j$(JOBS)

debug: setup
	@cmake -S . -B build-debug -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build build-debug -j$(JOBS)

asan: setup
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DDOCKET_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j$(JOBS)

# Every test, in a normal and a sanitizer build, plus a fuzz smoke run.
test:
	@bash scripts/test.sh

# The main job: a demo database built from generated history.
demo:
	@bash scripts/demo.sh

bench: release
	@bash bench/run.sh

fuzz: setup
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-60} bash scripts/test.sh fuzz

# Nightly-style: every fuzz target for 10 minutes, new coverage merged into
# the corpus kept in tests/fuzz/corpus/ (commit it).  `make test` keeps its
# 10-second smoke run.
fuzz-long: setup
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-600} FUZZ_KEEP=1 bash scripts/test.sh fuzz

install: release
	@cmake --install build

format:
	@clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tools/*.c' 'bench/*.c')

clean:
	@rm -rf build build-debug build-asan build-fuzz demo
