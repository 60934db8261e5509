"""The promotion-readiness report: content (privacy, period, audience) and its PDF.

Only the audience names live here, so the command line can offer them without
importing pydantic or ReportLab.
"""

AUDIENCES = ("self", "1:1", "packet")
