"""The sample generator: realistic inboxes of the activity with their ground truth.

`generate_inbox` writes a whole inbox (profiles tiny / small / demo) and returns its `GroundTruth`;
`generate_history` writes consecutive years whose reports reuse earlier ones. The builders below
make single documents (born-digital PDFs, PPTX, scans, GBK zips, broken files) for other tests.
Same seed, same bytes: nothing depends on the clock or on hash order.
"""

from pipeline.samples.bundle import build_unit_bundle
from pipeline.samples.files import encrypted_pdf, gbk_member_names, minimal_docx, truncated, write_gbk_zip
from pipeline.samples.generate import generate_history, generate_inbox
from pipeline.samples.scan import scan_image, scan_pdf
from pipeline.samples.slides import build_report_pptx
from pipeline.samples.statistics_form import build_statistics_table_pdf, make_statistics_fields
from pipeline.samples.team_docs import build_registration_form, build_report_pdf
from pipeline.samples.truth import GroundTruth, OddFileTruth, PlagiarismPair, TeamTruth, UnitTruth
from pipeline.samples.unit_docs import TeamLine, build_award_list, build_recommendation_letter

__all__ = [
    "GroundTruth",
    "OddFileTruth",
    "PlagiarismPair",
    "TeamLine",
    "TeamTruth",
    "UnitTruth",
    "build_award_list",
    "build_recommendation_letter",
    "build_registration_form",
    "build_report_pdf",
    "build_report_pptx",
    "build_statistics_table_pdf",
    "build_unit_bundle",
    "encrypted_pdf",
    "gbk_member_names",
    "generate_history",
    "generate_inbox",
    "make_statistics_fields",
    "minimal_docx",
    "scan_image",
    "scan_pdf",
    "truncated",
    "write_gbk_zip",
]
