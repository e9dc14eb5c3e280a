"""The committee view of one council's report, shared by the Committee page and the printable
slippage pack: view.py gathers the figures (sql/queries/committee_*.sql), words.py says them as a
chair would, charts.py draws them, chair.py keeps the chair's choices (next meeting, extension limit)
in the page address, pack_html.py prints them (the one template) and pack_pdf.py renders that to PDF. Document text is only
ever escaped, never rendered as markup."""
