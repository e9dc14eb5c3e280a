"""One look everywhere: risk levels in one order and one colour each, ageing bands in order.
Shared by the pages (through ui) and the printable pack (committee)."""
import altair as alt

RISK_ORDER = ["critical", "high", "medium", "low", "(none)"]
RISK_COLOURS = ["#7f0000", "#d7301f", "#fc8d59", "#fdcc8a", "#bdbdbd"]
AGEING_ORDER = ["not yet due", "0–90 days", "91–180 days", "181–365 days", "over a year"]


def risk_colour(title: str = "Risk level") -> alt.Color:
    return alt.Color("risk_level:N", title=title, sort=RISK_ORDER,
                     scale=alt.Scale(domain=RISK_ORDER, range=RISK_COLOURS))
