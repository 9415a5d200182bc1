#!/usr/bin/env python3
"""The notebooks as pages readable without running them: docs/notebooks/NAME.md, with
every output (text, tables, charts as SVG files beside the page).

  export-notebooks.py export OUT_DIR EXECUTED.ipynb...  write OUT_DIR/NAME.md from executed copies
  export-notebooks.py check OUT_DIR NOTEBOOK.ipynb...    fail if a page is missing or was made
                                                         from other sources than the notebook's

Each page records the SHA-256 of its notebook's cells (types and sources), so `check`
notices a notebook edited without exporting it again. `scripts/run-notebooks.sh` calls
both: with NOTEBOOKS_EXPORT=DIR it exports, and it always checks docs/notebooks/.
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

ANSI = re.compile(r"\x1b\[[0-9;]*m")
STAMP = re.compile(r"<!-- notebook: (\S+) cells-sha256: ([0-9a-f]{64}) -->")


def cells_sha256(path):
    """The hash of what a notebook says (cell types and sources), not of its outputs."""
    cells = json.load(open(path, encoding="utf-8"))["cells"]
    text = json.dumps([[c["cell_type"], "".join(c["source"])] for c in cells], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def export(out_dir, executed):
    os.makedirs(out_dir, exist_ok=True)
    for path in executed:
        name = os.path.basename(path).removesuffix(".ipynb")
        source = os.path.join("notebooks", name + ".ipynb")
        # The Deno kernel colours its text output; a page shows it plain.
        notebook = json.load(open(path, encoding="utf-8"))
        for cell in notebook["cells"]:
            for output in cell.get("outputs", []):
                if "text" in output:
                    output["text"] = ANSI.sub("", "".join(output["text"]))
                for mime, value in output.get("data", {}).items():
                    if mime.startswith("text/") and mime != "text/html":
                        output["data"][mime] = ANSI.sub("", "".join(value))
        # Charts are written beside the page; an earlier export's may have other names.
        shutil.rmtree(os.path.join(out_dir, name + "_files"), ignore_errors=True)
        plain = os.path.join(out_dir, f".{name}.ipynb")
        json.dump(notebook, open(plain, "w", encoding="utf-8"))
        try:
            subprocess.run(["jupyter", "nbconvert", "--to", "markdown", "--log-level", "WARN",
                            "--output-dir", out_dir, "--output", name, plain], check=True)
        finally:
            os.remove(plain)
        page = os.path.join(out_dir, name + ".md")
        body = open(page, encoding="utf-8").read()
        header = (f"<!-- notebook: {source} cells-sha256: {cells_sha256(source)} -->\n"
                  f"<!-- Made by `npm run notebooks:export` from {source}: edit the notebook, not this page. -->\n\n"
                  f"*This page is [{source}](../../{source}) with its outputs, as `npm run notebooks:export` ran it.*\n\n")
        open(page, "w", encoding="utf-8").write(header + body.rstrip() + "\n")
        print(f"export-notebooks: {page}")


def check(out_dir, notebooks):
    stale = []
    for source in notebooks:
        name = os.path.basename(source).removesuffix(".ipynb")
        page = os.path.join(out_dir, name + ".md")
        if not os.path.exists(page):
            stale.append(f"{page} is missing")
            continue
        stamp = STAMP.search(open(page, encoding="utf-8").read())
        if not stamp or stamp.group(2) != cells_sha256(source):
            stale.append(f"{page} was not made from the current {source}")
    for problem in stale:
        print(f"export-notebooks: {problem}", file=sys.stderr)
    if stale:
        print("export-notebooks: run 'npm run notebooks:export' and commit docs/notebooks/", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    command, out_dir, *paths = sys.argv[1:]
    {"export": export, "check": check}[command](out_dir, paths)
