"""The plan document: the whole basic plan as PDF (WeasyPrint) and Word (python-docx), and
the 4-page summary edition (概要版) as PDF — generated from the published data only."""
