"""Committee: one council's report as a chair reads it, and the printable slippage pack."""

import functools
from datetime import date

import polars as pl
import streamlit as st

from app import change
from app.charts import show_chart
from app.committee import chair, pack_html, pack_pdf, words
from app.committee.charts import view_charts
from app.committee.view import file_stem, gather
from app.data import demo_store_path, query, require_data, store_path, store_version
from app.filters import current_council_choice, current_report_choice
from app.text import UK_DATE, figure, header, measure, plain, plural, table_config, uk_date


@st.cache_data(max_entries=8, show_spinner=False)
def pdf_pack(
    council: str, report_date: date, meeting: date, called_after: int, synthetic: bool, store: str, version: tuple[int, int] | None
) -> tuple[bytes | None, str | None]:
    """This report's PDF pack, or why it cannot be made; once per report, choice and store version."""
    return pack_pdf.attempt(gather(query, council, report_date, meeting, called_after, synthetic=synthetic))


st.title("Committee view")
require_data()

reports = query("committee_reports")
councils = reports["council"].unique(maintain_order=True).to_list()
chosen_council = current_council_choice(councils)
left, right = st.columns(2)
council = left.selectbox("Council", councils, index=councils.index(chosen_council), key="committee_council")
dates = reports.filter(pl.col("council") == council)["report_date"].to_list()  # newest first
report_date = right.selectbox(
    "Report",
    dates,
    index=current_report_choice(dates),
    format_func=lambda d: uk_date(d) + (" (newest)" if d == dates[0] else ""),
    key="committee_report",
    help=f"{len(dates):,} reports loaded for this council, newest first" if len(dates) > 1 else None,
)
meeting, called_after = chair.choose(report_date)
view = gather(query, council, report_date, meeting, called_after, synthetic=store_path() == demo_store_path())
if doubt := words.doubt_line(view):
    st.warning(plain(doubt), icon=":material/report:")

for shown in (words.HEADLINE, words.ASKS):
    for col, (key, label) in zip(st.columns(len(words.HEADLINE)), shown.items()):
        before = view.previous[key] if view.previous else None
        col.metric(label, figure(key, view.headline[key]), help=measure(key).help, **change.metric_delta(key, view.headline[key], before))
st.caption(words.previous_line(view))
st.markdown(plain(words.summary(view)))

made = view_charts(view)
left, right = st.columns(2)
with left:
    show_chart(made["risk"])
with right:
    show_chart(made["ageing"])
if "owners" in made:
    show_chart(made["owners"])

st.header(words.CHANGES_HEADING)
if view.movement.is_empty():
    st.caption(f"{words.FIRST_REPORT}: load the previous one to see what changed.")
else:
    changes = words.changes(view)
    for col, (label, count) in zip(st.columns(len(changes)), changes):
        col.metric(label, f"{count:,}")

# What the chair reads first comes first (where the item stands, what it is, its risk and date), so a
# narrow screen still shows it; the reference and the recommendation's text come last. A doubted
# target date is a mark on the item, its reason said under the list, not a mostly empty column.
LIST_ORDER = ["situation", "audit_title", "risk_level", "current_target_date", "officer", "original_target_date", "ref", "recommendation"]
DOUBT_MARK = "⚠ "
# Wide enough for "445 days past its first agreed date; extended 2 times; last update Feb 2024".
list_config = {
    "situation": st.column_config.TextColumn(header("situation"), width=540),
    "audit_title": st.column_config.TextColumn(
        header("audit_title"), width="medium", help=f"{DOUBT_MARK}marks a target date the reader doubted: the reason is under the list"
    ),
    "recommendation": st.column_config.TextColumn(header("recommendation"), width="large"),
    # wide enough for the placeholder "to be confirmed"
    "current_target_date": st.column_config.DateColumn(header("current_target_date"), format=UK_DATE, width=120),
}


def committee_list(rows: pl.DataFrame) -> None:
    """One list: doubted items marked, the reasons said under it."""
    doubted = rows.filter(pl.col("date_warnings") != "")
    marked = rows.with_columns(
        pl.when(pl.col("date_warnings") != "")
        .then(DOUBT_MARK + pl.col("audit_title"))
        .otherwise(pl.col("audit_title"))
        .alias("audit_title")
    )
    # A missing target is one the report leaves to be confirmed; every other column is never missing.
    st.dataframe(
        marked,
        hide_index=True,
        width="stretch",
        placeholder=words.TO_BE_CONFIRMED,
        column_order=LIST_ORDER,
        column_config=table_config(marked, **list_config),
    )
    if doubted.height:
        st.caption(
            f"{DOUBT_MARK}{plural(doubted.height, 'item')} {'rests' if doubted.height == 1 else 'rest'} on a "
            "target date the reader doubted:\n"
            + "\n".join(
                f"- {plain(' '.join(part for part in (row['ref'], row['audit_title']) if part != '–'))}: {plain(row['date_warnings'])}"
                for row in doubted.iter_rows(named=True)
            )
        )


st.header(words.APPROVALS_HEADING)
approvals = words.approvals(view)
if approvals.height:
    dated = ("current_target_date", "requested_target_date")
    st.dataframe(
        approvals,
        hide_index=True,
        width="stretch",
        placeholder=words.TO_BE_CONFIRMED,
        column_config=table_config(
            approvals,
            **{
                name: st.column_config.DateColumn(label, format=UK_DATE) if name in dated else st.column_config.Column(label)
                for name, label in words.APPROVAL_HEADERS.items()
            },
        ),
    )
else:
    st.caption("None: no later date is asked for and not yet agreed.")

for heading, rows in words.chair_lists(view) + words.lists(view):
    st.header(heading)
    if rows.height:
        committee_list(rows)
    else:
        st.caption("None.")

st.header("Slippage pack")
st.caption("The view above for the committee papers: fits A4, with the council, report date and when it was produced.")
stem = file_stem(view)
# The PDF is laid out when asked for, not on every run: a long council's pack takes WeasyPrint
# seconds (13 s at 1,000,000 rows), which a page opened by link must not pay.
left, right, _ = st.columns([1, 1, 3])
chosen = (council, report_date, meeting, called_after, view.synthetic, str(store_path()), store_version(store_path()))
if left.button(
    "Prepare PDF pack",
    key="pack_pdf_prepare",
    icon=":material/picture_as_pdf:",
    help="Lays the pack out as a tagged A4 PDF, then offers it for download",
):
    with st.spinner("Laying out the PDF pack…"):
        st.session_state["pack_pdf_made"] = (chosen, *pdf_pack(*chosen))
prepared = st.session_state.get("pack_pdf_made")
if prepared and prepared[0] == chosen:  # made for the view on show
    pdf, problem = prepared[1], prepared[2]
    if pdf is not None:
        left.download_button(
            "Pack as PDF",
            data=pdf,
            file_name=f"{stem}.pdf",
            mime="application/pdf",
            icon=":material/download:",
            on_click="ignore",
            key="pack_pdf",
            type="primary",
        )
    else:
        st.error(f"The PDF pack cannot be made for this report ({plain(problem)}); the HTML pack holds the same view.")
right.download_button(
    "Pack as HTML",
    data=functools.partial(pack_html.to_html, view),
    file_name=f"{stem}.html",
    mime="text/html",
    icon=":material/description:",
    on_click="ignore",
    key="pack_html",
)
