"""slippage: how far councils' internal-audit recommendations slip past their agreed dates.

streamlit run dashboard.py   (opens on a synthetic demo history, built on first run, with the
bundled samples one click away; with $SLIPPAGE_DB set, shows that store alone: see app/demo.py).

`streamlit run` finds `streamlit_app = st.App(...)` below and serves it with uvicorn, which imports
this file as the module `dashboard`: the app is Streamlit plus one route, /download/TOKEN, which
hands each table's download to the browser from disk (app/served.py). For each page view
Streamlit runs this same file as `__main__`: the pages below."""

import streamlit as st

if __name__ == "__main__":
    from app.address import navigation
    from app.demo import show_chosen_store
    from app.look import apply_look

    # An emoji icon: Streamlit draws it in the page itself; a :material/…: icon would be fetched
    # from Google's font server on every visit (and fail offline).
    st.set_page_config(page_title="slippage", page_icon="📅", layout="wide")
    apply_look()

    show_chosen_store()
    pages = [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/slippage.py", title="Slippage", icon=":material/bar_chart:"),
        st.Page("pages/recommendations.py", title="Recommendations", icon=":material/table_rows:"),
        st.Page("pages/committee.py", title="Committee", icon=":material/groups:"),
        st.Page("pages/sql.py", title="SQL", icon=":material/terminal:"),
        st.Page("pages/data.py", title="Data", icon=":material/database:"),
    ]
    page = st.navigation(pages, position="hidden")
    navigation(pages)
    page.run()
else:
    from app.served import clean_leftovers, routes

    clean_leftovers()
    streamlit_app = st.App(__file__, routes=routes())
