#!/usr/bin/env bash
# Builds the library, then executes every notebook in notebooks/ top to bottom on the
# Deno kernel, as an analyst would, and fails on the first cell error or when a
# notebook runs longer than its time limit. Executed copies go to a scratch folder
# (the committed notebooks keep their outputs cleared).
#
#   bash scripts/run-notebooks.sh [notebooks/01-assignment.ipynb ...]
#
# Environment: NOTEBOOK_TIME_LIMIT (seconds per notebook, default 180;
# each runs in well under a minute on an idle 2-core machine),
# NOTEBOOKS_OUT (where executed copies go; default a temporary folder),
# NOTEBOOKS_HTML=1 (also export each executed notebook to HTML there, charts as static SVG),
# NOTEBOOKS_SKIP_BUILD=1 (use the dist/ already built),
# NOTEBOOKS_EXPORT=DIR (write each executed notebook as a page with its outputs, DIR/NAME.md:
# `npm run notebooks:export` makes docs/notebooks/ so).
# The pages in docs/notebooks/ must come from the current notebooks: CI fails otherwise.
# Needs `bash scripts/ci-install-notebooks.sh` once (Jupyter and the kernel).
set -euo pipefail
cd "$(dirname "$0")/.."

LIMIT="${NOTEBOOK_TIME_LIMIT:-180}"
OUT="${NOTEBOOKS_OUT:-$(mktemp -d -t notebooks.XXXXXX)}"
JUPYTER=/usr/bin/jupyter
[[ -x "$JUPYTER" ]] || JUPYTER="$(command -v jupyter || true)"
if [[ -z "$JUPYTER" ]]; then
  echo "run-notebooks: Jupyter is missing; run 'bash scripts/ci-install-notebooks.sh'" >&2
  exit 1
fi
# The kernelspec is per user, not per checkout: one registered from another clone (a CI
# run's, since deleted) names a deno binary that may be gone, and every cell would fail.
deno_kernel="$("$JUPYTER" kernelspec list --json 2>/dev/null | python3 -c '
import json, sys
spec = json.load(sys.stdin)["kernelspecs"].get("deno")
print(spec["spec"]["argv"][0] if spec else "")' || true)"
if [[ -z "$deno_kernel" ]]; then
  echo "run-notebooks: Jupyter has no deno kernel; run 'bash scripts/ci-install-notebooks.sh'" >&2
  exit 1
elif [[ ! -x "$deno_kernel" ]]; then
  echo "run-notebooks: the deno kernel runs $deno_kernel, which is not there (registered from another checkout?); run 'bash scripts/ci-install-notebooks.sh'" >&2
  exit 1
fi

# NOTEBOOKS_SKIP_BUILD=1 runs against the dist/ already there (e.g. while the build is broken by unrelated work).
[[ "${NOTEBOOKS_SKIP_BUILD:-}" == 1 ]] || npm run --silent build
# The display helper is plain TypeScript; check it strictly before running anything.
node_modules/.bin/deno check --quiet notebooks/lib/*.ts

if (( $# > 0 )); then notebooks=("$@"); else notebooks=(notebooks/*.ipynb); fi

# Type-check each notebook's code cells, joined into one module, against the public
# API's declarations (dist/index.d.ts) as a user's editor would: a renamed export or a
# changed type fails here, naming the cell, before anything runs (the kernel does not
# type-check). The modules sit beside lib/ so the notebooks' imports resolve unchanged.
trap 'rm -f notebooks/.check-*.ts' EXIT
python3 - "${notebooks[@]}" <<'PY'
import json, os, sys
for path in sys.argv[1:]:
    cells = json.load(open(path, encoding="utf-8"))["cells"]
    code = [f"// {os.path.basename(path)}, cell {i}\n" + "".join(c["source"]) for i, c in enumerate(cells) if c["cell_type"] == "code"]
    with open(os.path.join("notebooks", ".check-" + os.path.basename(path).removesuffix(".ipynb") + ".ts"), "w", encoding="utf-8") as out:
        out.write("\n".join(code) + "\n")
PY
if ! node_modules/.bin/tsc -p notebooks/tsconfig.check.json; then
  mkdir -p "$OUT" && cp notebooks/.check-*.ts "$OUT/"
  echo "run-notebooks: type errors above; $OUT/.check-NAME.ts holds a notebook's code cells, each after a '// NAME, cell N' line" >&2
  exit 1
fi
rm -f notebooks/.check-*.ts

# Notebooks are committed with outputs cleared (small diffs, no stale results, no data
# in the history); CI fails on one that has outputs, a local run only warns.
with_outputs="$(python3 - "${notebooks[@]}" <<'PY'
import json, sys
for path in sys.argv[1:]:
    cells = json.load(open(path, encoding="utf-8"))["cells"]
    if any(c.get("outputs") or c.get("execution_count") is not None for c in cells if c["cell_type"] == "code"):
        print(path)
PY
)"
if [[ -n "$with_outputs" ]]; then
  echo "run-notebooks: committed with outputs; clear them with 'jupyter nbconvert --clear-output --inplace' before committing:" $with_outputs >&2
  [[ "${CI:-}" != true ]] || exit 1
fi
# The readable pages (docs/notebooks/NAME.md) record the notebook they were made from.
if ! python3 scripts/export-notebooks.py check docs/notebooks "${notebooks[@]}"; then
  # Exporting is the fix; CI fails on a stale page, a local run only warns.
  [[ -n "${NOTEBOOKS_EXPORT:-}" || "${CI:-}" != true ]] || exit 1
fi
mkdir -p "$OUT"
export TZ=UTC
failed=()
for notebook in "${notebooks[@]}"; do
  name="$(basename "$notebook")"
  start=$SECONDS
  # `timeout` signals nbconvert's whole process group, so the kernel goes with it;
  # the per-cell timeout turns a hung cell into an error that names the cell.
  if timeout --kill-after=10 "$LIMIT" "$JUPYTER" nbconvert --to notebook --execute \
      --ExecutePreprocessor.kernel_name=deno \
      --ExecutePreprocessor.timeout="$LIMIT" \
      --output-dir "$OUT" --log-level WARN "$notebook"; then
    status=ok
  else
    code=$?
    status="FAILED (exit $code$( ((code == 124 || code == 137)) && echo ", over the ${LIMIT}s limit"))"
    failed+=("$name")
  fi
  echo "run-notebooks: $name $status in $((SECONDS - start))s"
  if [[ "$status" == ok && "${NOTEBOOKS_HTML:-}" == 1 ]]; then
    # The template keeps the SVG fallback whole (nbconvert 6.5's sanitizer empties it).
    "$JUPYTER" nbconvert --to html --template-file "$PWD/notebooks/export/lab-svg.html.j2" --log-level WARN --output-dir "$OUT" "$OUT/$name"
  fi
  if [[ "$status" == ok && -n "${NOTEBOOKS_EXPORT:-}" ]]; then
    python3 scripts/export-notebooks.py export "$NOTEBOOKS_EXPORT" "$OUT/$name"
  fi
done
echo "run-notebooks: executed copies in $OUT"
echo "notebooks: $(( ${#notebooks[@]} - ${#failed[@]} )) passed, ${#failed[@]} failed"
if (( ${#failed[@]} > 0 )); then
  echo "run-notebooks: ${#failed[@]} notebook(s) failed: ${failed[*]}" >&2
  exit 1
fi
