"""Neovim, headless, as the LSP client: it attaches `scholia serve` to the seed article and the
diagnostics it shows are the annotations `scholia annotate` finds, at the same places (Neovim
gives columns in bytes, so they are compared with annotate's UTF-8 positions)."""

import json
import os
import shutil
import subprocess

import pytest

from conftest import ROOT, SCHOLIA_BIN, SEED

SCRIPT = ROOT / "Tests" / "e2e" / "nvim" / "seed_diagnostics.lua"
NVIM = shutil.which("nvim")

pytestmark = pytest.mark.skipif(NVIM is None, reason="nvim is not installed (scripts/setup --test installs it)")


def annotate_utf8(path):
    out = subprocess.run(
        [SCHOLIA_BIN, "annotate", str(path), "--format", "json", "--position-encoding", "utf-8"],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout
    return json.loads(out)["annotations"]


def sourced_cue(annotation):
    return annotation["kind"] == "cue" and any(link["rel"] == "source" for link in annotation["links"])


def test_neovim_shows_the_seed_quotes(tmp_path):
    result_path = tmp_path / "result.json"
    env = dict(os.environ, SCHOLIA_BIN=SCHOLIA_BIN, SCHOLIA_FILE=str(SEED), SCHOLIA_RESULT=str(result_path),
               HOME=str(tmp_path), XDG_STATE_HOME=str(tmp_path / "state"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    proc = subprocess.run(
        [NVIM, "--headless", "--clean", "-n", "-c", f"luafile {SCRIPT}"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=90,
    )
    assert result_path.exists(), f"nvim wrote no result (status {proc.returncode}): {proc.stderr}"
    result = json.loads(result_path.read_text(encoding="utf-8"))
    assert proc.returncode == 0, f"nvim exited {proc.returncode}: {proc.stderr}\n{json.dumps(result, ensure_ascii=False)[:2000]}"

    diagnostics = result["diagnostics"]
    # Every annotation but the cues linked to a source (named in their source's diagnostic).
    annotations = [a for a in annotate_utf8(SEED) if not sourced_cue(a)]
    assert len(diagnostics) == len(annotations)
    expected = sorted(
        (a["range"]["start"]["line"], a["range"]["start"]["character"], a["range"]["end"]["line"],
         a["range"]["end"]["character"], a["kind"])
        for a in annotations
    )
    shown = sorted((d["lnum"], d["col"], d["end_lnum"], d["end_col"], d["code"]) for d in diagnostics)
    assert shown == expected
    quote_marks = [d["at"] for d in diagnostics if d["code"] == "quote"]
    assert quote_marks and all(at.startswith(("“", "«")) for at in quote_marks)
    assert all(d["source"] == "scholia" for d in diagnostics)
