#!/usr/bin/env bash
# Checks the deployment artifacts in deploy/ as far as this machine can: the systemd unit with
# systemd-analyze verify (after `make install-files` into a temp DESTDIR), the Kubernetes
# manifest and the default config as YAML with what they must say, the default config through
# `switchyard check-config`, and the Dockerfile's stages. Docker and Kubernetes themselves are
# not on these machines. Usage: check_deploy.sh <repo> <switchyard binary>
set -uo pipefail
repo=$1
bin=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
check() {  # name, command...
  local name=$1
  shift
  if out=$("$@" 2>&1); then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
    echo "$out" | sed 's/^/     /'
  fi
}

install_files() {
  make -s -C "$repo" install-files DESTDIR="$tmp/root" BIN="$bin" &&
    test -x "$tmp/root/usr/local/bin/switchyard" &&
    test -f "$tmp/root/etc/switchyard/config.yaml" &&
    test -f "$tmp/root/usr/local/lib/systemd/system/switchyard.service" &&
    # A second install keeps an edited config.
    echo "# edited" >>"$tmp/root/etc/switchyard/config.yaml" &&
    make -s -C "$repo" install-files DESTDIR="$tmp/root" BIN="$bin" &&
    grep -q "# edited" "$tmp/root/etc/switchyard/config.yaml"
}
check "make install-files into a DESTDIR, keeping an edited config" install_files

verify_unit() {
  local unit="$tmp/switchyard.service"
  # verify checks that ExecStart's binary exists: point it at the installed one.
  sed "s|/usr/local/bin/switchyard|$tmp/root/usr/local/bin/switchyard|g" \
    "$tmp/root/usr/local/lib/systemd/system/switchyard.service" >"$unit"
  systemd-analyze verify "$unit" || return 1
  for directive in DynamicUser=yes ProtectSystem=strict NoNewPrivileges=yes ProtectHome=yes \
    'CapabilityBoundingSet=$'; do
    grep -q "^$directive" "$unit" || { echo "missing $directive"; return 1; }
  done
}
if command -v systemd-analyze >/dev/null; then
  check "systemd unit verifies and is hardened" verify_unit
else
  echo "skip systemd unit (systemd-analyze not installed: scripts/setup.sh --test)"
fi

check_yaml() {
  /usr/bin/python3 - "$repo" <<'PY'
import sys, yaml
repo = sys.argv[1]
docs = list(yaml.safe_load_all(open(f"{repo}/deploy/kubernetes/switchyard.yaml")))
kinds = {d["kind"]: d for d in docs if d}
assert set(kinds) == {"Deployment", "Service", "PodDisruptionBudget"}, kinds.keys()
spec = kinds["Deployment"]["spec"]["template"]["spec"]
c = spec["containers"][0]
assert c["readinessProbe"]["httpGet"]["path"] == "/health/readiness"
assert c["livenessProbe"]["httpGet"]["path"] == "/health/liveliness"
config = yaml.safe_load(open(f"{repo}/deploy/config.yaml"))
drain = config["switchyard_settings"]["drain_timeout"]
grace = spec["terminationGracePeriodSeconds"]
pre = int(c["lifecycle"]["preStop"]["exec"]["command"][1])
assert grace >= drain + pre, f"terminationGracePeriodSeconds {grace} < drain_timeout {drain} + preStop {pre}"
assert kinds["Deployment"]["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
assert kinds["PodDisruptionBudget"]["spec"]["minAvailable"] < kinds["Deployment"]["spec"]["replicas"]
sel = kinds["Service"]["spec"]["selector"]
assert sel.items() <= spec.get("labels", kinds["Deployment"]["spec"]["template"]["metadata"]["labels"]).items()
PY
}
check "Kubernetes manifest: probes, grace period >= drain_timeout + preStop, PDB" check_yaml

check_config() {
  LITELLM_MASTER_KEY=sk-test OPENAI_API_KEY=x ANTHROPIC_API_KEY=x DATABASE_URL="sqlite://$tmp/x.db" \
    "$bin" check-config "$repo/deploy/config.yaml" --strict
}
check "default config passes check-config --strict" check_config

check_dockerfile() {
  local f="$repo/deploy/docker/Dockerfile"
  [[ $(grep -c '^FROM ' "$f") -ge 2 ]] || { echo "not multi-stage"; return 1; }
  grep '^FROM ' "$f" | tail -1 | grep -q 'debian:bookworm-slim' || { echo "run stage is not bookworm-slim"; return 1; }
  grep -q '^USER ' "$f" || { echo "runs as root"; return 1; }
  # Every run-time package it names exists in the configured Debian archive.
  for p in $(sed -n '/FROM debian:bookworm-slim/,$p' "$f" | grep -oE '(^|[[:space:]])(lib[a-z0-9.+-]*[0-9]|ca-certificates)' | sort -u); do
    apt-cache show "$p" >/dev/null 2>&1 || { echo "no Debian package $p"; return 1; }
  done
}
check "Dockerfile: multi-stage, bookworm-slim, non-root, packages exist" check_dockerfile

echo "$passed passed, $failed failed"
((failed == 0))
