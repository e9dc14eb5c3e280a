"""SQL: read-only ad-hoc queries, the schema beside them, examples, and exports of the result."""

import polars as pl
import streamlit as st

from app import address
from app.catalogue import example_queries, is_internal, object_descriptions, schema_in_reading_order
from app.charts import show_chart
from app.data import query, store_path
from app.downloads import query_export_buttons
from app.results import chart_choice, result_chart, result_table
from app.text import plural
from etl.store.readonly import QueryMistake, QueryRefused, run_query

st.title("SQL")
st.caption(
    "One read-only SELECT at a time, stopped after 10 s, at most 10,000 rows shown. "
    "The query is kept in the page address, so a link shares it."
)

examples = example_queries()
# The query lives in a key of its own: a widget's state is dropped while its page is not shown, so
# the editor is filled from it on every run. The address (?q=) holds it too, so a link shares it.
linked = address.value("q")
if "sql_query" not in st.session_state or (linked and linked != st.session_state["sql_query"]):
    # A query that arrives in the address (a link, or Back and Forward) fills the editor but waits
    # for Run: an address alone never runs one.
    st.session_state["sql_from_link"] = bool(linked)
    st.session_state["sql_query"] = linked or next(iter(examples.values()))
st.session_state["sql_text"] = st.session_state["sql_query"]


def asked(text: str | None = None) -> None:
    """The user wrote, chose or ran a query: it is kept, put in the address, and may run."""
    st.session_state["sql_query"] = st.session_state["sql_text"] if text is None else text
    st.session_state["sql_from_link"] = False
    address.change({"q": st.session_state["sql_query"] if st.session_state["sql_query"].strip() else None})


def use_example() -> None:
    choice = st.session_state["sql_example"]
    if choice:
        asked(examples[choice])


def schema_object(name: str, kind: str, columns: pl.DataFrame) -> None:
    label = f"{'view' if 'VIEW' in kind else 'table'} **{name}**"
    with st.expander(label):
        if name in descriptions:
            st.caption(descriptions[name])
        st.dataframe(
            columns.select("column_name", "data_type"),
            hide_index=True,
            width="stretch",
            column_config={"column_name": "Column", "data_type": "Type"},
        )


# An example shown in the picker only while the editor holds it word for word.
if st.session_state.get("sql_example") and examples.get(st.session_state["sql_example"]) != st.session_state["sql_query"]:
    st.session_state["sql_example"] = ""
editor, schema = st.columns([3, 2])
with schema:
    st.header("Schema")
    descriptions = object_descriptions()
    objects = schema_in_reading_order(query("schema_columns")).group_by(["table_name", "table_type"], maintain_order=True)
    shown_internal = False
    for (name, kind), cols in objects:
        if is_internal(str(name)) and not shown_internal:
            st.caption("The store's own bookkeeping and fixed lists:")
            shown_internal = True
        schema_object(str(name), str(kind), cols)
with editor:
    st.selectbox(
        "Start from an example",
        [""] + list(examples),
        key="sql_example",
        on_change=use_example,
        format_func=lambda k: k or "Choose an example…",
    )
    query_text = st.text_area("Query", key="sql_text", height=180, on_change=asked)
    run = st.button("Run query", type="primary", icon=":material/play_arrow:", on_click=asked, key="sql_run")

if st.session_state["sql_from_link"]:
    st.info("This query came with the page address: read it, then press **Run query** to run it.")
elif run or query_text.strip():
    try:
        result = run_query(store_path(), query_text)
    except QueryMistake as wrong:
        st.error(f"There is a mistake in the query: {wrong}")
        st.stop()
    except QueryRefused as refusal:
        st.error(f"Refused: {refusal}")
        st.stop()
    frame = result.frame
    note = f"{plural(frame.height, 'row')} in {result.seconds * 1000:,.0f} ms"
    if result.truncated:
        st.warning(f"The result was cut at {result.max_rows:,} rows. The downloads below hold the full result.")
    st.caption(note)
    result_table(frame)

    choice = chart_choice(frame, "sql_chart")
    if choice is not None:
        chart = result_chart(frame, choice)
        if isinstance(chart, str):
            st.info(chart)
        else:
            show_chart(chart)

    query_export_buttons(store_path(), query_text, result, "sql_export")
