"""The committee view of one council's report, shared by the Committee page and the printable
slippage pack: view.py gathers the figures (sql/queries/committee_*.sql), words.py says them as a
chair would, charts.py draws them, pack_html.py and pack_pdf.py print them. Document text is only
ever escaped, never rendered as markup."""
