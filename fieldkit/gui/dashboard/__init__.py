"""The Summary page (community DNA dashboard) and its parts: charts, table, compare, sectors,
network summary and the indicator detail dialog."""

from fieldkit.gui.dashboard.page import DashboardPage, make_summary_page

__all__ = ["DashboardPage", "make_summary_page"]
