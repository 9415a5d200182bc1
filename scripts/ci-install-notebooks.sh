#!/usr/bin/env bash
# Installs what `scripts/run-notebooks.sh` needs, idempotently: Jupyter's notebook
# runner from Debian's packages (only when missing) and the Deno kernel, registered
# from the Deno that `npm ci` put in node_modules (the npm package carries the binary,
# so nothing is downloaded beyond the npm registry). Run after `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."

DENO=node_modules/.bin/deno
if [[ ! -x "$DENO" ]]; then
  echo "ci-install-notebooks: $DENO is missing; run 'npm ci' first (deno is a dev dependency)" >&2
  exit 1
fi

# Debian bookworm names: jupyter-nbconvert (the command), python3-nbclient (the
# executor it uses), jupyter-client (kernel specs and kernel management).
PACKAGES=(jupyter-nbconvert python3-nbclient jupyter-client)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if (( ${#missing[@]} > 0 )); then
  echo "ci-install-notebooks: installing ${missing[*]}"
  sudo=()
  if [[ "$(id -u)" != 0 ]]; then sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --force rewrites the kernelspec, so it always points at this checkout's deno binary.
"$DENO" jupyter --install --force 2>&1 | grep -v 'is unstable' || true
/usr/bin/jupyter kernelspec list 2>/dev/null | grep -q '^ *deno ' || {
  echo "ci-install-notebooks: the deno kernel is not registered with Jupyter" >&2
  exit 1
}
echo "ci-install-notebooks: $("$DENO" --version | head -1), nbconvert $(/usr/bin/jupyter nbconvert --version), kernel 'deno' registered"
