#!/usr/bin/env bash
# Installs what the build and the tests need, by Debian package name, only when missing.
# Safe to run repeatedly; `make run` and `make test` call it first.
set -euo pipefail
cd "$(dirname "$0")/.."

build_packages=(build-essential cmake g++ clang libclang-rt-14-dev
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libyaml-cpp-dev libssl-dev ca-certificates libgtest-dev libgmock-dev libmimalloc-dev ccache
  libsqlite3-dev libpq-dev libhyperscan-dev libhiredis-dev)
# postgresql, redis-server: the store and scale-out tests and bench/governance.sh start throwaway
# servers (the package's own service is not used); systemd and
# python3-yaml: tests/deploy checks the unit (systemd-analyze) and the Kubernetes manifest.
test_packages=(nodejs npm postgresql redis-server systemd python3-yaml)
bench_packages=(nginx-light wrk libbenchmark-dev valgrind)

wanted=("${build_packages[@]}")
if [[ "${1:-}" == "--test" || "${1:-}" == "--bench" ]]; then wanted+=("${test_packages[@]}"); fi
if [[ "${1:-}" == "--bench" ]]; then wanted+=("${bench_packages[@]}"); fi

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from outside Debian's packages on some machines; a working node+npm is enough.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs/}"); missing=("${missing[@]/npm/}")
fi
read -ra missing <<<"${missing[*]}"
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [[ "${1:-}" == "--test" ]]; then
  if [[ ! -d tests/integration/node_modules/openai ]]; then
    echo "setup: installing test clients (npm) into tests/integration/node_modules"
    (cd tests/integration && npm ci --no-audit --no-fund --silent 2>/dev/null ||
      npm install --no-audit --no-fund --silent)
  fi
fi
