#!/usr/bin/env bash
# Installs what `scripts/run-notebooks.sh` needs, idempotently: Jupyter's notebook
# runner from Debian's packages (only the ones missing) and the Deno kernel, registered
# from the Deno that `npm ci` put in node_modules (the npm package carries the binary,
# so nothing is downloaded beyond Debian's mirror and the npm registry). Run after
# `npm ci`, as root (CI on a clean Debian machine) or as a user with sudo.
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
  status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
if (( ${#missing[@]} > 0 )); then
  echo "ci-install-notebooks: installing ${missing[*]}"
  sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || { echo "ci-install-notebooks: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  # A clean machine has no package lists yet; sudo keeps this variable via `env`.
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
JUPYTER=/usr/bin/jupyter
[[ -x "$JUPYTER" ]] || { echo "ci-install-notebooks: $JUPYTER is missing after installing ${PACKAGES[*]}" >&2; exit 1; }

# Without npm's install scripts (npm 11 skips deno's postinstall unless allowed),
# node_modules/.bin/deno is the package's bin.cjs, which links the platform binary
# from @deno/<platform> on first use; the kernelspec records that binary's path.
# --force rewrites the kernelspec, so it always points at this checkout's deno binary.
if ! output="$("$DENO" jupyter --install --force 2>&1)"; then
  echo "$output" >&2
  echo "ci-install-notebooks: 'deno jupyter --install' failed" >&2
  exit 1
fi
grep -v 'is unstable' <<<"$output" || true

# Check the registration as Jupyter sees it (read whole, so no pipe is cut short).
kernels="$("$JUPYTER" kernelspec list 2>/dev/null)"
if ! grep -q '^ *deno ' <<<"$kernels"; then
  echo "ci-install-notebooks: the deno kernel is not registered with Jupyter:" >&2
  echo "$kernels" >&2
  exit 1
fi
echo "ci-install-notebooks: $("$DENO" --version | sed -n 1p), nbconvert $("$JUPYTER" nbconvert --version), kernel 'deno' registered"
