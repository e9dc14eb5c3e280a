"""SQL: read-only ad-hoc queries, the schema beside them, examples, and exports of the result."""
import streamlit as st

from app.catalogue import example_queries, object_descriptions
from app.charts import result_chart, show_chart
from app.data import query, store_path
from app.downloads import query_export_buttons
from etl.store.readonly import QueryRefused, run_query

st.title("SQL")
st.caption("One read-only SELECT at a time, stopped after 10 s, at most 10,000 rows shown. "
           "The query is kept in the page address, so a link shares it.")

examples = example_queries()
if "sql_text" not in st.session_state:
    # A query that arrives in a link fills the editor but waits for Run: a link alone never runs one.
    st.session_state["sql_from_link"] = "q" in st.query_params
    st.session_state["sql_text"] = st.query_params.get("q", next(iter(examples.values())))


def asked() -> None:
    st.session_state["sql_from_link"] = False


def use_example() -> None:
    choice = st.session_state["sql_example"]
    if choice:
        st.session_state["sql_text"] = examples[choice]
        asked()


editor, schema = st.columns([3, 2])
with schema.container(height=420, border=False):
    st.subheader("Schema")
    columns = query("schema_columns")
    descriptions = object_descriptions()
    for (name, kind), cols in columns.group_by(["table_name", "table_type"], maintain_order=True):
        label = f"{'view' if 'VIEW' in kind else 'table'} **{name}**"
        with st.expander(label):
            if name in descriptions:
                st.caption(descriptions[name])
            st.dataframe(cols.select("column_name", "data_type"), hide_index=True, width="stretch")
with editor:
    st.selectbox("Start from an example", [""] + list(examples), key="sql_example", on_change=use_example,
                 format_func=lambda k: k or "Choose an example…")
    query_text = st.text_area("Query", key="sql_text", height=180, on_change=asked)
    run = st.button("Run query", type="primary", icon=":material/play_arrow:", on_click=asked, key="sql_run")

if query_text.strip():
    st.query_params["q"] = query_text
if st.session_state["sql_from_link"]:
    st.info("This query came with the link: read it, then press **Run query** to run it.")
elif run or query_text.strip():
    try:
        result = run_query(store_path(), query_text)
    except QueryRefused as refusal:
        st.error(f"Refused: {refusal}")
        st.stop()
    frame = result.frame
    note = f"{frame.height:,} rows in {result.seconds * 1000:,.0f} ms"
    if result.truncated:
        st.warning(f"The result was cut at {result.max_rows:,} rows. The downloads below hold the full result.")
    st.caption(note)
    st.dataframe(frame, hide_index=True, width="stretch")

    chart = result_chart(frame)
    if chart is not None:
        show_chart(chart)

    query_export_buttons(store_path(), query_text, result, "sql_export")
