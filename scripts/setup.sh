#!/usr/bin/env bash
# Installs what the build and the tests need, by Debian package name, only when missing.
# Safe to run repeatedly; `make run` and `make test` call it first.
set -euo pipefail
cd "$(dirname "$0")/.."

build_packages=(build-essential cmake g++ clang libclang-rt-14-dev
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libyaml-cpp-dev libssl-dev ca-certificates libgtest-dev libgmock-dev libmimalloc-dev ccache
  libsqlite3-dev libpq-dev libhyperscan-dev libhiredis-dev nodejs npm)
# postgresql, redis-server: the store and scale-out tests and bench/governance.sh start throwaway
# servers (the package's own service is not used); systemd and
# python3-yaml: tests/deploy checks the unit (systemd-analyze) and the Kubernetes manifest.
# chromium: the admin UI's end-to-end test drives it headless (puppeteer-core).
test_packages=(postgresql redis-server systemd python3-yaml chromium)
bench_packages=(nginx-light wrk libbenchmark-dev valgrind)

wanted=("${build_packages[@]}")
if [[ "${1:-}" == "--test" || "${1:-}" == "--bench" ]]; then wanted+=("${test_packages[@]}"); fi
if [[ "${1:-}" == "--bench" ]]; then wanted+=("${bench_packages[@]}"); fi

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js builds the admin UI (ui/) at build time. It may come from outside Debian's packages on some machines; a working node+npm is enough.
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

# The admin UI's build tools (Vite) and libraries, from ui/package-lock.json.
if [[ ! -d ui/node_modules/vite || ui/package-lock.json -nt ui/node_modules/.package-lock.json ]]; then
  echo "setup: installing the admin UI's npm packages into ui/node_modules"
  (cd ui && npm ci --no-audit --no-fund --silent)
fi

if [[ "${1:-}" == "--test" ]]; then
  if [[ ! -d tests/integration/node_modules/openai ||
        ! -d tests/integration/node_modules/puppeteer-core ]]; then
    echo "setup: installing test clients (npm) into tests/integration/node_modules"
    (cd tests/integration && npm ci --no-audit --no-fund --silent 2>/dev/null ||
      npm install --no-audit --no-fund --silent)
  fi
fi
