"""What the administration's requests can refuse (beyond the vault's own errors)."""

from __future__ import annotations

from app.errors import AppError


class CsvNotReadable(
    AppError, code="csv_not_readable", title="The file is not a readable UTF-8 CSV"
): ...
