"""Documents: the formal notice (PDF), the evidence file (PDF, CSV), the invoices CSV
export and import, the ageing chart (PNG). The same functions serve the CLI and the bot."""

from actions.documents.chart import ageing_png
from actions.documents.dossier import LegalRoute, dossier_csv, dossier_pdf, suggested_route
from actions.documents.errors import DocumentError
from actions.documents.export import invoices_csv
from actions.documents.importer import ImportResult, apply_import, preview_import
from actions.documents.letter import formal_notice_pdf, formal_notice_text
from actions.documents.lookup import invoice_by_number

__all__ = [
    "DocumentError",
    "ImportResult",
    "LegalRoute",
    "ageing_png",
    "apply_import",
    "dossier_csv",
    "dossier_pdf",
    "formal_notice_pdf",
    "formal_notice_text",
    "invoice_by_number",
    "invoices_csv",
    "preview_import",
    "suggested_route",
]
