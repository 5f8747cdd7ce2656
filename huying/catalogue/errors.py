"""The error codes the service catalogue answers with.

It raises only the platform's generic ones (huying.core.errors: not_found for an item or bundle that
does not exist or is not published, validation_failed): an import reports its problems row by row in
its report instead of raising. Codes of its own go here when it needs one.
"""

from __future__ import annotations

from huying.core.errors import ErrorCatalogue

codes = ErrorCatalogue("catalogue")
