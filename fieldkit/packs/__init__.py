"""fieldkit.packs: what leaves the laptop, made from the Summary and the store.

excel        the Excel pack for analysts (openpyxl, write-only streaming)
pdf          the PDF pack for partners (reportlab platypus, A4, fonts embedded)
csv_export   one CSV per form and repeat group (UTF-8 with BOM)
formdata     interview answers as tables, shared by the Excel pack and the CSVs
charts       radar, banded bars and network picture (reportlab graphics)
text         the plain-English summary sentences
collect      reads a project into the builders' plain inputs
progress     progress(done, total) and cancel() for the GUI's progress bar
fonts        DejaVu Sans from resources/fonts, registered with reportlab
"""
