"""The dashboard's shared code; dashboard.py and pages/ call it and stay thin.

data.py       the stores: a read-only connection per store file, first-run builds, cached page
              queries, the guard for a page while nothing is loaded
demo.py       which store a session shows (the demo history or the real store), the switch, the banner
filters.py    the sidebar's global filters, narrowed by each other and kept in the page
              address, and the filtered summary
address.py    the page address (query parameters) as a view's state; page links carrying it
results.py    the SQL page's result table and the chart of the user's choosing
charts.py     the accent colour, risk and ageing order and colours, bar charts,
              a chart shown with its PNG and SVG downloads
text.py       numbers, days and document text as a page shows them; the missing-value label
movement.py   the kinds of change since a council's previous report, and their labels
change.py     a figure beside its value at the previous report: the arrow, the amount, better or worse
catalogue.py  the SQL page's reference: table and view descriptions, example queries
downloads.py  CSV, Excel and Parquet downloads (the Streamlit side): Prepare, then the link,
              as on the page or for machines, a CSV's About file beside it
filenames.py  download names that say what a file holds (council, report, filters), safe and bounded
exports.py    a page query, a frame or an ad-hoc query as a CSV, Excel or Parquet file, made in
              bounded memory and cut at EXPORT_MAX_MB (the writers are etl/tablefile.py)
served.py     the files waiting to be downloaded, and the route that serves each once from disk
uploads.py    the admin app's upload key (lockout kept on the server), the gate in front of
              Streamlit's upload endpoint, and safe handling of uploaded files
committee/    one council's report as a chair reads it, and the printable slippage pack
"""
