"""The dashboard's shared code; dashboard.py and pages/ call it and stay thin.

exports.py    a table as CSV, Excel or Parquet bytes
uploads.py    the upload key and safe handling of uploaded files
"""
